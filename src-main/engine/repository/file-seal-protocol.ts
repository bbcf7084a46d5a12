/**
 * What the main thread and a file-seal worker say to each other (file-sealer.ts,
 * file-seal-worker.ts). Plain data only: it crosses `postMessage`.
 */
import type { DecoderKey } from './blob-decode-protocol';
import type { ChunkPlan } from './file-chunks';

/** What a file-seal worker is given as its workerData. */
export interface SealerSetup {
  /** The master key's parts. */
  readonly key: DecoderKey;
  /** Whether blobs are compressed (repository version 2). */
  readonly compress: boolean;
}

/** One file to read, cut, hash and seal. */
export interface SealTask {
  readonly kind: 'task';
  readonly task: number;
  readonly file: string;
  /** How the file is cut, or `database` for a staged database copy (cut in its page size). */
  readonly plan: ChunkPlan | 'database';
  /**
   * Ids the caller expects the repository to have (the parent snapshot's content of this
   * file), back to back, 64 characters each: their chunks are hashed, not sealed.
   */
  readonly previous: string;
}

/**
 * Small files' contents the walk read and hashed, to be sealed (blob-batcher.ts): blob `i` is
 * `lengths[i]` bytes of `plain`, after blob `i - 1`. Their sealed bytes come back as one
 * SealedBatch, every blob sealed, in order; its `ids` are empty (the walk has them).
 * `plain` and `lengths` are transferred.
 */
export interface SealBlobsTask {
  readonly kind: 'blobs';
  readonly task: number;
  readonly plain: ArrayBuffer;
  readonly lengths: Uint32Array;
}

/**
 * A task's next chunks, in order. Chunk `i` is `layout[3i + 2]` bytes of plaintext; when
 * `layout[3i]` is not 0 it was sealed, and its sealed bytes follow the previous sealed chunk's in
 * `sealed`, `layout[3i]` of them, with `layout[3i + 1]` its plaintext length when compressed
 * (else 0). A chunk not sealed is one of `previous` or repeats an earlier chunk of the file. Its
 * id is characters `64i` to `64i + 64` of `ids`. `sealed` and `layout` are transferred.
 */
export interface SealedBatch {
  readonly kind: 'batch';
  readonly task: number;
  readonly ids: string;
  readonly layout: Uint32Array;
  readonly sealed: ArrayBuffer;
}

/** What a worker sends: a batch, the end of a task's file, or why the task stopped. */
export type SealerMessage =
  | SealedBatch
  | { readonly kind: 'done'; readonly task: number }
  | {
      readonly kind: 'failed';
      readonly task: number;
      readonly message: string;
      readonly code: string | null;
    };

/** Batches a worker may send before the main thread is done with them. */
export const CREDITS = 3;

/**
 * A batch the main thread is done with: room for one more, and its `sealed` buffer given back
 * (transferred) to fill again, so the buffers do not wait for the main thread's collector.
 */
export interface SealerReturn {
  readonly kind: 'more';
  readonly sealed: ArrayBuffer;
}

/** A task the main thread no longer wants: dropped, or stopped where it is. */
export interface SealerCancel {
  readonly kind: 'cancel';
  readonly task: number;
}

/** What the main thread sends: a file or blobs to seal, a batch given back, or a task called off. */
export type SealerRequest = SealTask | SealBlobsTask | SealerReturn | SealerCancel;
