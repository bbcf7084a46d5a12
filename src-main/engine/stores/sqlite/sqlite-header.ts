/**
 * The 100-byte header every SQLite database starts with (https://sqlite.org/fileformat2.html,
 * "1.3 The Database Header"): enough to tell a database from another file, its page size, and
 * whether it is in WAL mode, without opening it.
 */
import fs from 'node:fs/promises';

/** Bytes of the database header. */
export const SQLITE_HEADER_BYTES = 100;

const MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

/** What a database header says. */
export interface SqliteHeader {
  readonly pageSize: number;
  /** File format versions 2/2: the database is in WAL mode. */
  readonly wal: boolean;
  /** Pages, when the header's own count is valid (SQLite ≥ 3.7.0 keeps it so). */
  readonly pageCount: number | null;
  readonly userVersion: number;
}

/** Parses a database header, or says why the bytes are not one. */
export function parseSqliteHeader(
  bytes: Uint8Array,
): { ok: true; header: SqliteHeader } | { ok: false; reason: string } {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (head.length < SQLITE_HEADER_BYTES) {
    return { ok: false, reason: `it is ${head.length} bytes, shorter than a database header` };
  }
  if (!head.subarray(0, 16).equals(MAGIC)) {
    return { ok: false, reason: 'it does not start with the SQLite header' };
  }
  const rawPageSize = head.readUInt16BE(16);
  const pageSize = rawPageSize === 1 ? 65536 : rawPageSize;
  // A power of two between 512 and 65536, as the format requires.
  if (pageSize < 512 || (pageSize & (pageSize - 1)) !== 0) {
    return { ok: false, reason: `its header gives an impossible page size (${rawPageSize})` };
  }
  const writeVersion = head.readUInt8(18);
  const readVersion = head.readUInt8(19);
  if (writeVersion < 1 || writeVersion > 2 || readVersion < 1 || readVersion > 2) {
    return { ok: false, reason: 'its header gives an unknown file format version' };
  }
  const changeCounter = head.readUInt32BE(24);
  const validFor = head.readUInt32BE(92);
  const pages = head.readUInt32BE(28);
  return {
    ok: true,
    header: {
      pageSize,
      wal: writeVersion === 2 && readVersion === 2,
      pageCount: pages > 0 && changeCounter === validFor ? pages : null,
      userVersion: head.readInt32BE(60),
    },
  };
}

/** Reads and parses a file's database header. */
export async function readSqliteHeader(
  file: string,
): Promise<{ ok: true; header: SqliteHeader } | { ok: false; reason: string }> {
  const handle = await fs.open(file, 'r');
  try {
    const head = Buffer.alloc(SQLITE_HEADER_BYTES);
    const { bytesRead } = await handle.read(head, 0, SQLITE_HEADER_BYTES, 0);
    return parseSqliteHeader(head.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}
