/**
 * The collection rows of assistant.db that the vectors domain reads and writes.
 */
import fs from 'node:fs';
import type Database from 'better-sqlite3';
import { TendFailure } from '../../../src-shared/errors';
import type { ChunkPreview, EmbeddingSpace } from '../../../src-shared/models/vectors';
import {
  AssistantDbError,
  decodeEmbedding,
  listCollections,
  openAssistantDb,
  type CollectionRecord,
} from '../store/assistant-db';

/**
 * Opens assistant.db, turning its refusals into failures a person can act on. `create` makes
 * it when missing; `readonly` reads only and leaves nothing behind.
 */
export function openStore(
  file: string,
  options: { create?: boolean; readonly?: boolean } = {},
): Database.Database {
  const create = options.create ?? false;
  if (!create && !fs.existsSync(file)) {
    throw new TendFailure(
      'ASSISTANT_DB_MISSING',
      'This data folder has no assistant database yet. Import a file to create one.',
    );
  }
  try {
    return openAssistantDb(file, { create, readonly: options.readonly ?? false });
  } catch (error) {
    if (error instanceof AssistantDbError) {
      throw new TendFailure(
        error.code === 'ASSISTANT_DB_MISSING' ? 'ASSISTANT_DB_MISSING' : 'ASSISTANT_DB_UNAVAILABLE',
        error.message,
      );
    }
    throw new TendFailure(
      'ASSISTANT_DB_UNAVAILABLE',
      `Cannot open the assistant database: ${(error as Error).message}`,
    );
  }
}

/** Runs `work` on a fresh read-only connection to assistant.db and always closes it. */
export function withStore<T>(file: string, work: (db: Database.Database) => T): T {
  const db = openStore(file, { readonly: true });
  try {
    return work(db);
  } finally {
    db.close();
  }
}

/** One collection, or COLLECTION_NOT_FOUND. */
export function requireCollection(db: Database.Database, id: string): CollectionRecord {
  const found = findCollection(db, id);
  if (!found) {
    throw new TendFailure('COLLECTION_NOT_FOUND', `There is no collection "${id}".`);
  }
  return found;
}

/** One collection, or null. */
export function findCollection(db: Database.Database, id: string): CollectionRecord | null {
  return listCollections(db).find((collection) => collection.id === id) ?? null;
}

/** What a new collection is made of. */
export interface NewCollection {
  readonly id: string;
  readonly name: string;
  readonly dimension: number;
  readonly space: EmbeddingSpace;
  readonly m: number;
  readonly efConstruction: number;
  readonly ef: number;
}

/** Inserts a collection row; COLLECTION_EXISTS when the id is taken. */
export function insertCollection(db: Database.Database, collection: NewCollection): void {
  if (findCollection(db, collection.id)) {
    throw new TendFailure('COLLECTION_EXISTS', `A collection "${collection.id}" already exists.`);
  }
  db.prepare(
    `INSERT INTO collections (id, name, dimension, space, m, ef_construction, ef_search, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    collection.id,
    collection.name,
    collection.dimension,
    collection.space,
    collection.m,
    collection.efConstruction,
    collection.ef,
    new Date().toISOString(),
  );
}

/** A stored chunk's embedding, if it is a live chunk of the collection. */
export function chunkEmbedding(
  db: Database.Database,
  collection: CollectionRecord,
  chunkId: number,
): Float32Array {
  const row = db
    .prepare(
      'SELECT embedding FROM chunks WHERE id = ? AND collection_id = ? AND deleted_at IS NULL',
    )
    .get(chunkId, collection.id) as { embedding: Buffer } | undefined;
  if (!row) {
    throw new TendFailure(
      'INVALID_INPUT',
      `Chunk ${chunkId} is not a live chunk of the collection "${collection.id}".`,
    );
  }
  return decodeEmbedding(row.embedding, collection.dimension);
}

/** Live chunks by id with their document, for search results. */
export function chunkPreviews(
  db: Database.Database,
  collection: string,
  ids: ReadonlyArray<number>,
): Map<number, ChunkPreview> {
  const out = new Map<number, ChunkPreview>();
  if (ids.length === 0) return out;
  const rows = db
    .prepare(
      `SELECT c.id, c.text, c.document_id, d.title FROM chunks c
       JOIN documents d ON d.id = c.document_id
       WHERE c.collection_id = ? AND c.deleted_at IS NULL
         AND c.id IN (SELECT value FROM json_each(?))`,
    )
    .all(collection, JSON.stringify(ids)) as Array<{
    id: number;
    text: string;
    document_id: string;
    title: string;
  }>;
  for (const row of rows) {
    out.set(row.id, {
      chunkId: row.id,
      documentId: row.document_id,
      documentTitle: row.title,
      text: row.text,
    });
  }
  return out;
}

/** A spread of live chunks of a collection, for a test search. */
export function sampleChunks(
  db: Database.Database,
  collection: string,
  limit: number,
): ChunkPreview[] {
  const ids = db
    .prepare('SELECT id FROM chunks WHERE collection_id = ? AND deleted_at IS NULL ORDER BY id')
    .pluck()
    .all(collection) as number[];
  const step = Math.max(1, ids.length / limit);
  const picked: number[] = [];
  for (let at = 0; at < ids.length && picked.length < limit; at += step) {
    picked.push(ids[Math.floor(at)]!);
  }
  const previews = chunkPreviews(db, collection, picked);
  return picked.flatMap((id) => previews.get(id) ?? []);
}
