/**
 * Exact (brute-force) nearest neighbours over vectors held in one Float32Array, with the same
 * distances hnswlib uses. It is the yardstick recall is measured against, and what searches
 * fall back to while a broken index is rebuilt.
 */
import type { EmbeddingSpace } from '../../../src-shared/models/vectors';

/** Vectors of one collection, row-major, with their labels (chunk ids). */
export interface VectorTable {
  readonly dimension: number;
  readonly space: EmbeddingSpace;
  /** `labels.length * dimension` values; normalized already for cosine. */
  readonly values: Float32Array;
  readonly labels: Float64Array;
}

/** Scales a vector to unit length in place (a zero vector stays zero). */
export function normalizeInPlace(vector: Float32Array, offset = 0, length = vector.length): void {
  let sum = 0;
  for (let i = offset; i < offset + length; i++) sum += (vector[i] ?? 0) * (vector[i] ?? 0);
  if (sum === 0) return;
  const scale = 1 / Math.sqrt(sum);
  for (let i = offset; i < offset + length; i++) vector[i] = (vector[i] ?? 0) * scale;
}

/** hnswlib's distance between a query and row `row` of a table (query normalized for cosine). */
export function distanceTo(table: VectorTable, query: Float32Array, row: number): number {
  const { dimension, values } = table;
  const base = row * dimension;
  // Non-null reads, not `?? 0`: this loop is the whole cost of exact search.
  if (table.space === 'l2') {
    let sum = 0;
    for (let i = 0; i < dimension; i++) {
      const d = query[i]! - values[base + i]!;
      sum += d * d;
    }
    return sum;
  }
  let dot = 0;
  for (let i = 0; i < dimension; i++) dot += query[i]! * values[base + i]!;
  return 1 - dot;
}

/** A neighbour: its label and distance. */
export interface Neighbour {
  readonly label: number;
  readonly distance: number;
}

/** The `k` nearest rows to a query, closest first. */
export function exactSearch(table: VectorTable, query: Float32Array, k: number): Neighbour[] {
  const prepared = Float32Array.from(query);
  if (table.space === 'cosine') normalizeInPlace(prepared);
  const rows = table.labels.length;
  // A small sorted array beats a heap for the k of a search (10 to a few hundred).
  const best: Neighbour[] = [];
  for (let row = 0; row < rows; row++) {
    const distance = distanceTo(table, prepared, row);
    if (best.length === k && distance >= best[k - 1]!.distance) continue;
    let at = best.length;
    while (at > 0 && best[at - 1]!.distance > distance) at--;
    best.splice(at, 0, { label: table.labels[row]!, distance });
    if (best.length > k) best.pop();
  }
  return best;
}

/**
 * recall@k of approximate results against exact ones, counting ties as found: an approximate
 * neighbour as close as the exact k-th one is a right answer even when duplicates make the
 * exact label list ambiguous.
 */
export function recallOf(
  exact: ReadonlyArray<Neighbour>,
  approximate: ReadonlyArray<Neighbour>,
): number {
  if (exact.length === 0) return 1;
  const kth = exact[exact.length - 1]!.distance;
  const tolerance = 1e-5 * Math.max(1, Math.abs(kth));
  const exactLabels = new Set(exact.map((n) => n.label));
  let found = 0;
  const seen = new Set<number>();
  for (const neighbour of approximate.slice(0, exact.length)) {
    if (seen.has(neighbour.label)) continue;
    seen.add(neighbour.label);
    if (exactLabels.has(neighbour.label) || neighbour.distance <= kth + tolerance) found++;
  }
  return Math.min(1, found / exact.length);
}

/** Picks `count` distinct row numbers out of `rows`, spread evenly and deterministically. */
export function sampleRows(rows: number, count: number): number[] {
  if (count >= rows) return Array.from({ length: rows }, (_, i) => i);
  const step = rows / count;
  return Array.from({ length: count }, (_, i) => Math.floor(i * step + step / 2));
}
