import type Database from 'better-sqlite3';
import { encodeEmbedding } from '../store/assistant-db';
import type { DemoChatSession } from './demo-chat';
import type { DemoDocument } from './demo-documents';
import { DEMO_DIMENSION, documentEmbeddings, topicCentroid } from './demo-embeddings';
import { generateInteractions } from './demo-interactions';
import type { DemoMemory } from './demo-memories';
import type { DemoProgressTracker } from './demo-progress';
import type { DemoTopic } from './demo-text';
import { DAY_MS } from './demo-time';
import type { SeededRandom } from './random';

/** Everything assistant.db of a demo holds, planned. */
export interface DemoDatabaseContent {
  readonly rng: SeededRandom;
  readonly topics: ReadonlyArray<DemoTopic>;
  readonly documents: ReadonlyArray<DemoDocument>;
  readonly memories: ReadonlyArray<DemoMemory>;
  readonly chatSessions: ReadonlyArray<DemoChatSession>;
  readonly interactions: number;
  readonly now: Date;
}

/** Rows per write transaction: large enough to be fast, small enough to keep the UI fed. */
const BATCH_ROWS = 2_000;

// Rough bytes on disk per row, for progress before the file exists; the final report uses the
// real size.
const CHUNK_OVERHEAD = 90;
// A row bigger than half a page gets a page of its own.
const PAGE_BYTES = 4096;
const INTERACTION_ROW = 260;
const MESSAGE_OVERHEAD = 90;
const SMALL_ROW = 200;

/** An estimate of assistant.db's size, for progress. */
export function estimateDatabaseBytes(content: DemoDatabaseContent): number {
  let bytes = 64 * 1024;
  for (const doc of content.documents) {
    bytes += SMALL_ROW;
    for (const chunk of doc.chunks) {
      const row = DEMO_DIMENSION * 4 + chunk.length + CHUNK_OVERHEAD;
      bytes += row > PAGE_BYTES / 2 ? PAGE_BYTES : row;
    }
  }
  for (const session of content.chatSessions) {
    bytes += SMALL_ROW;
    for (const message of session.messages) bytes += message.content.length + MESSAGE_OVERHEAD;
  }
  bytes += content.memories.length * SMALL_ROW + content.interactions * INTERACTION_ROW;
  return Math.round(bytes * 1.1);
}

/**
 * Index parameters of the demo collections: mostly Chroma-like defaults, every third one
 * different, so code that reads them from the store (not from constants) is exercised.
 */
export function collectionParameters(index: number): {
  m: number;
  efConstruction: number;
  efSearch: number;
} {
  return index % 3 === 2
    ? { m: 12, efConstruction: 150, efSearch: 64 }
    : { m: 16, efConstruction: 100, efSearch: 50 };
}

function iso(date: Date | null): string | null {
  return date === null ? null : date.toISOString();
}

/** What the database ended up holding. */
export interface DemoDatabaseCounts {
  readonly collections: number;
  readonly documents: number;
  readonly chunks: number;
  readonly chatSessions: number;
  readonly interactions: number;
}

/**
 * Fills an open, empty assistant.db: collections, documents, chunks with clustered embeddings,
 * memories, chats and interactions, in batched transactions with prepared statements.
 *
 * Chunks are inserted in upload order across collections, so chunk ids (the HNSW labels) of
 * one collection interleave with the others' as in a store that grew over time.
 */
