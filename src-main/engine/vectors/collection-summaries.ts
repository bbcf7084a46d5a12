/**
 * The collections of a root as the Indexes page and `tend vectors collections` show them:
 * counts from assistant.db, the index's figures from index.json, the last health check and
 * compaction from the catalog. Also where a new, empty collection is made.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { CollectionSummary, EmbeddingSpace } from '../../../src-shared/models/vectors';
import { listCollections, type CollectionRecord } from '../store/assistant-db';
import { insertCollection, openStore, requireCollection, withStore } from './collection-store';
import { indexPaths, readIndexMeta } from './index-file';
import type { VectorRoot } from './vector-root';
import { latestCompaction, latestHealth } from './vectors-records';

/** What a new collection is made with. */
export interface NewCollection {
  collection: string;
  name?: string | undefined;
  dimension: number;
  space: EmbeddingSpace;
  m: number;
  efConstruction: number;
  ef: number;
}

/** Every collection with its counts, index figures, last health and compaction. */
export function listCollectionSummaries(root: VectorRoot): CollectionSummary[] {
  // A folder of another profile has none of Tend's collections: an empty list, not an error.
  if (!root.session.assistantStore || !fs.existsSync(root.dbPath)) return [];
  const collections = withStore(root.dbPath, (db) => listCollections(db));
  return collections.map((collection) => summarizeCollection(root, collection));
}

/** One collection with its index figures, last health and compaction. */
export function summarizeCollection(
  root: VectorRoot,
  collection: CollectionRecord,
): CollectionSummary {
  const paths = indexPaths(root.vectorStore, collection.id);
  const meta = readIndexMeta(paths.meta);
  let fileBytes: number | null = null;
  try {
    fileBytes = fs.statSync(paths.index).size;
  } catch {
    fileBytes = null;
  }
  const catalog = root.session.catalog;
  return {
    id: collection.id,
    name: collection.name,
    dimension: collection.dimension,
    space: collection.space,
    m: collection.m,
    efConstruction: collection.efConstruction,
    ef: collection.efSearch,
    createdAt: collection.createdAt,
    documentCount: collection.documentCount,
    chunkCount: collection.chunkCount,
    index:
      meta && fileBytes !== null
        ? {
            count: meta.count,
            deletedCount: meta.deletedCount,
            maxElements: meta.maxElements,
            fileBytes,
            builtAt: meta.builtAt,
          }
        : null,
    lastHealth: latestHealth(catalog, collection.id),
    lastCompaction: latestCompaction(catalog, collection.id),
  };
}

/** Creates an empty collection (and assistant.db when the root has none yet). */
export function createCollection(root: VectorRoot, input: NewCollection): CollectionSummary {
  fs.mkdirSync(path.dirname(root.dbPath), { recursive: true });
  const db = openStore(root.dbPath, { create: true });
  try {
    insertCollection(db, {
      id: input.collection,
      name: input.name ?? input.collection,
      dimension: input.dimension,
      space: input.space,
      m: input.m,
      efConstruction: input.efConstruction,
      ef: input.ef,
    });
    root.events.emit('vectors:changed', { collection: input.collection });
    return summarizeCollection(root, requireCollection(db, input.collection));
  } finally {
    db.close();
  }
}
