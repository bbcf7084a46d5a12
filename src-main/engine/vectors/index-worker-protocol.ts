/**
 * What the main thread and the index worker say to each other. Plain data only: it crosses
 * `postMessage` (typed arrays are transferred, not copied).
 */
import type { EmbeddingSpace } from '../../../src-shared/models/vectors';

/** A collection's index shape. */
export interface IndexShape {
  readonly collection: string;
  readonly dimension: number;
  readonly space: EmbeddingSpace;
  readonly m: number;
  readonly efConstruction: number;
  readonly ef: number;
}

/** Build an index from the collection's live chunks in assistant.db into `outFile`. */
export interface BuildTask extends IndexShape {
  readonly kind: 'build';
  readonly dbPath: string;
  readonly outFile: string;
  readonly seed: number;
}

/** Load `baseFile` (or start empty), add the given vectors, write `outFile`. */
export interface ExtendTask extends IndexShape {
  readonly kind: 'extend';
  readonly baseFile: string | null;
  readonly outFile: string;
  readonly seed: number;
  readonly labels: Float64Array;
  readonly values: Float32Array;
}

/** Load `indexFile` and compare it with the live chunks: agreement and recall on a sample. */
export interface InspectTask extends IndexShape {
  readonly kind: 'inspect';
  readonly dbPath: string;
  readonly indexFile: string;
  readonly sample: number;
  readonly k: number;
}

/** Any task the worker runs. */
export type IndexWorkerTask = BuildTask | ExtendTask | InspectTask;

/** What build and extend give back. */
export interface WrittenIndex {
  readonly count: number;
  readonly maxElements: number;
  readonly bytes: number;
}

/** What inspect gives back. */
export type InspectReport =
  | {
      readonly loads: false;
      readonly reason: string;
      readonly liveChunks: number;
      /** The dimension the file's header says, when it is sound but of another dimension. */
      readonly indexDimension: number | null;
    }
  | {
      readonly loads: true;
      readonly indexCount: number;
      readonly deletedCount: number;
      readonly liveChunks: number;
      readonly orphans: number;
      readonly missing: number;
      readonly indexDimension: number;
      readonly recall: number | null;
      readonly recallSample: number;
    };

/** A message from the worker. */
export type IndexWorkerMessage =
  | { readonly type: 'progress'; readonly done: number; readonly total: number }
  | { readonly type: 'done'; readonly result: WrittenIndex | InspectReport }
  | { readonly type: 'error'; readonly message: string };
