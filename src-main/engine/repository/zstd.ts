import { createRequire } from 'node:module';
import { Compressor, Decompressor } from 'zstd-napi';
import type { CCtx, CParameter, DCtx } from 'zstd-napi/binding';

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

/** zstd-napi's low-level compression binding (its documented `binding` module). */
interface ZstdCompressBinding {
  readonly CCtx: typeof CCtx;
  readonly CParameter: typeof CParameter;
  compressBound(size: number): number;
}
let compressBinding: ZstdCompressBinding | null = null;
let compressContext: CCtx | null = null;

/** The most bytes zstd can make of `size` bytes (ZSTD_compressBound): what zstdCompressInto needs. */
export function zstdCompressBound(size: number): number {
  compressBinding ??= createRequire(import.meta.url)('zstd-napi/binding') as ZstdCompressBinding;
  return compressBinding.compressBound(size);
}

/**
 * Compresses one blob into `target` (at least zstdCompressBound of its length) and returns the
 * frame's length: the same frame as zstdCompress, without the buffer (and for compressible
 * blobs the second copy) Compressor.compress makes per call, which over the tens of thousands
 * of blobs of a first backup were much of its garbage.
 */
export function zstdCompressInto(data: Uint8Array, target: Uint8Array): number {
  if (!compressContext) {
    compressBinding ??= createRequire(import.meta.url)('zstd-napi/binding') as ZstdCompressBinding;
    compressContext = new compressBinding.CCtx();
    compressContext.setParameter(compressBinding.CParameter.compressionLevel, ZSTD_LEVEL);
    compressContext.setParameter(compressBinding.CParameter.checksumFlag, 0);
  }
  return compressContext.compress2(target, data);
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

/** zstd-napi's low-level binding (its documented `binding` module), for one context. */
interface ZstdBinding {
  readonly DCtx: typeof DCtx;
}
let context: DCtx | null = null;

/**
 * Decompresses one zstd frame whose plaintext length is known (a blob's, from the index): one
 * native call into a buffer of that length. Decompressor.decompress first walks the frame
 * headers for the length (two more native calls and a check per blob), a third of the cost of
 * the thousands of 4 KiB blobs a restore opens. `into` (at least `length` bytes) takes the
 * plaintext in place of a new buffer: a restore decodes a read's blobs side by side into one.
 * Throws when the frame does not hold exactly `length` bytes.
 */
export function zstdDecompressExact(data: Uint8Array, length: number, into?: Buffer): Buffer {
  context ??= new (createRequire(import.meta.url)('zstd-napi/binding') as ZstdBinding).DCtx();
  const out = into?.subarray(0, length) ?? Buffer.allocUnsafe(length);
  if (out.length !== length) throw new Error(`no room for ${length} bytes of a zstd frame`);
  const written = context.decompress(out, data);
  if (written !== length) {
    throw new Error(`zstd frame holds ${written} bytes where ${length} were expected`);
  }
  return out;
}
