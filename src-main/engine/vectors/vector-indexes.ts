/**
 * The open root's HNSW indexes in memory: loaded lazily on the first search, reloaded when the
 * file on disk is replaced, and swapped whole after an import, a delete or a compaction.
 * Searches always use the index in memory, so they keep answering while a new file is built.
 */
import fs from 'node:fs';
import hnswlib from 'hnswlib-node';
import type { CollectionRecord } from '../store/assistant-db';
import { checkIndexFileAsync } from './index-check';
import { indexMetaOf, indexPaths, readIndexMeta, type IndexMeta } from './index-file';

const { HierarchicalNSW } = hnswlib;

/** An hnswlib index object. */
export type Hnsw = InstanceType<typeof HierarchicalNSW>;

/** An index in memory with what index.json says about it. */
export interface LoadedIndex {
  readonly index: Hnsw;
  readonly meta: IndexMeta;
  /** The file it came from (inode, size, mtime): a change means someone replaced it. */
  readonly identity: string;
}

/** Why an index could not be used. */
export interface BrokenIndex {
  readonly reason: string;
  readonly identity: string;
}

/** The identity of a file: inode, size and mtime, or `missing`. */
export function fileIdentity(file: string): string {
  try {
    const stat = fs.statSync(file);
    return `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
  } catch {
    return 'missing';
  }
}

/** Loads an index file after checking it; a BrokenIndex says why it cannot be used. */
export async function loadIndexFile(
  vectorStore: string,
  collection: CollectionRecord,
  schemaVersion: number,
): Promise<LoadedIndex | BrokenIndex> {
  const paths = indexPaths(vectorStore, collection.id);
  const identity = fileIdentity(paths.index);
  // Checked in plain JavaScript first: a corrupt file would crash hnswlib, and the process.
  const checked = await checkIndexFileAsync(paths.index, collection.dimension);
  if (!checked.ok) return { reason: checked.reason, identity };
  // Replaced while it was being checked: what was checked is not what would be read.
  if (fileIdentity(paths.index) !== identity) {
    return { reason: 'The index file changed while it was being checked.', identity };
  }
  const index = new HierarchicalNSW(collection.space, collection.dimension);
  try {
    // The async read runs on libuv's pool: a 150 MB index does not stall the event loop.
    await index.readIndex(paths.index);
  } catch (error) {
    return { reason: (error as Error).message, identity };
  }
  index.setEf(collection.efSearch);
  const stat = fs.statSync(paths.index);
  const stored = readIndexMeta(paths.meta);
  const meta =
    stored && stored.count === index.getCurrentCount()
      ? { ...stored, efSearch: collection.efSearch }
      : {
          ...indexMetaOf(collection, index, stat.mtime.toISOString(), schemaVersion),
          deletedCount: stored?.deletedCount ?? 0,
        };
  return { index, meta, identity };
}

/** Whether a load gave an index. */
export function isLoaded(value: LoadedIndex | BrokenIndex | null): value is LoadedIndex {
  return value !== null && 'index' in value;
}
