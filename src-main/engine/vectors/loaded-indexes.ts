/**
 * The collections' indexes in memory: loaded on first use, loaded again when the file was
 * replaced, swapped whole when a new file is installed. A file that does not load, or that
 * disagrees with the database, asks for one rebuild.
 */
import hnswlib from 'hnswlib-node';
import { TendFailure } from '../../../src-shared/errors';
import { ASSISTANT_SCHEMA_VERSION, type CollectionRecord } from '../store/assistant-db';
import { withStore } from './collection-store';
import { checkIndexFileAsync } from './index-check';
import {
  builtIndexMeta,
  indexPaths,
  replaceFile,
  writeIndexMeta,
  type IndexMeta,
} from './index-file';
import { countLiveChunks } from './live-vectors';
import {
  fileIdentity,
  isLoaded,
  loadIndexFile,
  type BrokenIndex,
  type Hnsw,
  type LoadedIndex,
} from './vector-indexes';
import type { VectorRoot } from './vector-root';

const { HierarchicalNSW } = hnswlib;

/** Why a search, health run or write found an index in its state, per collection. */
interface CollectionState {
  loaded: LoadedIndex | null;
  broken: BrokenIndex | null;
  loading: Promise<LoadedIndex | BrokenIndex> | null;
  /** The file identities an automatic rebuild was already started for. */
  healedIdentities: Set<string>;
}

/** Starts a rebuild of a collection's index, for a reason a person reads in the job. */
export type RequestRebuild = (collection: string, reason: string) => void;

/** The indexes in memory of one root's collections. */
export class LoadedIndexes {
  private readonly states = new Map<string, CollectionState>();

  constructor(
    private readonly root: VectorRoot,
    private readonly requestRebuild: RequestRebuild,
  ) {}

  private state(collection: string): CollectionState {
    let state = this.states.get(collection);
    if (!state) {
      state = { loaded: null, broken: null, loading: null, healedIdentities: new Set() };
      this.states.set(collection, state);
    }
    return state;
  }

  /**
   * The collection's index in memory, loading it on first use or when the file was replaced.
   * A file that does not load, or that disagrees with the database, starts a rebuild once.
   */
  async get(collection: CollectionRecord): Promise<LoadedIndex | null> {
    const state = this.state(collection.id);
    const vectorStore = this.root.vectorStore;
    const file = indexPaths(vectorStore, collection.id).index;
    const identity = fileIdentity(file);
    if (state.loaded?.identity === identity) return state.loaded;
    // The same broken file as last time: do not read it again on every search.
    if (state.broken?.identity === identity) return state.loaded;
    if (!state.loading) {
      state.loading = loadIndexFile(vectorStore, collection, ASSISTANT_SCHEMA_VERSION);
      void state.loading.finally(() => (state.loading = null));
    }
    const result = await state.loading;
    if (isLoaded(result)) {
      state.loaded = result;
      state.broken = null;
      const live = withStore(this.root.dbPath, (db) => countLiveChunks(db, collection.id));
      const indexed = result.index.getCurrentCount() - result.meta.deletedCount;
      if (indexed !== live) {
        this.heal(collection.id, result.identity, 'the index and the database disagree');
      }
      return result;
    }
    // A broken file: keep answering from the last good index in memory, if there is one.
    state.broken = result;
    if (result.identity !== 'missing' || collection.chunkCount > 0) {
      this.heal(collection.id, result.identity, `the index is unreadable: ${result.reason}`);
    }
    return state.loaded;
  }

  /** Starts one rebuild for a file identity; a rebuild that failed is not retried in a loop. */
  private heal(collection: string, identity: string, reason: string): void {
    const state = this.state(collection);
    if (state.healedIdentities.has(identity)) return;
    state.healedIdentities.add(identity);
    this.requestRebuild(collection, reason);
  }

  /** Puts a finished temp index file in place, writes index.json, and swaps it in memory. */
  async install(
    collection: CollectionRecord,
    temporary: string,
    deletedCount: number,
  ): Promise<LoadedIndex> {
    const paths = indexPaths(this.root.vectorStore, collection.id);
    const index = await readIndexCopy(collection, temporary);
    replaceFile(temporary, paths.index);
    const meta: IndexMeta = { ...builtIndexMeta(collection, index, new Date()), deletedCount };
    writeIndexMeta(paths.meta, meta);
    const loaded: LoadedIndex = { index, meta, identity: fileIdentity(paths.index) };
    const state = this.state(collection.id);
    state.loaded = loaded;
    state.broken = null;
    this.root.events.emit('vectors:changed', { collection: collection.id });
    return loaded;
  }

  /** Forgets every index in memory (the session closes, or a restore replaces the files). */
  clear(): void {
    this.states.clear();
  }
}

/**
 * Reads an index file into a new object of its own, to change or install (checked first,
 * like any file hnswlib is given).
 */
export async function readIndexCopy(collection: CollectionRecord, file: string): Promise<Hnsw> {
  const checked = await checkIndexFileAsync(file, collection.dimension);
  if (!checked.ok) {
    throw new TendFailure('INDEX_BUILD_FAILED', `The new index is not sound: ${checked.reason}`);
  }
  const index = new HierarchicalNSW(collection.space, collection.dimension);
  await index.readIndex(file);
  index.setEf(collection.efSearch);
  return index;
}
