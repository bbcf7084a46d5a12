/**
 * Reading a collection's live (not deleted) chunk vectors out of assistant.db.
 */
import type Database from 'better-sqlite3';
import type { EmbeddingSpace } from '../../../src-shared/models/vectors';
import { decodeEmbedding } from '../store/assistant-db';
import { normalizeInPlace, type VectorTable } from './exact-search';

/** The number of live chunks of a collection. */
export function countLiveChunks(db: Database.Database, collection: string): number {
  const row = db
    .prepare('SELECT count(*) AS n FROM chunks WHERE collection_id = ? AND deleted_at IS NULL')
    .get(collection) as { n: number };
  return row.n;
}

/** Iterates a collection's live chunks, by id, as (label, vector). */
export function* iterateLiveVectors(
  db: Database.Database,
  collection: string,
  dimension: number,
): Generator<{ label: number; vector: Float32Array }> {
  const rows = db
    .prepare(
      'SELECT id, embedding FROM chunks WHERE collection_id = ? AND deleted_at IS NULL ORDER BY id',
    )
    .iterate(collection) as IterableIterator<{ id: number; embedding: Buffer }>;
  for (const row of rows)
    yield { label: row.id, vector: decodeEmbedding(row.embedding, dimension) };
}

/** Every live vector of a collection in one table (normalized for cosine), for exact search. */
export function readLiveVectors(
  db: Database.Database,
  collection: string,
  dimension: number,
  space: EmbeddingSpace,
): VectorTable {
  const count = countLiveChunks(db, collection);
  const values = new Float32Array(count * dimension);
  const labels = new Float64Array(count);
  let row = 0;
  for (const { label, vector } of iterateLiveVectors(db, collection, dimension)) {
    // A chunk committed between the count and the read waits for the next check.
    if (row === count) break;
    values.set(vector, row * dimension);
    if (space === 'cosine') normalizeInPlace(values, row * dimension, dimension);
    labels[row] = label;
    row++;
  }
  return {
    dimension,
    space,
    values: row === count ? values : values.subarray(0, row * dimension),
    labels: row === count ? labels : labels.subarray(0, row),
  };
}
