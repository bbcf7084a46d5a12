import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ASSISTANT_SCHEMA_VERSION,
  ASSISTANT_TABLES,
  AssistantDbError,
  countRows,
  decodeEmbedding,
  encodeEmbedding,
  listCollections,
  openAssistantDb,
} from '../../../../src-main/engine/store/assistant-db';

const dirs: string[] = [];
const open: Database.Database[] = [];

function tempDb(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tend-'));
  dirs.push(dir);
  return path.join(dir, 'assistant.db');
}

function track(db: Database.Database): Database.Database {
  open.push(db);
  return db;
}

afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function vector(dimension: number, seed = 1): Float32Array {
  return Float32Array.from({ length: dimension }, (_, i) => Math.sin(seed * 31 + i) / 3);
}

/** A store with one collection of dimension 4 and one document. */
function seeded(): Database.Database {
  const db = track(openAssistantDb(tempDb(), { create: true }));
  db.prepare(
    "INSERT INTO collections (id, name, dimension, space, m, ef_construction, ef_search, created_at) VALUES ('c1', 'One', 4, 'cosine', 16, 100, 50, '2026-01-01T00:00:00.000Z')",
  ).run();
  db.prepare(
    "INSERT INTO collections (id, name, dimension, space, created_at) VALUES ('c2', 'Two', 8, 'l2', '2026-01-02T00:00:00.000Z')",
  ).run();
  db.prepare(
    `INSERT INTO documents (id, collection_id, title, source_path, mime, bytes, sha256, created_at)
     VALUES ('d1', 'c1', 'Doc', 'doc.md', 'text/markdown', 10, ?, '2026-01-01T00:00:00.000Z')`,
  ).run('a'.repeat(64));
  return db;
}

const insertChunk = `INSERT INTO chunks (document_id, collection_id, ordinal, text, embedding, token_count, created_at, deleted_at)
  VALUES (?, ?, ?, 'text', ?, 1, '2026-01-01T00:00:00.000Z', ?)`;

