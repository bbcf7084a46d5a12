import fs from 'node:fs';
import os from 'node:os';
import type Database from 'better-sqlite3';
import { BUSY_TIMEOUT_MS, openOwnDatabase, openOwnForReading } from '../stores/sqlite/sqlite-open';
import { ASSISTANT_TABLES, type AssistantTable } from './assistant-schema';
import { applyAssistantMigrations, LATEST_ASSISTANT_VERSION } from './migrations';

/** The schema version this Tend writes into assistant.db's `PRAGMA user_version`. */
export const ASSISTANT_SCHEMA_VERSION = LATEST_ASSISTANT_VERSION;

/** Why assistant.db could not be opened. */
export type AssistantDbErrorCode =
  | 'ASSISTANT_DB_MISSING'
  | 'ASSISTANT_DB_UNINITIALISED'
  | 'ASSISTANT_DB_NEWER'
  | 'ASSISTANT_DB_FOREIGN'
  | 'ASSISTANT_DB_OPTIONS';

/**
 * A refusal to open assistant.db, with a stable code.
 *
 * Kept local to the store until src-shared's error codes grow store entries; the message is
 * written for a person.
 */
export class AssistantDbError extends Error {
  readonly code: AssistantDbErrorCode;

  constructor(code: AssistantDbErrorCode, message: string) {
    super(message);
    this.name = 'AssistantDbError';
    this.code = code;
  }
}

/** How to open assistant.db. */
export interface OpenAssistantDbOptions {
  /** Create the file and the schema when they do not exist yet. */
  readonly create?: boolean;
  /** Only read (never together with `create`): nothing is written, nothing left behind. */
  readonly readonly?: boolean;
}

/**
 * Opens the assistant store with foreign keys and a 5 s busy timeout.
 *
 * The journal mode is the assistant's choice and is never changed: only a database created
 * here starts in WAL. With `create`, a missing file or an empty database gets the current
 * schema and its `user_version`. Without it, a missing file, a database without the schema, or
 * one written by a newer schema are refused rather than guessed at.
 */
export function openAssistantDb(
  path: string,
  options: OpenAssistantDbOptions = {},
): Database.Database {
  const create = options.create ?? false;
  const readonly = options.readonly ?? false;
  if (create && readonly) {
    throw new AssistantDbError('ASSISTANT_DB_OPTIONS', 'assistant.db cannot be created read-only.');
  }
  if (!create && !fs.existsSync(path)) {
    throw new AssistantDbError(
      'ASSISTANT_DB_MISSING',
      `There is no assistant database at ${path}.`,
    );
  }
  // Written: the journal mode stays the assistant's (a new file starts in WAL), NORMAL sync
  // under WAL (no corruption, at worst the last commits lost on power failure, and much faster
  // for the bulk writes of imports). Read: nothing written, nothing left behind.
  const db = readonly
    ? openOwnForReading(path)
    : openOwnDatabase(path, { create, keepJournalMode: true });
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma('foreign_keys = ON');
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > ASSISTANT_SCHEMA_VERSION) {
      throw new AssistantDbError(
        'ASSISTANT_DB_NEWER',
        `${path} has schema version ${version}, newer than this Tend knows (${ASSISTANT_SCHEMA_VERSION}). Update Tend.`,
      );
    }
    if (version === 0) {
      if (!create) {
        throw new AssistantDbError(
          'ASSISTANT_DB_UNINITIALISED',
          `${path} is not an assistant database (it has no schema version).`,
        );
      }
      const existing = db
        .prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'")
        .get() as { n: number };
      if (existing.n > 0) {
        throw new AssistantDbError(
          'ASSISTANT_DB_FOREIGN',
          `${path} already holds other tables; Tend will not add the assistant schema to it.`,
        );
      }
      // A new database gets every numbered migration, the same steps an old one is taken
      // through, so both end with the same schema.
      applyAssistantMigrations(db);
    }
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

// Embeddings are stored little-endian whatever the host, so a file moves between machines.
const littleEndianHost = os.endianness() === 'LE';

