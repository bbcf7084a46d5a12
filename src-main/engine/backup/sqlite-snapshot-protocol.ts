/**
 * What the main thread and the SQLite snapshot worker say to each other: the database to copy
 * and where in, then whether it was copied. Plain data only: it crosses `postMessage`.
 */

/** The worker's data: copy `source` to the new file `target`. */
export interface SnapshotTask {
  readonly source: string;
  readonly target: string;
}

/** The worker's one message. */
export type SnapshotMessage =
  { readonly ok: true } | { readonly ok: false; readonly message: string };
