import { Compressor, Decompressor } from 'zstd-napi';

/**
 * zstd for repository version 2 (restic doc/design.rst "Pack Format", "Unpacked Data Format").
 * zstd-napi binds the reference C library through Node-API, so one build serves Node and
 * Electron; Node 20's zlib has no zstd. No frame checksum, as restic (repository.go,
 * getZstdEncoder): every blob already carries a MAC and a SHA-256.
 *
 * Level 1, where restic's "auto" mode uses klauspost's SpeedDefault (about level 3): on the
 * demo's data level 1 stores within 1% of level 3's bytes for about a quarter less time, and
 * compression was the largest cost of a first backup. Any level decompresses the same way.
 * One compression context is kept and reused: making one per blob cost more than compressing
 * a 4 KiB block.
 */

/** The compression level Tend writes with. */
export const ZSTD_LEVEL = 1;

let compressor: Compressor | null = null;

/** Compresses one blob or unpacked file. */
export function zstdCompress(data: Uint8Array): Buffer {
  if (!compressor) {
    compressor = new Compressor();
    compressor.setParameters({ compressionLevel: ZSTD_LEVEL, checksumFlag: false });
  }
  return compressor.compress(data);
}

let decompressor: Decompressor | null = null;

/**
 * Decompresses one zstd frame, with one context kept as for compression (zstd-napi's own
 * `decompress` resets its shared context's parameters on every call, once per blob).
 */
export function zstdDecompress(data: Uint8Array): Buffer {
  decompressor ??= new Decompressor();
  return decompressor.decompress(data);
}
