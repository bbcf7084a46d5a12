import zlib from 'node:zlib';

/**
 * The gzip level for text and documents. Measured on the demo's documents with Node's zlib:
 * level 4 deflates at about 40 MB/s a core for 9% more bytes than level 6 (`gzip`'s and
 * `tar czf`'s default) at 17 MB/s; text is a small share of a root's bytes, so the archive
 * grows well under 1% while the time spent on text halves.
 */
export const TEXT_LEVEL = 4;
/** For data that barely compresses (floats, weights): about twice as fast for ~5% more. */
export const LOW_LEVEL = 1;
/** Stored as is: for bytes that do not compress at all (random weights, archives, media). */
export const STORE_LEVEL = 0;

// Already compressed, media, model weights and vector indexes: floats and entropy-coded bytes.
const lowExtensions = new Set([
  'gz', 'tgz', 'zip', 'zst', 'xz', 'bz2', '7z', 'rar', 'lz4', 'br',
  'png', 'jpg', 'jpeg', 'gif', 'webp', 'avif', 'heic', 'mp3', 'mp4', 'm4a', 'ogg', 'opus',
  'webm', 'mov', 'mkv', 'flac', 'docx', 'xlsx', 'pptx', 'epub', 'odt',
  'safetensors', 'bin', 'onnx', 'gguf', 'ggml', 'pt', 'pth', 'ckpt', 'h5', 'npy', 'npz',
  'tflite', 'mlmodel', 'msgpack', 'hnsw', 'faiss', 'index', 'ann', 'vec',
]); // prettier-ignore

/** The level a file starts at, from its name: low for formats that barely compress. */
export function levelForPath(relativePath: string): number {
  const base = relativePath.slice(relativePath.lastIndexOf('/') + 1).toLowerCase();
  const dot = base.lastIndexOf('.');
  if (dot <= 0) return TEXT_LEVEL;
  return lowExtensions.has(base.slice(dot + 1)) ? LOW_LEVEL : TEXT_LEVEL;
}

/**
 * Whether a chunk barely compresses, so it is better stored.
 *
 * A 16 KiB sample from its middle is deflated at level 1, about a tenth of a millisecond.
 * Random weights do not shrink at all and float vectors (HNSW indexes) by about 10% at
 * 40 MB/s a core, while storing runs at memory speed: below 12% saved, the time is worth more
 * than the bytes. Chunks under 256 KiB are not worth the probe.
 */
export function isIncompressible(chunk: Buffer): boolean {
  if (chunk.length < 256 * 1024) return false;
  const start = Math.floor(chunk.length / 2) - 8 * 1024;
  const probe = chunk.subarray(start, start + 16 * 1024);
  return zlib.deflateRawSync(probe, { level: LOW_LEVEL }).length > probe.length * 0.88;
}
