/**
 * What an index worker is told of a collection's index: its shape, and the level seed that
 * makes a rebuild of the same data the same file.
 */
import { createHash } from 'node:crypto';
import type { CollectionRecord } from '../store/assistant-db';

/** A deterministic level seed per collection, so a rebuild of the same data is the same file. */
export function seedFor(collection: string): number {
  return createHash('sha256').update(`tend/hnsw/${collection}`).digest().readUInt32LE(0) % 2 ** 31;
}

/** The collection's id, dimension, space and HNSW parameters, as a worker request carries them. */
export function shapeOf(collection: CollectionRecord) {
  return {
    collection: collection.id,
    dimension: collection.dimension,
    space: collection.space,
    m: collection.m,
    efConstruction: collection.efConstruction,
    ef: collection.efSearch,
  };
}
