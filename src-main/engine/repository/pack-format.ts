import { CRYPTO_OVERHEAD } from './restic-crypto';
import type { ResticId } from './restic-id';

/**
 * A pack file in `data/`: the sealed blobs one after another, then the sealed header, then the
 * header's length as a little-endian uint32 (restic design.rst "Pack Format";
 * internal/pack/pack.go). Each header entry is a type byte (0 data, 1 tree, 2 compressed data,
 * 3 compressed tree), the sealed blob's length, for compressed types the plaintext's length,
 * and the plaintext's SHA-256. Version 2 packs hold either data or tree blobs, never both.
 */

/** restic's two blob kinds. */
export type BlobType = 'data' | 'tree';

/** One blob of a pack, where the index and the header place it. */
export interface PackedBlob {
  readonly id: ResticId;
  readonly type: BlobType;
  readonly offset: number;
  /** The sealed (and maybe compressed) length in the pack. */
  readonly length: number;
  /** The plaintext length when the blob is compressed; 0 when it is not. */
  readonly uncompressedLength: number;
}

/** Bytes of one header entry (pack.go, plainEntrySize and entrySize). */
export function headerEntrySize(blob: Pick<PackedBlob, 'uncompressedLength'>): number {
  return blob.uncompressedLength !== 0 ? 1 + 4 + 4 + 32 : 1 + 4 + 32;
}

/** A pack's size from its blobs: blobs, sealed header, length field (pack.go, Size). */
export function packSizeOf(blobs: ReadonlyArray<PackedBlob>): number {
  let size = CRYPTO_OVERHEAD + 4;
  for (const blob of blobs) size += blob.length + headerEntrySize(blob);
  return size;
}

/** The plaintext header of a pack (pack.go, makeHeader). */
export function encodePackHeader(blobs: ReadonlyArray<PackedBlob>): Buffer {
  const parts: Buffer[] = [];
  for (const blob of blobs) {
    const compressed = blob.uncompressedLength !== 0;
    const entry = Buffer.alloc(headerEntrySize(blob));
    entry[0] = (blob.type === 'data' ? 0 : 1) + (compressed ? 2 : 0);
    entry.writeUInt32LE(blob.length, 1);
    let at = 5;
    if (compressed) {
      entry.writeUInt32LE(blob.uncompressedLength, 5);
      at = 9;
    }
    Buffer.from(blob.id, 'hex').copy(entry, at);
    parts.push(entry);
  }
  return Buffer.concat(parts);
}

/** Reads a decrypted pack header back into blobs with their offsets (pack.go, List). */
export function decodePackHeader(header: Buffer): PackedBlob[] {
  const blobs: PackedBlob[] = [];
  let at = 0;
  let offset = 0;
  while (at < header.length) {
    const kind = header[at]!;
    if (kind > 3) throw new Error(`invalid blob type ${kind} in pack header`);
    const compressed = kind >= 2;
    const size = compressed ? 41 : 37;
    if (at + size > header.length) throw new Error('pack header entry cut short');
    const length = header.readUInt32LE(at + 1);
    const uncompressedLength = compressed ? header.readUInt32LE(at + 5) : 0;
    const id = header.subarray(at + size - 32, at + size).toString('hex');
    blobs.push({ id, type: kind % 2 === 0 ? 'data' : 'tree', offset, length, uncompressedLength });
    offset += length;
    at += size;
  }
  return blobs;
}

/** The largest header restic reads (pack.go, MaxHeaderSize), length field included. */
export const MAX_PACK_HEADER_SIZE = 16 * 1024 * 1024 + 4;
