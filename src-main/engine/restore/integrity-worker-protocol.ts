/**
 * What the main thread and the integrity-check worker say to each other: the file to check in,
 * `PRAGMA integrity_check`'s rows or the error out. Plain data only: it crosses `postMessage`.
 */

/** The worker's data: the staged database to check. */
export interface IntegrityTask {
  readonly file: string;
}

/** The worker's one message: the check's rows (`['ok']` when sound), or why it could not run. */
export type IntegrityMessage = { readonly rows: string[] } | { readonly error: string };
