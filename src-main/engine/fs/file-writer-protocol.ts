/**
 * What the main thread and a file-writer worker say to each other (file-writers.ts,
 * file-writer-worker.ts). Plain data only: it crosses `postMessage`.
 */

/**
 * One step of a batch: bytes `start`…`start + length` of the batch's buffer written to the
 * writer's current file. With `path`, the file is first created (`O_CREAT | O_EXCL`, `mode`);
 * with `mtimeSeconds`, its times are then set and it is closed. A file that spans batches is
 * open between them, always in the same writer.
 */
export interface WriteStep {
  readonly path?: string;
  readonly mode?: number;
  readonly start: number;
  length: number;
  mtimeSeconds?: number;
}

/** A batch of steps and the bytes they write (the buffer is transferred, not copied). */
export interface WriteBatch {
  readonly id: number;
  readonly buffer: ArrayBuffer;
  readonly steps: ReadonlyArray<WriteStep>;
}

/**
 * A writer's answer to a batch: done, or the system's error and the path it came from; the
 * batch's buffer comes back with it (transferred), for a later batch.
 */
export type WriteReply = (
  | { readonly id: number; readonly ok: true }
  | {
      readonly id: number;
      readonly ok: false;
      readonly code: string | undefined;
      readonly message: string;
      readonly path: string;
    }
) & { readonly buffer?: ArrayBuffer };

/** What the main thread sends a writer: a batch, or `'stop'` once everything is sent. */
export type WriterMessage = WriteBatch | 'stop';
