import { compress, decompress } from 'zstd-napi';

/**
 * zstd for repository version 2 (restic doc/design.rst "Pack Format", "Unpacked Data Format").
 * zstd-napi binds the reference C library through Node-API, so one build serves Node and
 * Electron; Node 20's zlib has no zstd. Level 3 is zstd's default, what restic's "auto" mode
 * uses (klauspost SpeedDefault); no frame checksum, as restic (repository.go, getZstdEncoder):
 * every blob already carries a MAC and a SHA-256.
 */

/** Compresses one blob or unpacked file. */
export function zstdCompress(data: Uint8Array): Buffer {
  return compress(data, { compressionLevel: 3, checksumFlag: false });
}

/** Decompresses one zstd frame. */
export function zstdDecompress(data: Uint8Array): Buffer {
  return decompress(data);
}