describe('openAssistantDb', () => {
  it('creates the schema, sets user_version and turns on WAL, foreign keys and a busy timeout', () => {
    const file = tempDb();
    const db = track(openAssistantDb(file, { create: true }));
    expect(db.pragma('user_version', { simple: true })).toBe(ASSISTANT_SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    const tables = db
      .prepare("SELECT name, strict FROM pragma_table_list WHERE schema = 'main'")
      .all() as Array<{
      name: string;
      strict: number;
    }>;
    for (const table of ASSISTANT_TABLES) {
      expect(tables.find((row) => row.name === table)?.strict, table).toBe(1);
    }
    const indexes = (
      db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index'").all() as Array<{
        name: string;
      }>
    ).map((row) => row.name);
    expect(indexes).toEqual(
      expect.arrayContaining([
        'interactions_timestamp',
        'interactions_session',
        'chunks_collection',
      ]),
    );
  });

  it('reopens an existing store without create, and read-only', () => {
    const file = tempDb();
    track(openAssistantDb(file, { create: true })).close();
    const again = track(openAssistantDb(file));
    expect(again.pragma('user_version', { simple: true })).toBe(ASSISTANT_SCHEMA_VERSION);
    again.close();
    const reader = track(openAssistantDb(file, { readonly: true }));
    expect(countRows(reader).collections).toBe(0);
    expect(() =>
      reader.prepare("INSERT INTO memories VALUES ('m', 'fact', 'x', 'a', 'b')").run(),
    ).toThrow(/readonly/i);
  });

  it('never switches a database in journal_mode=DELETE to WAL', () => {
    const file = tempDb();
    track(openAssistantDb(file, { create: true })).close();
    const raw = new Database(file);
    raw.pragma('journal_mode = DELETE');
    raw.close();
    const writer = track(openAssistantDb(file));
    writer.prepare("INSERT INTO memories VALUES ('m', 'fact', 'x', 'a', 'b')").run();
    expect(writer.pragma('journal_mode', { simple: true })).toBe('delete');
    writer.close();
    const reader = track(openAssistantDb(file, { readonly: true }));
    expect(countRows(reader).memories).toBe(1);
    reader.close();
    expect(fs.readdirSync(path.dirname(file))).toEqual(['assistant.db']);
  });

  it('a reader leaves no -wal or -shm behind, and leaves those of an open writer alone', () => {
    const file = tempDb();
    track(openAssistantDb(file, { create: true })).close();
    expect(fs.readdirSync(path.dirname(file))).toEqual(['assistant.db']);
    const reader = track(openAssistantDb(file, { readonly: true }));
    expect(reader.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(countRows(reader).collections).toBe(0);
    expect(() =>
      reader.prepare("INSERT INTO memories VALUES ('m', 'fact', 'x', 'a', 'b')").run(),
    ).toThrow(/readonly/i);
    reader.close();
    expect(fs.readdirSync(path.dirname(file))).toEqual(['assistant.db']);

    // The assistant has it open: its -wal and -shm stay for it.
    const assistant = track(new Database(file));
    assistant.prepare("INSERT INTO memories VALUES ('m', 'fact', 'x', 'a', 'b')").run();
    const second = track(openAssistantDb(file, { readonly: true }));
    expect(countRows(second).memories).toBe(1);
    second.close();
    expect(fs.readdirSync(path.dirname(file)).sort()).toEqual([
      'assistant.db',
      'assistant.db-shm',
      'assistant.db-wal',
    ]);
    assistant.close();
    expect(fs.readdirSync(path.dirname(file))).toEqual(['assistant.db']);
  });

  it('refuses a missing file, an uninitialised or foreign database, a newer schema and create+readonly', () => {
    const missing = tempDb();
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        expect(error).toBeInstanceOf(AssistantDbError);
        return (error as AssistantDbError).code;
      }
      throw new Error('expected a refusal');
    };
    expect(code(() => openAssistantDb(missing))).toBe('ASSISTANT_DB_MISSING');
    expect(fs.existsSync(missing)).toBe(false);

    const empty = tempDb();
    new Database(empty).close();
    expect(code(() => openAssistantDb(empty))).toBe('ASSISTANT_DB_UNINITIALISED');

    const foreign = tempDb();
    const other = new Database(foreign);
    other.exec('CREATE TABLE notes (x TEXT)');
    other.close();
    expect(code(() => openAssistantDb(foreign, { create: true }))).toBe('ASSISTANT_DB_FOREIGN');

    const newer = tempDb();
    const future = new Database(newer);
    future.pragma('user_version = 99');
    future.close();
    expect(code(() => openAssistantDb(newer, { create: true }))).toBe('ASSISTANT_DB_NEWER');

    expect(code(() => openAssistantDb(tempDb(), { create: true, readonly: true }))).toBe(
      'ASSISTANT_DB_OPTIONS',
    );
  });

  it('enforces foreign keys, including a chunk staying in its document collection', () => {
    const db = seeded();
    const blob = encodeEmbedding(vector(4));
    expect(() => db.prepare(insertChunk).run('nope', 'c1', 0, blob, null)).toThrow(/FOREIGN KEY/);
    // d1 belongs to c1: claiming it for c2 breaks the composite key (dimension 8 to pass the trigger).
    expect(() =>
      db.prepare(insertChunk).run('d1', 'c2', 0, encodeEmbedding(vector(8)), null),
    ).toThrow(/FOREIGN KEY/);
    expect(() =>
      db
        .prepare(
          "INSERT INTO documents (id, collection_id, title, source_path, mime, bytes, sha256, created_at) VALUES ('d2', 'missing', 't', 'p', 'm', 1, ?, 'x')",
        )
        .run('b'.repeat(64)),
    ).toThrow(/FOREIGN KEY/);
    db.prepare(insertChunk).run('d1', 'c1', 0, blob, null);
    expect(countRows(db).chunks).toBe(1);
  });

  it('cascades chat messages with their session and checks roles, ratings, spaces', () => {
    const db = seeded();
    db.prepare(
      "INSERT INTO chat_sessions (id, collection_id, title, created_at, updated_at) VALUES ('s1', 'c1', 't', 'a', 'b')",
    ).run();
    const message = db.prepare(
      "INSERT INTO chat_messages (session_id, role, content, created_at) VALUES ('s1', ?, 'hi', 'a')",
    );
    message.run('user');
    message.run('assistant');
    expect(() => message.run('robot')).toThrow(/CHECK/);
    db.prepare("DELETE FROM chat_sessions WHERE id = 's1'").run();
    expect(countRows(db).chat_messages).toBe(0);

    const interaction = db.prepare(
      `INSERT INTO interactions (session_id, timestamp, user_role, query, query_type, response_time_ms, response_length, success, user_rating, ip, created_at)
       VALUES ('s', '2026-01-01T00:00:00.000Z', 'dev', 'q', 'general', 12.5, 100, ?, ?, NULL, '2026-01-01T00:00:01.000Z')`,
    );
    interaction.run(1, 5);
    interaction.run(0, null);
    expect(() => interaction.run(1, 6)).toThrow(/CHECK/);
    expect(() => interaction.run(2, 3)).toThrow(/CHECK/);
    expect(() =>
      db
        .prepare(
          "INSERT INTO collections (id, name, dimension, space, created_at) VALUES ('x', 'x', 4, 'hamming', 'a')",
        )
        .run(),
    ).toThrow(/CHECK/);
  });

  it('refuses an embedding whose length does not match the collection dimension', () => {
    const db = seeded();
    expect(() =>
      db.prepare(insertChunk).run('d1', 'c1', 0, encodeEmbedding(vector(5)), null),
    ).toThrow(/dimension/);
    const id = db
      .prepare(insertChunk)
      .run('d1', 'c1', 0, encodeEmbedding(vector(4)), null).lastInsertRowid;
    expect(() =>
      db.prepare('UPDATE chunks SET embedding = ? WHERE id = ?').run(Buffer.alloc(12), id),
    ).toThrow(/dimension/);
  });
});

