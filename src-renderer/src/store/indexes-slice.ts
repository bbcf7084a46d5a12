import type { Result } from '../../../src-shared/errors';
import type { JobRecord } from '../../../src-shared/models/jobs';
import type {
  ChunkPreview,
  CollectionSummary,
  SearchResult,
} from '../../../src-shared/models/vectors';
import { call } from './call';
import { idle, reloading, type Loadable } from './loadable';
import type { SliceCreator } from './slice';

/** A test search of the Indexes page: from which stored chunk, and what it found. */
export interface IndexTestSearch {
  readonly collection: string;
  readonly chunkId: number;
  readonly result: Loadable<SearchResult>;
}

/** The Indexes page: collections with their index health, checks, compactions, test searches. */
export interface IndexesSlice {
  indexCollections: Loadable<ReadonlyArray<CollectionSummary>>;
  /** The job started from the page per collection (health or compaction), to show its progress. */
  indexJobs: Readonly<Record<string, string>>;
  /** Stored chunks offered for a test search, per collection. */
  indexSamples: Readonly<Record<string, Loadable<ReadonlyArray<ChunkPreview>>>>;
  indexSearch: IndexTestSearch | null;
  loadIndexes(): Promise<void>;
  checkIndexHealth(collection: string): Promise<Result<JobRecord>>;
  compactIndex(collection: string): Promise<Result<JobRecord>>;
  loadIndexSamples(collection: string): Promise<void>;
  searchFromChunk(collection: string, chunkId: number, k?: number): Promise<void>;
  /** Follows index changes and vectors jobs while the page is shown; returns the stop. */
  watchIndexes(): () => void;
}

const vectorJobKinds = new Set([
  'vectors-import',
  'vectors-health',
  'vectors-compact',
  'vectors-delete',
]);

export const createIndexesSlice: SliceCreator<IndexesSlice> = (set, get, client) => {
  const started = (collection: string, result: Result<JobRecord>) => {
    if (!result.ok) return;
    set({ indexJobs: { ...get().indexJobs, [collection]: result.value.id } });
    get().jobProgressed(result.value);
    // Its outcome shows on the collection's panel.
    get().placeJob(`index:${collection}`, result.value.id);
  };

  return {
    indexCollections: idle,
    indexJobs: {},
    indexSamples: {},
    indexSearch: null,

    async loadIndexes() {
      set({ indexCollections: reloading(get().indexCollections) });
      const result = await call(client, 'vectors:collections', {});
      set({
        indexCollections: result.ok
          ? { status: 'ready', value: result.value.collections }
          : { status: 'error', error: result.error, value: null },
      });
    },

    async checkIndexHealth(collection) {
      const result = await call(client, 'vectors:health', { collection });
      started(collection, result);
      return result;
    },

    async compactIndex(collection) {
      const result = await call(client, 'vectors:compact', { collection });
      started(collection, result);
      return result;
    },

    async loadIndexSamples(collection) {
      const previous = get().indexSamples[collection] ?? idle;
      set({ indexSamples: { ...get().indexSamples, [collection]: reloading(previous) } });
      const result = await call(client, 'vectors:sample-chunks', { collection, limit: 20 });
      set({
        indexSamples: {
          ...get().indexSamples,
          [collection]: result.ok
            ? { status: 'ready', value: result.value.chunks }
            : { status: 'error', error: result.error, value: null },
        },
      });
    },

    async searchFromChunk(collection, chunkId, k = 10) {
      const previous = get().indexSearch;
      const keep = previous?.collection === collection ? previous.result : idle;
      set({ indexSearch: { collection, chunkId, result: reloading(keep) } });
      const result = await call(client, 'vectors:search', { collection, chunkId, k });
      set({
        indexSearch: {
          collection,
          chunkId,
          result: result.ok
            ? { status: 'ready', value: result.value }
            : { status: 'error', error: result.error, value: null },
        },
      });
    },

    watchIndexes() {
      const offs = [
        client.on('vectors:changed', () => void get().loadIndexes()),
        client.on('job:finished', (job) => {
          if (vectorJobKinds.has(job.kind)) void get().loadIndexes();
        }),
        client.on('root:changed', () => {
          set({ indexCollections: idle, indexJobs: {}, indexSamples: {}, indexSearch: null });
          void get().loadIndexes();
        }),
      ];
      return () => offs.forEach((off) => off());
    },
  };
};
