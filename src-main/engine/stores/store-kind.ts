/**
 * A store kind: one way an assistant keeps data on disk (a SQLite file, a FAISS index, a Chroma
 * folder, …), described so that a profile can be assembled from stores without knowing how each
 * one is read, copied, checked or demoed.
 */
import type { JobProgress } from '../../../src-shared/models/jobs';
import type { StoreKindId, StoreOrigin } from '../../../src-shared/models/profiles';
import type { CapturePlan } from './capture-plan';
import type { StoreCheck } from './store-finding';

/** Every store kind Tend knows, and where their data comes from (listed in src-shared, where
 * profiles describe them). A profile may override a kind's origin: a FAISS index that holds the
 * only copy of its vectors (seed 002) is a source, not derived. */
export {
  storeKindIds,
  type StoreKindId,
  type StoreOrigin,
} from '../../../src-shared/models/profiles';

/** How far a store operation has come (the job model's byte and file counters). */
export type StoreProgress = Pick<
  JobProgress,
  'bytesDone' | 'bytesTotal' | 'filesDone' | 'filesTotal' | 'currentPath'
>;

/** Options every long store operation takes. */
export interface StoreRunOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: StoreProgress) => void;
}

/** What a demo writer is given: the seed makes the bytes, so the same seed writes the same files. */
export interface StoreDemoOptions {
  readonly seed: string;
}

/**
 * One store kind, generic over where an instance lives (`Location`), what its validation reads
 * (`Facts`) and what its demo writer takes (`Demo`).
 */
export interface StoreKind<Location, Facts, Demo extends StoreDemoOptions = StoreDemoOptions> {
  readonly kind: StoreKindId;
  /** A short name a person knows it by: "FAISS index". */
  readonly title: string;
  /** What it is, in one or two sentences. */
  readonly description: string;
  /** Where its data comes from, unless a profile says otherwise. */
  readonly origin: StoreOrigin;
  /** The files to copy (or snapshot), in order, for a consistent backup of an instance. */
  planCapture(location: Location): Promise<CapturePlan>;
  /** Reads an instance and says what is wrong with it, by file, with what to do. */
  validate(location: Location, options?: StoreRunOptions): Promise<StoreCheck<Facts>>;
  /** Writes a small, realistic instance at `location`, the same bytes for the same seed. */
  writeDemo(location: Location, demo: Demo): Promise<void>;
}
