import type { SeededRandom } from './random';

/** Dimension of the demo's embeddings (all-MiniLM-L6-v2 and friends). */
export const DEMO_DIMENSION = 384;

// How far a document strays from its collection's centre, and a chunk from its document's.
// With these, chunks of one document have cosine ≈ 0.75, of one collection ≈ 0.4, and of
// different collections ≈ 0: nearest neighbours are the same document, then the same topic.
const DOCUMENT_SPREAD = 0.9;
const CHUNK_SPREAD = 0.6;

function normalize(vector: Float32Array): Float32Array {
  let sum = 0;
  for (const value of vector) sum += value * value;
  const scale = sum > 0 ? 1 / Math.sqrt(sum) : 0;
  for (let i = 0; i < vector.length; i++) vector[i] = (vector[i] ?? 0) * scale;
  return vector;
}

/** `base + spread * noise`, normalized; noise has unit expected length. */
function scatter(
  rng: SeededRandom,
  base: Float32Array | null,
  spread: number,
  dimension: number,
): Float32Array {
  const out = new Float32Array(dimension);
  const scale = spread / Math.sqrt(dimension);
  for (let i = 0; i < dimension; i++) out[i] = (base?.[i] ?? 0) + scale * rng.normal();
  return normalize(out);
}

/** A unit vector, the centre of one collection's topic. */
export function topicCentroid(rng: SeededRandom, dimension = DEMO_DIMENSION): Float32Array {
  return scatter(rng, null, 1, dimension);
}

/**
 * Unit vectors for one document's chunks: the topic centre plus document noise, plus chunk
 * noise. `rng` should be the document's own stream so each document is reproducible alone.
 */
export function documentEmbeddings(
  rng: SeededRandom,
  centroid: Float32Array,
  chunkCount: number,
): Float32Array[] {
  const dimension = centroid.length;
  const documentCentre = scatter(rng, centroid, DOCUMENT_SPREAD, dimension);
  const out: Float32Array[] = [];
  for (let i = 0; i < chunkCount; i++)
    out.push(scatter(rng, documentCentre, CHUNK_SPREAD, dimension));
  return out;
}
