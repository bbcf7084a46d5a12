import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type {
  BackupManifest,
  BackupSidecar,
  ManifestEntry,
} from '../../../src-shared/models/backup-manifest';
import { syncFolder } from '../fs/durable';
import type { ArchiveWriteResult } from './archive-writer';
import { PARTIAL_SUFFIX } from './backup-naming';

const FLUSH_BYTES = 1024 * 1024;

/**
 * The manifest, written as the backup goes: each entry's JSON is appended to a temp file
 * instead of kept in memory, so a root of a million files costs disk, not RAM. The manifest
 * inside the archive and the sidecar are then streamed from it (`chunks`), around the fields
 * only known at the end.
 *
 * Note: `add` is synchronous (a megabyte is written at a time, a millisecond's work): an await
 * per entry cost more than the entry on a root of many small files.
 */
export class ManifestWriter {
  private pending: string[] = [];
  private pendingBytes = 0;
  private entryBytes = 0;
  private count = 0;
  private closed = false;

  private constructor(
    private readonly file: string,
    private readonly fd: number,
  ) {}

  /** Starts a manifest in `file` (a temp file the caller removes). */
  static async create(file: string): Promise<ManifestWriter> {
    return new ManifestWriter(file, fs.openSync(file, 'w', 0o600));
  }

  /** Appends one entry. */
  add(entry: ManifestEntry): void {
    const text = `${this.count === 0 ? '' : ','}${JSON.stringify(entry)}`;
    this.count += 1;
    const bytes = Buffer.byteLength(text);
    this.pending.push(text);
    this.pendingBytes += bytes;
    this.entryBytes += bytes;
    if (this.pendingBytes >= FLUSH_BYTES) this.flush();
  }

  /** Writes out what is buffered and closes the temp file. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      this.flush();
    } finally {
      fs.closeSync(this.fd);
    }
  }

  /**
   * The whole JSON document in order: the fields before `entries`, the entries, then the rest
   * (`tail` holds totals, warnings and, for the sidecar, the archive). Its byte length is
   * `sizeOf(head, tail)`.
   */
  async *chunks(
    head: Omit<BackupManifest, 'entries' | 'totals' | 'warnings' | 'leftOut'>,
    tail: Pick<BackupSidecar, 'totals' | 'warnings' | 'leftOut'> & {
      archive?: BackupSidecar['archive'];
    },
  ): AsyncGenerator<Buffer> {
    const [before, after] = this.frame(head, tail);
    yield before;
    const reader = await fsp.open(this.file, 'r');
    try {
      const buffer = Buffer.allocUnsafe(FLUSH_BYTES);
      for (let position = 0; position < this.entryBytes;) {
        const { bytesRead } = await reader.read(buffer, 0, buffer.length, position);
        if (bytesRead === 0) throw new Error('The manifest temp file is shorter than written.');
        yield Buffer.from(buffer.subarray(0, bytesRead));
        position += bytesRead;
      }
    } finally {
      await reader.close();
    }
    yield after;
  }

  /** Bytes of the document `chunks` yields. */
  sizeOf(
    head: Omit<BackupManifest, 'entries' | 'totals' | 'warnings' | 'leftOut'>,
    tail: Pick<BackupSidecar, 'totals' | 'warnings' | 'leftOut'> & {
      archive?: BackupSidecar['archive'];
    },
  ): number {
    const [before, after] = this.frame(head, tail);
    return before.length + this.entryBytes + after.length;
  }

  private frame(
    head: Omit<BackupManifest, 'entries' | 'totals' | 'warnings' | 'leftOut'>,
    tail: Pick<BackupSidecar, 'totals' | 'warnings' | 'leftOut'> & {
      archive?: BackupSidecar['archive'];
    },
  ): [Buffer, Buffer] {
    const headJson = JSON.stringify(head);
    const tailJson = JSON.stringify(tail);
    return [
      Buffer.from(`${headJson.slice(0, -1)},"entries":[`),
      Buffer.from(`],${tailJson.slice(1)}\n`),
    ];
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const data = Buffer.from(this.pending.join(''));
    this.pending = [];
    this.pendingBytes = 0;
    let offset = 0;
    while (offset < data.length) offset += fs.writeSync(this.fd, data, offset);
  }
}

/**
 * Publishes an archive `writeArchive` wrote to `<archive>.partial`: its sidecar is written from
 * the manifest (fsynced, as `<sidecar>.partial`), then the archive and then the sidecar take
 * their names, so a sidecar never describes an archive that is not there, and the folder is
 * fsynced. Cancelled before the renames, it leaves the partial files for the caller to remove.
 */
export async function publishArchive(
  written: ArchiveWriteResult,
  place: { archive: string; sidecar: string; signal?: AbortSignal },
): Promise<void> {
  const { archive, sidecar } = place;
  await writeSidecar(
    sidecar + PARTIAL_SUFFIX,
    written.manifest.chunks(written.head, {
      totals: written.totals,
      warnings: written.warnings,
      leftOut: written.leftOut,
      archive: {
        fileName: path.basename(archive),
        bytes: written.archiveBytes,
        sha256: written.archiveSha256,
      },
    }),
  );
  place.signal?.throwIfAborted();
  await fsp.rename(archive + PARTIAL_SUFFIX, archive);
  await fsp.rename(sidecar + PARTIAL_SUFFIX, sidecar);
  await syncFolder(path.dirname(archive));
}

/** Writes a sidecar from the manifest's chunks, fsynced, as a new file. */
async function writeSidecar(file: string, chunks: AsyncIterable<Buffer>): Promise<void> {
  const handle = await fsp.open(file, 'wx', 0o600);
  try {
    for await (const chunk of chunks) {
      for (let offset = 0; offset < chunk.length;) {
        offset += (await handle.write(chunk, offset)).bytesWritten;
      }
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
}