export async function writeDemoDatabase(
  db: Database.Database,
  content: DemoDatabaseContent,
  progress: DemoProgressTracker,
  estimatedBytes: number,
): Promise<DemoDatabaseCounts> {
  const { rng, topics, documents, memories, chatSessions, now } = content;
  let rowsTotal = topics.length + memories.length + content.interactions;
  for (const doc of documents) rowsTotal += 1 + doc.chunks.length;
  for (const session of chatSessions) rowsTotal += 1 + session.messages.length;
  const bytesPerRow = estimatedBytes / Math.max(1, rowsTotal);
  const advance = async (rows: number) => {
    progress.addBytes(rows * bytesPerRow);
    await progress.tick();
  };

  const firstUpload = documents[0]?.createdAt ?? now;
  const insertCollection = db.prepare(
    `INSERT INTO collections (id, name, dimension, space, m, ef_construction, ef_search, created_at)
     VALUES (?, ?, ?, 'cosine', ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    topics.forEach((topic, i) => {
      const params = collectionParameters(i);
      const created = new Date(firstUpload.getTime() - (i + 1) * DAY_MS);
      insertCollection.run(
        topic.id,
        topic.name,
        DEMO_DIMENSION,
        params.m,
        params.efConstruction,
        params.efSearch,
        created.toISOString(),
      );
    });
  })();
  await advance(topics.length);

  const centroids = new Map(
    topics.map((topic) => [topic.id, topicCentroid(rng.fork(`centroid/${topic.id}`))]),
  );
  const insertDocument = db.prepare(
    `INSERT INTO documents (id, collection_id, title, source_path, mime, bytes, sha256, created_at, deleted_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertChunk = db.prepare(
    `INSERT INTO chunks (document_id, collection_id, ordinal, text, embedding, token_count, created_at, deleted_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  let liveDocuments = 0;
  let liveChunks = 0;
  const insertDocuments = db.transaction((batch: ReadonlyArray<DemoDocument>) => {
    for (const doc of batch) {
      const created = doc.createdAt.toISOString();
      const deleted = iso(doc.deletedAt);
      insertDocument.run(
        doc.id,
        doc.collectionId,
        doc.title,
        doc.sourcePath,
        doc.mime,
        doc.content.byteLength,
        doc.sha256,
        created,
        deleted,
      );
      const centroid = centroids.get(doc.collectionId);
      if (!centroid) throw new Error(`Demo plan error: no collection ${doc.collectionId}.`);
      const vectors = documentEmbeddings(
        rng.fork(`embedding/${doc.id}`),
        centroid,
        doc.chunks.length,
      );
      doc.chunks.forEach((text, ordinal) => {
        const vector = vectors[ordinal] ?? new Float32Array(DEMO_DIMENSION);
        const tokens = Math.round(text.split(/\s+/).length * 1.3);
        insertChunk.run(
          doc.id,
          doc.collectionId,
          ordinal,
          text,
          encodeEmbedding(vector),
          tokens,
          created,
          deleted,
        );
      });
      if (doc.deletedAt === null) {
        liveDocuments++;
        liveChunks += doc.chunks.length;
      }
    }
  });
  let batch: DemoDocument[] = [];
  let batchRows = 0;
  for (const doc of documents) {
    batch.push(doc);
    batchRows += 1 + doc.chunks.length;
    if (batchRows >= BATCH_ROWS) {
      insertDocuments(batch);
      await advance(batchRows);
      batch = [];
      batchRows = 0;
    }
  }
  insertDocuments(batch);
  await advance(batchRows);

  const insertMemory = db.prepare(
    'INSERT INTO memories (id, kind, content, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
  );
  db.transaction(() => {
    for (const memory of memories) {
      insertMemory.run(
        memory.id,
        memory.kind,
        memory.content,
        memory.createdAt.toISOString(),
        memory.updatedAt.toISOString(),
      );
    }
  })();
  await advance(memories.length);

  const insertSession = db.prepare(
    'INSERT INTO chat_sessions (id, collection_id, title, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
  );
  const insertMessage = db.prepare(
    'INSERT INTO chat_messages (session_id, role, content, created_at) VALUES (?, ?, ?, ?)',
  );
  const insertSessions = db.transaction((sessions: ReadonlyArray<DemoChatSession>) => {
    for (const session of sessions) {
      insertSession.run(
        session.id,
        session.collectionId,
        session.title,
        session.createdAt.toISOString(),
        session.updatedAt.toISOString(),
      );
      for (const message of session.messages) {
        insertMessage.run(
          session.id,
          message.role,
          message.content,
          message.createdAt.toISOString(),
        );
      }
    }
  });
  for (let i = 0; i < chatSessions.length; i += 200) {
    const slice = chatSessions.slice(i, i + 200);
    insertSessions(slice);
    await advance(slice.reduce((rows, session) => rows + 1 + session.messages.length, 0));
  }

  const insertInteraction = db.prepare(
    `INSERT INTO interactions (session_id, timestamp, user_role, query, query_type, response_time_ms,
       response_length, success, user_rating, ip, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const rows = generateInteractions(rng.fork('interactions'), content.interactions, topics, now);
  let inserted = 0;
  const insertInteractions = db.transaction((count: number) => {
    let done = 0;
    for (; done < count; done++) {
      const next = rows.next();
      if (next.done) break;
      const row = next.value;
      insertInteraction.run(
        row.sessionId,
        row.timestamp,
        row.userRole,
        row.query,
        row.queryType,
        row.responseTimeMs,
        row.responseLength,
        row.success,
        row.userRating,
        row.ip,
        row.createdAt,
      );
    }
    return done;
  });
  for (;;) {
    const done = insertInteractions(BATCH_ROWS * 2);
    inserted += done;
    await advance(done);
    if (done < BATCH_ROWS * 2) break;
  }

  return {
    collections: topics.length,
    documents: liveDocuments,
    chunks: liveChunks,
    chatSessions: chatSessions.length,
    interactions: inserted,
  };
}
