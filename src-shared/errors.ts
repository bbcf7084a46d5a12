import { z } from 'zod';

/** Every error code Tend can return; stable, so scripts and the UI can act on them. */
export const errorCodes = [
  'INVALID_INPUT',
  'UNKNOWN_CHANNEL',
  'NO_ROOT',
  'ROOT_NOT_FOUND',
  'ROOT_NOT_DIRECTORY',
  'ROOT_NOT_WRITABLE',
  'ROOT_NOT_EMPTY',
  'PATH_OUTSIDE_ROOT',
  // Which folders Tend manages and which paths a channel may touch (issues 16 and 20).
  'ROOT_NOT_ALLOWED',
  'ROOT_NOT_ASSISTANT',
  'PATH_NOT_ALLOWED',
  'PATH_EXISTS',
  'PATH_PARENT_MISSING',
  'CLEAN_NEEDS_CONFIRMATION',
  'SETTINGS_UNREADABLE',
  'SETTINGS_INVALID',
  /** A save made from a revision of the settings that is no longer the file's. */
  'SETTINGS_CONFLICT',
  'CATALOG_FAILED',
  'JOB_NOT_FOUND',
  'JOB_NOT_RUNNING',
  /** A job finished with a result its kind's schema does not describe (a defect in Tend). */
  'JOB_RESULT_INVALID',
  'DATA_LOCKED',
  'CANCELLED',
  'UNAUTHORIZED',
  /** The web host does not answer: `tend serve` stopped (the page's own client says so). */
  'HOST_UNREACHABLE',
  'FORBIDDEN_ORIGIN',
  'NO_DESTINATION',
  'DESTINATION_INSIDE_ROOT',
  'DESTINATION_UNAVAILABLE',
  'NO_SPACE',
  'BACKUP_NOT_FOUND',
  'BACKUP_RUNNING',
  'BACKUP_CORRUPT',
  'FILE_UNREADABLE',
  'INTERNAL',
  // maintenance
  'SCHEMA_NEWER',
  'SCHEMA_OUTDATED',
  'SCHEMA_MIGRATION_FAILED',
  'LEGACY_NOT_FOUND',
  'LEGACY_CONFLICT_UNRESOLVED',
  'LEGACY_MIGRATION_BUSY',
  'LEGACY_NOTHING_TO_ROLL_BACK',
  'ARCHIVE_BAD_ROW',
  'RECORD_INVALID',
  'SCHEDULE_NOT_FOUND',
  // usage (issue 5)
  'CLEAN_PLAN_NOT_FOUND',
  // Restore (issue 4): refusals of a plan, then faults of the archive and the act.
  'RESTORE_FORMAT_NEWER',
  'RESTORE_SCHEMA_NEWER',
  'RESTORE_DIMENSION_MISMATCH',
  'RESTORE_QUICK_CHECK_FAILED',
  'RESTORE_NO_SPACE',
  'RESTORE_ASSISTANT_RUNNING',
  'RESTORE_NOTHING_TO_RESTORE',
  'RESTORE_UNKNOWN_COLLECTION',
  'RESTORE_NOT_TEND_ARCHIVE',
  'RESTORE_ARCHIVE_UNSAFE',
  'RESTORE_ARCHIVE_CORRUPT',
  'RESTORE_ARCHIVE_OVERSIZED',
  'RESTORE_MANIFEST_MISMATCH',
  'RESTORE_SNAPSHOT_FAILED',
  'RESTORE_VALIDATION_FAILED',
  'RESTORE_NOTHING_TO_UNDO',
  'RESTORE_TARGET_NOT_EMPTY',
  // Issue 17: a restore that failed on the disk, before the swap or during it (rolled back).
  'RESTORE_STAGING_FAILED',
  'RESTORE_SWAP_FAILED',
  // Issue 10: a scope (entity, workspace …) the folder's profile or the backup does not have.
  'RESTORE_UNKNOWN_SCOPE',
  // Vectors (issue 6): collections, imports and index builds.
  'ASSISTANT_DB_MISSING',
  'ASSISTANT_DB_UNAVAILABLE',
  'COLLECTION_NOT_FOUND',
  'COLLECTION_EXISTS',
  'DIMENSION_MISMATCH',
  'IMPORT_INVALID',
  'INDEX_BUILD_FAILED',
  // PostgreSQL store (issue 11): the connection, then backup, restore by swap and migrations.
  'PG_PASSWORD_UNAVAILABLE',
  'PG_AUTH_FAILED',
  'PG_UNREACHABLE',
  'PG_DATABASE_MISSING',
  'PG_PERMISSION_DENIED',
  'PG_TOOLS_MISSING',
  'PG_TOOLS_TOO_OLD',
  'PG_QUERY_FAILED',
  'PG_DUMP_FAILED',
  'PG_RESTORE_FAILED',
  'PG_SESSIONS_CONNECTED',
  'PG_MIGRATION_FAILED',
  'PG_MIGRATION_CHANGED',
  // Issue 18: imports, deletes and migrations that never lose, double or crash.
  'DOCUMENT_NOT_FOUND',
  'LEGACY_MIGRATION_FAILED',
  // Profiles (issue 10): an id Tend does not know; a feature the folder's profile has not got.
  'PROFILE_UNKNOWN',
  'PROFILE_UNSUPPORTED',
  /** Tend cannot write its own state folder (TEND_STATE_DIR, or the app's folder). */
  'STATE_UNWRITABLE',
  /** Tend's old state inside the data folder (`.tend/`) could not be moved to its state folder. */
  'STATE_MIGRATION_FAILED',
  // Moving the data folder (issue 14).
  /** The target is the data folder, inside it, or holds it (Jan #4988). */
  'MOVE_TARGET_OVERLAPS',
  /** The target folder already holds files. */
  'MOVE_TARGET_NOT_EMPTY',
  /** The target cannot be used: a link loop, a file, read-only, its parent missing. */
  'MOVE_TARGET_UNUSABLE',
  /** Not enough room at the target for everything plus the margin. */
  'MOVE_NO_SPACE',
  /** The app that owns the folder is running. */
  'MOVE_APP_RUNNING',
  /** Maintenance of another app's database (the analytics tiers) while that app has it open. */
  'MAINTENANCE_APP_RUNNING',
  /** A file kept changing while it was copied: the move was stopped, nothing changed. */
  'MOVE_SOURCE_CHANGED',
  /** A copied file did not match its original, or the copy failed its checks. */
  'MOVE_VERIFY_FAILED',
  /** There is no move to undo, or its old copy is gone. */
  'MOVE_NOTHING_TO_UNDO',
  /** The data changed at the new place since the move: moving back would lose it. */
  'MOVE_BACK_CHANGED',
  // Repositories (issue 12): restic-format backups on a folder, SFTP or S3.
  /** The passphrase opens none of the repository's keys. */
  'REPOSITORY_WRONG_PASSPHRASE',
  /** No passphrase given (TEND_PASSWORD, --password-file) where one is needed. */
  'REPOSITORY_PASSWORD_MISSING',
  /** The OS keyring was asked for a passphrase and no keyring service answers (headless Linux). */
  'KEYRING_UNAVAILABLE',
  /** The destination holds no repository (or something that is not one). */
  'REPOSITORY_NOT_FOUND',
  /** `repo init` where a repository already is. */
  'REPOSITORY_EXISTS',
  /** The SFTP server or S3 service refused the login (user, key, password, access key). */
  'DESTINATION_LOGIN_REFUSED',
  /** The SFTP server's host key is not the one pinned at the first connection. */
  'DESTINATION_HOST_KEY_CHANGED',
] as const;

/** A stable error code. */
export const ErrorCodeSchema = z.enum(errorCodes);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

/** An error as a value: a stable code and a message a person can act on. */
export const TendErrorSchema = z.object({
  code: ErrorCodeSchema,
  message: z.string(),
  /** Schema issues, paths, numbers: whatever helps the UI say more. */
  details: z.unknown().optional(),
});
export type TendError = z.infer<typeof TendErrorSchema>;

/** What crosses every boundary: a value or an error, never a thrown string. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: TendError };

// The class lives in a module of its own, without zod, so the CLI can throw it from code that
// `tend --help` loads; every module that imports it from here keeps doing so.
export { TendFailure } from './tend-failure';

/** Turns a zod error into a one-line message and a list of issues for the UI. */
export function describeZodError(error: z.ZodError): {
  message: string;
  issues: ReadonlyArray<{ path: string; message: string }>;
} {
  const issues = error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
  const message = issues
    .map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message))
    .join('; ');
  return { message, issues };
}

/** Exhaustiveness check for switches over unions. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}
