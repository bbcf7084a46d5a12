/**
 * A demo Chroma persist directory with the schema of Chroma's source (chroma-schema.ts):
 * collections, their metadata and vector segments, records, the log, and for every vector
 * segment a persisted HNSW index folder. Chroma cannot be installed here, so the demo writes
 * what Chroma writes rather than asking Chroma to.
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { DEMO_TOPICS, sentence, slugify, title } from '../../demo/demo-text';
import { documentEmbeddings, topicCentroid } from '../../demo/demo-embeddings';
import { DEFAULT_DEMO_NOW, daysBefore } from '../../demo/demo-time';
import { SeededRandom } from '../../demo/random';
import { pickle, type PickleValue } from '../pickle-bytes';
import { createDatabase } from '../sqlite/sqlite-open';
import type { StoreDemoOptions } from '../store-kind';
import {
  CHROMA_BOOKKEEPING_SQL,
  CHROMA_DB_FILE,
  CHROMA_SCHEMA,
  DEFAULT_DATABASE_ID,
  DEFAULT_DATABASE_NAME,
  DEFAULT_TENANT,
  HNSW_SEGMENT_TYPE,
  SQLITE_SEGMENT_TYPE,
} from './chroma-schema';
import { encodeHnswSegment } from './hnsw-segment';

/** What the Chroma demo writes. */
export interface ChromaDemo extends StoreDemoOptions {
  /** Collections (2 unless given). */
  readonly collections?: number;
  /** Records per collection (30 unless given). */
  readonly records?: number;
  readonly dimension?: number;
  /** Segment folders left behind by deleted collections (0 unless given). */
  readonly orphans?: number;
  /**
   * The collections' names, as the app names them (Open WebUI: `file-<id>`, a knowledge
   * base's id); one collection each. Topic names unless given.
   */
  readonly names?: ReadonlyArray<string>;
}

/** hnswlib parameters Chroma uses unless a collection says otherwise. */
const HNSW_M = 16;
const HNSW_EF_CONSTRUCTION = 100;
/** The capacity Chroma's local HNSW segment starts an index with. */
const INITIAL_CAPACITY = 1000;

