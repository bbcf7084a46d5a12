/**
 * A collection's index on disk: `vector_store/<collection>/index.hnsw` and `index.json`, the
 * layout the demo writes. Files are only ever replaced by temp file, fsync and rename, so a
 * reader (or a backup) sees a whole old or a whole new file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { EmbeddingSpaceSchema } from '../../../src-shared/models/vectors';
import { syncFileSync, syncFolderSync } from '../fs/durable';
import { processAlive } from '../jobs/process-alive';
import { ASSISTANT_SCHEMA_VERSION, type CollectionRecord } from '../store/assistant-db';

/** Where a collection's index files are, in the root's `vector_store/`. */
export interface IndexPaths {
  readonly dir: string;
  readonly index: string;
  readonly meta: string;
}

/** The index files of a collection, under the (absolute) vector store folder. */
export function indexPaths(vectorStore: string, collection: string): IndexPaths {
  const dir = path.join(vectorStore, collection);
  return { dir, index: path.join(dir, 'index.hnsw'), meta: path.join(dir, 'index.json') };
}

/** What index.json says about the index beside it (the demo's fields plus deletions). */
export const IndexMetaSchema = z.object({
  collection: z.string(),
  dimension: z.number().int().positive(),
  space: EmbeddingSpaceSchema,
  m: z.number().int(),
  efConstruction: z.number().int(),
  efSearch: z.number().int(),
  /** Vectors in the index, deleted ones included. */
  count: z.number().int().min(0),
  maxElements: z.number().int().min(0),
  builtAt: z.string(),
  schemaVersion: z.number().int(),
  /** Vectors marked deleted since the last build (the demo's files have none). */
  deletedCount: z.number().int().min(0).default(0),
});
export type IndexMeta = z.infer<typeof IndexMetaSchema>;

/** index.json as a fresh build writes it: everything but the deletions made since. */
export type BuiltIndexMeta = Omit<IndexMeta, 'deletedCount'>;

/** The counts of an hnswlib index that index.json records. */
export interface IndexCounts {
  getCurrentCount(): number;
  getMaxElements(): number;
}

/**
 * index.json for an index of a collection: the collection's settings, the index's counts,
 * when it was built and from which assistant.db schema (the deletions since are added apart).
 */
export function indexMetaOf(
  collection: CollectionRecord,
  index: IndexCounts,
  builtAt: string,
  schemaVersion: number,
): BuiltIndexMeta {
  return {
    collection: collection.id,
    dimension: collection.dimension,
    space: collection.space,
    m: collection.m,
    efConstruction: collection.efConstruction,
    efSearch: collection.efSearch,
    count: index.getCurrentCount(),
    maxElements: index.getMaxElements(),
    builtAt,
    schemaVersion,
  };
}

/**
 * The index.json of an index just built for a collection, from this assistant.db schema. The
 * demo and the live install both write this.
 */
export function builtIndexMeta(
  collection: CollectionRecord,
  index: IndexCounts,
  builtAt: Date,
): BuiltIndexMeta {
  return indexMetaOf(collection, index, builtAt.toISOString(), ASSISTANT_SCHEMA_VERSION);
}

/** Reads index.json, or null when it is missing or unreadable. */
export function readIndexMeta(file: string): IndexMeta | null {
  try {
    return IndexMetaSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
  } catch {
    return null;
  }
}

/** Fsyncs a folder so a rename inside it survives a power cut (fs/durable.ts). */
export const fsyncDir = syncFolderSync;

/** Fsyncs a written file (fs/durable.ts). */
export const fsyncFile = syncFileSync;

/** Puts a finished, fsynced temp file in place of `target` and fsyncs the folder. */
export function replaceFile(temporary: string, target: string): void {
  fs.renameSync(temporary, target);
  fsyncDir(path.dirname(target));
}

/** Writes index.json through a temp file, fsync and rename. */
export function writeIndexMeta(file: string, meta: IndexMeta): void {
  const temporary = `${file}.${process.pid}.partial`;
  fs.writeFileSync(temporary, `${JSON.stringify(meta, null, 2)}\n`);
  fsyncFile(temporary);
  replaceFile(temporary, file);
}

/** A temp name beside an index file, unique to this process and moment. */
export function temporaryIndexPath(indexFile: string): string {
  return `${indexFile}.${process.pid}-${Date.now()}.partial`;
}

/** Whether the process named in a temp file's name (`….<pid>-<ms>.partial`) still runs. */
function writerAlive(name: string): boolean {
  const match = /\.(\d+)(?:-\d+)?\.partial$/.exec(name);
  if (!match) return false;
  const pid = Number(match[1]);
  return pid !== process.pid && processAlive(pid);
}

/**
 * Removes temp files that a killed writer left beside the index files, under the (absolute)
 * vector store folder; returns their names.
 */
export function removeLeftovers(store: string): string[] {
  const removed: string[] = [];
  let collections: string[];
  try {
    collections = fs.readdirSync(store);
  } catch {
    return removed;
  }
  for (const collection of collections) {
    const dir = path.join(store, collection);
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      if (!name.endsWith('.partial') || writerAlive(name)) continue;
      fs.rmSync(path.join(dir, name), { force: true });
      removed.push(path.join(collection, name));
    }
  }
  return removed;
}
