/**
 * What the main thread and a file-writer worker say to each other (file-writers.ts,
 * file-writer-worker.ts). Plain data only: it crosses `postMessage`.
 */

/**
 * How a file is finished once its bytes are in (the repository restore's, as restore-file-writer
 * finishes one): its mode set exactly (fchmod, past the umask), its access time apart from the
 * modification time, and an fsync before the close where no one sync of the whole batch follows.
 */
export interface FileEnding {
  readonly mode?: number;
  readonly atimeSeconds?: number;
  readonly sync?: boolean;
}

/**
 * One step of a batch: bytes `start`…`start + length` of the batch's buffer written to the
 * writer's current file. With `path`, the file is first created (`O_CREAT | O_EXCL`, `mode`);
 * with `mtimeSeconds`, it is then finished as `ending` says (fsync, fchmod), its times set
 * (the access time `mtimeSeconds` too unless `ending` gives one) and it is closed. A file that
 * spans batches is open between them, always in the same writer.
 *
 * With `fd` the step is on a descriptor the main thread opened (a restored file whose blobs come
 * in no order) and leaves the current file alone: the bytes go at `position`; then, with
 * `mtimeSeconds`, the file is finished and closed as above, or with `closeOnly` only closed.
 * Every step of one descriptor goes to one writer, so they run in the order they were sent.
 */
export interface WriteStep {
  readonly path?: string;
  readonly mode?: number;
  readonly start: number;
  length: number;
  mtimeSeconds?: number;
  ending?: FileEnding;
  readonly fd?: number;
  readonly position?: number;
  readonly closeOnly?: boolean;
  /** With `fd`: the file's path, for a failure's message. */
  readonly named?: string;
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