function uuid(rng: SeededRandom): string {
  const hex = rng.hex(32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
}

/** SQLite's CURRENT_TIMESTAMP format, `YYYY-MM-DD HH:MM:SS` in UTC. */
function sqliteTime(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

function floatBlob(vector: Float32Array): Buffer {
  const out = Buffer.alloc(vector.length * 4);
  vector.forEach((value, i) => out.writeFloatLE(value, i * 4));
  return out;
}

/** Each vector's nearest others (L2), at most `k`: the level-0 links of the demo graph. */
function nearest(vectors: ReadonlyArray<Float32Array>, k: number): number[][] {
  return vectors.map((a, i) => {
    const distances = vectors.map((b, j) => {
      let sum = 0;
      for (let d = 0; d < a.length; d++) sum += ((a[d] ?? 0) - (b[d] ?? 0)) ** 2;
      return [sum, j] as const;
    });
    return distances
      .filter(([, j]) => j !== i)
      .sort((x, y) => x[0] - y[0] || x[1] - y[1])
      .slice(0, k)
      .map(([, j]) => j);
  });
}

async function writeSegmentFolder(
  folder: string,
  vectors: ReadonlyArray<Float32Array>,
  ids: ReadonlyArray<string>,
  seqIds: ReadonlyArray<number>,
  dimension: number,
): Promise<void> {
  await fs.mkdir(folder, { recursive: true });
  const labels = ids.map((_, i) => i + 1);
  const files = encodeHnswSegment({
    dimension,
    m: HNSW_M,
    efConstruction: HNSW_EF_CONSTRUCTION,
    maxElements: INITIAL_CAPACITY,
    vectors,
    labels,
    neighbours: nearest(vectors, 2 * HNSW_M),
  });
  for (const [name, bytes] of Object.entries(files))
    await fs.writeFile(path.join(folder, name), bytes);
  // local_persistent_hnsw.py pickles its PersistentData object beside the index.
  const state = new Map<string, PickleValue>([
    ['dimensionality', dimension],
    ['total_elements_added', ids.length],
    ['max_seq_id', seqIds.at(-1) ?? 0],
    ['id_to_label', new Map(ids.map((id, i) => [id, labels[i] ?? 0]))],
    ['label_to_id', new Map(ids.map((id, i) => [labels[i] ?? 0, id]))],
    ['id_to_seq_id', new Map(ids.map((id, i) => [id, seqIds[i] ?? 0]))],
  ]);
  await fs.writeFile(
    path.join(folder, 'index_metadata.pickle'),
    pickle({
      object: {
        module: 'chromadb.segment.impl.vector.local_persistent_hnsw',
        name: 'PersistentData',
        state,
      },
    }),
  );
}

/** Writes a demo Chroma persist directory at `dir` (chroma.sqlite3 must not exist yet). */
export async function writeChromaDemo(dir: string, demo: ChromaDemo): Promise<void> {
  const rng = new SeededRandom(`chroma/${demo.seed}`);
  const dimension = demo.dimension ?? 384;
  const perCollection = demo.records ?? 30;
  await fs.mkdir(dir, { recursive: true });
  const db = createDatabase(path.join(dir, CHROMA_DB_FILE));
  try {
    // Chroma turns foreign keys on inside a transaction, where SQLite ignores the pragma
    // (rust/sqlite/src/db.rs says as much), so they are off in practice: `segments.collection`
    // even refers to a table `collection` that does not exist. The demo writes the same way.
    db.pragma('foreign_keys = OFF');
    db.exec(CHROMA_BOOKKEEPING_SQL);
    const migration = db.prepare(
      'INSERT INTO migrations (dir, version, filename, sql, hash) VALUES (?, ?, ?, ?, ?)',
    );
    db.transaction(() => {
      for (const step of CHROMA_SCHEMA) {
        db.exec(step.sql);
        const hash = crypto.createHash('sha256').update(step.sql).digest('hex');
        migration.run(step.dir, step.version, step.filename, step.sql, hash);
      }
      db.prepare('INSERT INTO acquire_write (lock_status) VALUES (1)').run();
      db.prepare('INSERT INTO tenants (id) VALUES (?)').run(DEFAULT_TENANT);
      db.prepare('INSERT INTO databases (id, name, tenant_id) VALUES (?, ?, ?)').run(
        DEFAULT_DATABASE_ID,
        DEFAULT_DATABASE_NAME,
        DEFAULT_TENANT,
      );
    })();
    const insertCollection = db.prepare(
      'INSERT INTO collections (id, name, dimension, database_id, config_json_str) VALUES (?, ?, ?, ?, ?)',
    );
    const insertCollectionMeta = db.prepare(
      'INSERT INTO collection_metadata (collection_id, key, str_value) VALUES (?, ?, ?)',
    );
    const insertSegment = db.prepare(
      'INSERT INTO segments (id, type, scope, collection) VALUES (?, ?, ?, ?)',
    );
    const insertEmbedding = db.prepare(
      'INSERT INTO embeddings (segment_id, embedding_id, seq_id, created_at) VALUES (?, ?, ?, ?)',
    );
    const insertMeta = db.prepare(
      'INSERT INTO embedding_metadata (id, key, string_value, int_value) VALUES (?, ?, ?, ?)',
    );
    const insertText = db.prepare(
      'INSERT INTO embedding_fulltext_search (rowid, string_value) VALUES (?, ?)',
    );
    const insertLog = db.prepare(
      'INSERT INTO embeddings_queue (seq_id, created_at, operation, topic, id, vector, encoding, metadata) VALUES (?, ?, 0, ?, ?, ?, ?, ?)',
    );
    const insertMaxSeq = db.prepare('INSERT INTO max_seq_id (segment_id, seq_id) VALUES (?, ?)');
    let seq = 0;
    const count = demo.names?.length ?? demo.collections ?? 2;
    for (let c = 0; c < count; c++) {
      const topic = DEMO_TOPICS[c % DEMO_TOPICS.length]!;
      const stream = rng.fork(`collection-${c}`);
      const collectionId = uuid(stream);
      const vectorSegment = uuid(stream);
      const metadataSegment = uuid(stream);
      const centroid = topicCentroid(stream.fork('centroid'), dimension);
      const vectors = documentEmbeddings(stream.fork('vectors'), centroid, perCollection);
      const ids: string[] = [];
      const seqIds: number[] = [];
      db.transaction(() => {
        insertCollection.run(
          collectionId,
          demo.names?.[c] ?? topic.id,
          dimension,
          DEFAULT_DATABASE_ID,
          '{}',
        );
        insertCollectionMeta.run(collectionId, 'hnsw:space', 'l2');
        insertSegment.run(vectorSegment, HNSW_SEGMENT_TYPE, 'VECTOR', collectionId);
        insertSegment.run(metadataSegment, SQLITE_SEGMENT_TYPE, 'METADATA', collectionId);
        vectors.forEach((vector, i) => {
          seq++;
          const id = `${slugify(title(stream, topic), 30)}-${i}`;
          const text = `${sentence(stream, topic)} ${sentence(stream, topic)}`;
          ids.push(id);
          seqIds.push(seq);
          // Written explicitly, not by the column default: the same seed writes the same bytes.
          const at = sqliteTime(daysBefore(DEFAULT_DEMO_NOW, 90 - seq / 10));
          const row = insertEmbedding.run(metadataSegment, id, seq, at).lastInsertRowid;
          const textRow = insertMeta.run(row, 'chroma:document', text, null).lastInsertRowid;
          insertText.run(textRow, text);
          insertMeta.run(row, 'chunk', null, i);
          insertLog.run(
            seq,
            at,
            collectionId,
            id,
            floatBlob(vector),
            'FLOAT32',
            JSON.stringify({ 'chroma:document': text, chunk: i }),
          );
        });
        insertMaxSeq.run(vectorSegment, seq);
        insertMaxSeq.run(metadataSegment, seq);
      })();
      await writeSegmentFolder(path.join(dir, vectorSegment), vectors, ids, seqIds, dimension);
    }
    for (let o = 0; o < (demo.orphans ?? 0); o++) {
      // A folder like those Chroma leaves when a collection is deleted while the files are open.
      const stream = rng.fork(`orphan-${o}`);
      const vectors = documentEmbeddings(stream, topicCentroid(stream.fork('c'), dimension), 12);
      const ids = vectors.map((_, i) => `deleted-${o}-${i}`);
      await writeSegmentFolder(
        path.join(dir, uuid(stream)),
        vectors,
        ids,
        ids.map((_, i) => i + 1),
        dimension,
      );
    }
  } finally {
    db.close();
  }
}
