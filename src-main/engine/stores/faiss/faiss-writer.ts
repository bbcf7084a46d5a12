/**
 * Writes FAISS index files in FAISS's own byte format (see faiss-format.ts), for demos:
 * `faiss.read_index` loads what this writes (tests/main/engine/stores/faiss-store.test.ts).
 */
import type { FaissMetric } from './faiss-format';

/** Vectors to write, row after row. */
export interface FaissVectors {
  readonly dimension: number;
  /** `count × dimension` values. */
  readonly values: Float32Array;
}

function header(dimension: number, count: number, metric: 'l2' | 'inner-product'): Buffer {
  const out = Buffer.alloc(33);
  out.writeInt32LE(dimension, 0);
  out.writeBigInt64LE(BigInt(count), 4);
  out.writeBigInt64LE(1n << 20n, 12);
  out.writeBigInt64LE(1n << 20n, 20);
  out.writeUInt8(1, 28);
  out.writeInt32LE(metric === 'inner-product' ? 0 : 1, 29);
  return out;
}

function u64(value: number): Buffer {
  const out = Buffer.alloc(8);
  out.writeBigUInt64LE(BigInt(value));
  return out;
}

function floatBytes(values: Float32Array): Buffer {
  const out = Buffer.alloc(values.length * 4);
  for (let i = 0; i < values.length; i++) out.writeFloatLE(values[i] ?? 0, i * 4);
  return out;
}

/** An IndexFlatL2 or IndexFlatIP holding `vectors`. */
export function encodeFlatIndex(
  vectors: FaissVectors,
  metric: Exclude<FaissMetric, 'other'>,
): Buffer {
  const count = vectors.values.length / vectors.dimension;
  if (!Number.isInteger(count)) {
    throw new RangeError(
      `${vectors.values.length} values do not make ${vectors.dimension}-dimension rows.`,
    );
  }
  return Buffer.concat([
    Buffer.from(metric === 'l2' ? 'IxF2' : 'IxFI', 'latin1'),
    header(vectors.dimension, count, metric),
    u64(vectors.values.length),
    floatBytes(vectors.values),
  ]);
}

/** An IndexIDMap around a flat index, with the given 64-bit ids. */
export function encodeIdMapIndex(
  vectors: FaissVectors,
  metric: Exclude<FaissMetric, 'other'>,
  ids: ReadonlyArray<number>,
): Buffer {
  const count = vectors.values.length / vectors.dimension;
  if (ids.length !== count) throw new RangeError(`${ids.length} ids for ${count} vectors.`);
  const idBytes = Buffer.alloc(ids.length * 8);
  ids.forEach((id, i) => idBytes.writeBigInt64LE(BigInt(id), i * 8));
  return Buffer.concat([
    Buffer.from('IxMp', 'latin1'),
    header(vectors.dimension, count, metric),
    encodeFlatIndex(vectors, metric),
    u64(ids.length),
    idBytes,
  ]);
}
