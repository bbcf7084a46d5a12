import fs from 'node:fs';
import type Database from 'better-sqlite3';
import { nativePaths } from '../profiles/native/native-paths';
import { builtIndexMeta } from '../vectors/index-file';
import { decodeEmbedding, listCollections, type CollectionRecord } from '../store/assistant-db';
import type { DemoFileWriter } from './demo-file-writer';
import { setMtime } from './demo-file-writer';
import type { DemoProgressTracker } from './demo-progress';
import { hashString128 } from './random';

/** Points added between two progress ticks. */
const POINTS_PER_TICK = 256;

/** Capacity for `count` points: some headroom, in steps of 256. */
export function indexCapacity(count: number): number {
  return Math.max(256, Math.ceil((count * 1.1) / 256) * 256);
}

/**
 * Approximate size of hnswlib's index file: a 96-byte header, then per point its level-0
 * links (2M ids and a count), vector, label, and upper-level links for about 1 point in M.
 */
export function estimateIndexBytes(count: number, dimension: number, m: number): number {
  const level0 = 2 * m * 4 + 4 + dimension * 4 + 8;
  const upper = 4 + (m * 4 + 4) / (m - 1);
  return Math.round(96 + count * (level0 + upper));
}

/**
 * Builds every collection's HNSW index from exactly the live embeddings in assistant.db
 * (labels are chunk ids) and writes index.hnsw and index.json through a temporary name and a
 * rename, so a reader never sees half a file.
 */
export async function writeVectorIndexes(
  db: Database.Database,
  writer: DemoFileWriter,
  progress: DemoProgressTracker,
  builtAt: Date,
  seedName: string,
): Promise<ReadonlyArray<CollectionRecord>> {
  // The native addon loads when indexes are written, not with the demo writers.
  const { HierarchicalNSW } = (await import('hnswlib-node')).default;
  const collections = listCollections(db);
  const select = db.prepare(
    'SELECT id, embedding FROM chunks WHERE collection_id = ? AND deleted_at IS NULL ORDER BY id',
  );
  for (const collection of collections) {
    const dir = `${nativePaths.vectorStore}/${collection.id}`;
    writer.ensureDir(dir);
    const indexPath = `${dir}/index.hnsw`;
    progress.begin(indexPath);
    const capacity = indexCapacity(collection.chunkCount);
    const index = new HierarchicalNSW(collection.space, collection.dimension);
    // A fixed level generator seed keeps the file byte-identical between runs.
    index.initIndex(
      capacity,
      collection.m,
      collection.efConstruction,
      hashString128(`${seedName}/hnsw/${collection.id}`)[0] % 2 ** 31,
    );
    const perPoint = estimateIndexBytes(1, collection.dimension, collection.m) - 96;
    let added = 0;
    for (const row of select.iterate(collection.id) as IterableIterator<{
      id: number;
      embedding: Buffer;
    }>) {
      index.addPoint(Array.from(decodeEmbedding(row.embedding, collection.dimension)), row.id);
      added++;
      if (added % POINTS_PER_TICK === 0) {
        progress.addBytes(POINTS_PER_TICK * perPoint);
        // Iterating a statement blocks other statements on this connection, not the event loop.
        await progress.tick();
      }
    }
    index.setEf(collection.efSearch);
    const temporary = `${indexPath}.partial`;
    index.writeIndexSync(writer.absolute(temporary));
    fs.renameSync(writer.absolute(temporary), writer.absolute(indexPath));
    setMtime(writer.absolute(indexPath), builtAt);
    progress.fileDone();

    const meta = builtIndexMeta(collection, index, builtAt);
    const metaPath = `${dir}/index.json`;
    progress.begin(metaPath);
    const metaText = `${JSON.stringify(meta, null, 2)}\n`;
    fs.writeFileSync(writer.absolute(`${metaPath}.partial`), metaText);
    fs.renameSync(writer.absolute(`${metaPath}.partial`), writer.absolute(metaPath));
    setMtime(writer.absolute(metaPath), builtAt);
    progress.addBytes(metaText.length);
    progress.fileDone();
    await progress.tick();
  }
  return collections;
}
