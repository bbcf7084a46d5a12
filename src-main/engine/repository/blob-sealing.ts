import { CRYPTO_OVERHEAD, sealInto, type CryptoKey } from './restic-crypto';
import { zstdCompressBound, zstdCompressInto } from './zstd';

/** A blob sealed for a pack, and its plaintext length when it was compressed (else 0). */
export interface SealedBlob {
  readonly sealed: Buffer;
  readonly uncompressedLength: number;
}

/** Where sealBlobInto put a blob: its sealed length, and its plaintext length when compressed (else 0). */
export interface SealedPlace {
  readonly length: number;
  readonly uncompressedLength: number;
}

/**
 * The buffer blobs are compressed into before they are sealed, kept (it grows to the bound of
 * the largest blob, about 4 MiB): a buffer per blob was garbage by the ten thousand.
 */
let compressed = Buffer.alloc(0);

/** Room a blob of this length may take when sealed (it is stored uncompressed when zstd saves nothing). */
export function sealedRoom(plaintextLength: number): number {
  return plaintextLength + CRYPTO_OVERHEAD;
}

/**
 * Seals one blob for a pack into `target` at `offset` (with sealedRoom of its length free):
 * compressed with zstd where that saves bytes (repository version 2, `compress`), then
 * encrypted and authenticated (restic-crypto.ts, seal). Runs on a file-seal thread
 * (file-sealer.ts) for large files and staged databases, which it cuts, hashes and seals while
 * the walk goes on, and for small files and trees once they are many, in batches of up to 1 MiB
 * the walk read and hashed (blob-batcher.ts); on the backup's own thread for the rest. Blobs
 * the walk had cut, given to a worker one message each, had made the first backup slower on
 * two cores: the messages and copies cost more than the sealing.
 */
export function sealBlobInto(
  key: CryptoKey,
  compress: boolean,
  plaintext: Uint8Array,
  target: Buffer,
  offset: number,
): SealedPlace {
  if (compress && plaintext.length > 0) {
    const bound = zstdCompressBound(plaintext.length);
    if (compressed.length < bound) compressed = Buffer.allocUnsafeSlow(bound);
    const frame = zstdCompressInto(plaintext, compressed);
    if (frame < plaintext.length) {
      const length = sealInto(key, compressed.subarray(0, frame), target, offset);
      return { length, uncompressedLength: plaintext.length };
    }
  }
  return { length: sealInto(key, plaintext, target, offset), uncompressedLength: 0 };
}

/** Seals one blob as sealBlobInto does, into a buffer of its own. */
export function sealBlob(key: CryptoKey, compress: boolean, plaintext: Uint8Array): SealedBlob {
  const target = Buffer.allocUnsafe(sealedRoom(plaintext.length));
  const place = sealBlobInto(key, compress, plaintext, target, 0);
  return {
    sealed: target.subarray(0, place.length),
    uncompressedLength: place.uncompressedLength,
  };
}