describe('embeddings', () => {
  it('round-trips float32 values exactly, little-endian', () => {
    const original = vector(384, 7);
    const blob = encodeEmbedding(original);
    expect(blob.byteLength).toBe(384 * 4);
    expect(blob.readFloatLE(4)).toBe(original[1]);
    expect(Array.from(encodeEmbedding(Float32Array.of(1)))).toEqual([0x00, 0x00, 0x80, 0x3f]);
    expect(decodeEmbedding(blob, 384)).toEqual(original);
  });

  it('decodes from an unaligned slice and from what SQLite returns', () => {
    const original = vector(16, 3);
    const padded = Buffer.concat([Buffer.from([9]), encodeEmbedding(original)]);
    expect(decodeEmbedding(padded.subarray(1), 16)).toEqual(original);

    const db = seeded();
    const id = db
      .prepare(insertChunk)
      .run('d1', 'c1', 0, encodeEmbedding(vector(4, 2)), null).lastInsertRowid;
    const row = db.prepare('SELECT embedding FROM chunks WHERE id = ?').get(id) as {
      embedding: Buffer;
    };
    expect(decodeEmbedding(row.embedding, 4)).toEqual(vector(4, 2));
  });

  it('refuses a blob of the wrong length, a bad dimension and non-finite values', () => {
    expect(() => decodeEmbedding(Buffer.alloc(10), 4)).toThrow(RangeError);
    expect(() => decodeEmbedding(Buffer.alloc(20), 4)).toThrow(/20 bytes/);
    expect(() => decodeEmbedding(Buffer.alloc(0), 0)).toThrow(RangeError);
    expect(() => encodeEmbedding(Float32Array.of(1, Number.NaN))).toThrow(RangeError);
    expect(() => encodeEmbedding(Float32Array.of(Number.POSITIVE_INFINITY))).toThrow(RangeError);
  });
});

describe('countRows and listCollections', () => {
  it('counts every table and lists collections with live counts only', () => {
    const db = seeded();
    const blob = encodeEmbedding(vector(4));
    db.prepare(insertChunk).run('d1', 'c1', 0, blob, null);
    db.prepare(insertChunk).run('d1', 'c1', 1, blob, null);
    db.prepare(insertChunk).run('d1', 'c1', 2, blob, '2026-02-01T00:00:00.000Z');
    db.prepare(
      `INSERT INTO documents (id, collection_id, title, source_path, mime, bytes, sha256, created_at, deleted_at)
       VALUES ('gone', 'c1', 'Old', 'old.md', 'text/markdown', 1, ?, 'a', 'b')`,
    ).run('c'.repeat(64));

    expect(countRows(db)).toEqual({
      collections: 2,
      documents: 2,
      chunks: 3,
      memories: 0,
      chat_sessions: 0,
      chat_messages: 0,
      interactions: 0,
    });
    expect(listCollections(db)).toEqual([
      {
        id: 'c1',
        name: 'One',
        dimension: 4,
        space: 'cosine',
        m: 16,
        efConstruction: 100,
        efSearch: 50,
        createdAt: '2026-01-01T00:00:00.000Z',
        documentCount: 1,
        chunkCount: 2,
      },
      expect.objectContaining({
        id: 'c2',
        space: 'l2',
        dimension: 8,
        m: 16,
        efConstruction: 200,
        documentCount: 0,
        chunkCount: 0,
      }),
    ]);
  });

  it('never reuses a deleted chunk id (it is an HNSW label)', () => {
    const db = seeded();
    const blob = encodeEmbedding(vector(4));
    db.prepare(insertChunk).run('d1', 'c1', 0, blob, null);
    const second = Number(db.prepare(insertChunk).run('d1', 'c1', 1, blob, null).lastInsertRowid);
    db.prepare('DELETE FROM chunks WHERE id = ?').run(second);
    const third = Number(db.prepare(insertChunk).run('d1', 'c1', 1, blob, null).lastInsertRowid);
    expect(third).toBeGreaterThan(second);
  });
});