/**
 * Encodes a vector as the float32 little-endian BLOB the chunks table stores.
 *
 * Refuses NaN and infinities: one of them poisons every distance an index computes with it.
 */
export function encodeEmbedding(vector: Float32Array): Buffer {
  for (let i = 0; i < vector.length; i++) {
    if (!Number.isFinite(vector[i])) {
      throw new RangeError(
        `Embedding value ${i} is ${String(vector[i])}; only finite numbers can be stored.`,
      );
    }
  }
  if (littleEndianHost) {
    return Buffer.from(new Uint8Array(vector.buffer, vector.byteOffset, vector.byteLength));
  }
  const out = Buffer.alloc(vector.length * 4);
  for (let i = 0; i < vector.length; i++) out.writeFloatLE(vector[i] ?? 0, i * 4);
  return out;
}

/** Decodes a chunk's embedding BLOB, refusing one whose length does not fit the dimension. */
export function decodeEmbedding(blob: Uint8Array, dimension: number): Float32Array {
  if (!Number.isInteger(dimension) || dimension <= 0) {
    throw new RangeError(`An embedding dimension must be a positive integer, not ${dimension}.`);
  }
  if (blob.byteLength !== dimension * 4) {
    throw new RangeError(
      `Embedding is ${blob.byteLength} bytes; a ${dimension}-dimension float32 vector needs ${dimension * 4}.`,
    );
  }
  const out = new Float32Array(dimension);
  if (littleEndianHost) {
    // Copying through bytes also fixes alignment: SQLite's buffers need not be 4-byte aligned.
    new Uint8Array(out.buffer).set(blob);
    return out;
  }
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  for (let i = 0; i < dimension; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

/** Row counts of every assistant table, soft-deleted rows included. */
export type AssistantRowCounts = Readonly<Record<AssistantTable, number>>;

/** Counts the rows of every assistant table. */
export function countRows(db: Database.Database): AssistantRowCounts {
  const counts = {} as Record<AssistantTable, number>;
  for (const table of ASSISTANT_TABLES) {
    // Table names come from a constant list, never from input.
    const row = db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number };
    counts[table] = row.n;
  }
  return counts;
}

/** The distance an index of a collection uses. */
export type EmbeddingSpace = 'cosine' | 'l2' | 'ip';

/** One collection with its index parameters and what it holds now. */
export interface CollectionRecord {
  readonly id: string;
  readonly name: string;
  readonly dimension: number;
  readonly space: EmbeddingSpace;
  readonly m: number;
  readonly efConstruction: number;
  readonly efSearch: number;
  readonly createdAt: string;
  /** Documents not soft-deleted. */
  readonly documentCount: number;
  /** Chunks not soft-deleted: exactly what the collection's index should hold. */
  readonly chunkCount: number;
}

interface CollectionRow {
  id: string;
  name: string;
  dimension: number;
  space: EmbeddingSpace;
  m: number;
  ef_construction: number;
  ef_search: number;
  created_at: string;
  document_count: number;
  chunk_count: number;
}

/** Lists the collections, by id, with their live document and chunk counts. */
export function listCollections(db: Database.Database): ReadonlyArray<CollectionRecord> {
  const rows = db
    .prepare(
      `SELECT c.id, c.name, c.dimension, c.space, c.m, c.ef_construction, c.ef_search, c.created_at,
         (SELECT count(*) FROM documents d
           WHERE d.collection_id = c.id AND d.deleted_at IS NULL) AS document_count,
         (SELECT count(*) FROM chunks k
           WHERE k.collection_id = c.id AND k.deleted_at IS NULL) AS chunk_count
       FROM collections c
       ORDER BY c.id`,
    )
    .all() as CollectionRow[];
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    dimension: row.dimension,
    space: row.space,
    m: row.m,
    efConstruction: row.ef_construction,
    efSearch: row.ef_search,
    createdAt: row.created_at,
    documentCount: row.document_count,
    chunkCount: row.chunk_count,
  }));
}

export { ASSISTANT_TABLES, type AssistantTable } from './assistant-schema';
