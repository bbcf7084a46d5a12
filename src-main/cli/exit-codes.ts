import type { ErrorCode } from '../../src-shared/errors';

/**
 * The exit code for an error, so a cron job or script can act on the kind of failure:
 * 2 bad input (a wrong or missing repository passphrase too, or no OS keyring to read one
 * from; a backup, job or schedule that is not there, a restore target that is not empty,
 * nothing to undo), 3 the data folder, 4 busy (try later), 5 cancelled, 6 the backup destination (none, unusable, full, no repository there, a
 * refused login, a changed host key), 7 a backup failed verification (or a restore or an import found
 * its archive damaged), 1 anything else. Every
 * PG_* code (the PostgreSQL database of a postgres-app folder: its password, server, tools, a
 * dump, a restore, a migration) is 3, the data's own trouble.
 */
export function exitCodeFor(code: ErrorCode): number {
  switch (code) {
    case 'INVALID_INPUT':
    case 'UNKNOWN_CHANNEL':
    case 'IMPORT_INVALID':
    case 'DIMENSION_MISMATCH':
    case 'COLLECTION_NOT_FOUND':
    case 'COLLECTION_EXISTS':
    case 'PATH_NOT_ALLOWED':
    case 'PATH_EXISTS':
    case 'PATH_PARENT_MISSING':
    case 'CLEAN_NEEDS_CONFIRMATION':
    case 'DOCUMENT_NOT_FOUND':
    case 'RECORD_INVALID':
    case 'PROFILE_UNKNOWN':
    case 'RESTORE_UNKNOWN_SCOPE':
    case 'RESTORE_UNKNOWN_COLLECTION':
    case 'MOVE_TARGET_OVERLAPS':
    case 'MOVE_TARGET_NOT_EMPTY':
    case 'MOVE_TARGET_UNUSABLE':
    case 'MOVE_NO_SPACE':
    case 'MOVE_NOTHING_TO_UNDO':
    case 'LEGACY_NOTHING_TO_ROLL_BACK':
    case 'REPOSITORY_WRONG_PASSPHRASE':
    case 'REPOSITORY_PASSWORD_MISSING':
    case 'KEYRING_UNAVAILABLE':
    case 'BACKUP_NOT_FOUND': // an id that names nothing: the command as typed cannot run
    case 'JOB_NOT_FOUND':
    case 'SCHEDULE_NOT_FOUND':
    case 'RESTORE_TARGET_NOT_EMPTY':
    case 'RESTORE_NOTHING_TO_UNDO':
      return 2;
    case 'NO_ROOT':
    case 'ROOT_NOT_FOUND':
    case 'ROOT_NOT_DIRECTORY':
    case 'ROOT_NOT_WRITABLE':
    case 'ROOT_NOT_EMPTY':
    case 'ROOT_NOT_ALLOWED':
    case 'ROOT_NOT_ASSISTANT':
    case 'PATH_OUTSIDE_ROOT':
    case 'SETTINGS_UNREADABLE':
    case 'SETTINGS_INVALID':
    case 'PROFILE_UNSUPPORTED':
    case 'STATE_MIGRATION_FAILED':
    case 'STATE_UNWRITABLE':
    case 'PG_PASSWORD_UNAVAILABLE':
    case 'PG_AUTH_FAILED':
    case 'PG_UNREACHABLE':
    case 'PG_DATABASE_MISSING':
    case 'PG_PERMISSION_DENIED':
    case 'PG_TOOLS_MISSING':
    case 'PG_TOOLS_TOO_OLD':
    case 'PG_QUERY_FAILED':
    case 'PG_DUMP_FAILED':
    case 'PG_RESTORE_FAILED':
    case 'PG_SESSIONS_CONNECTED':
    case 'PG_MIGRATION_FAILED':
    case 'PG_MIGRATION_CHANGED':
      return 3;
    case 'DATA_LOCKED':
    case 'BACKUP_RUNNING':
    case 'SETTINGS_CONFLICT': // saved elsewhere meanwhile: read them again and retry
    case 'MOVE_APP_RUNNING':
    case 'MAINTENANCE_APP_RUNNING':
      return 4;
    case 'CANCELLED':
      return 5;
    case 'NO_DESTINATION':
    case 'DESTINATION_INSIDE_ROOT':
    case 'DESTINATION_UNAVAILABLE':
    case 'NO_SPACE':
    case 'REPOSITORY_NOT_FOUND':
    case 'REPOSITORY_EXISTS':
    case 'DESTINATION_LOGIN_REFUSED':
    case 'DESTINATION_HOST_KEY_CHANGED':
      return 6;
    case 'BACKUP_CORRUPT':
    case 'RESTORE_ARCHIVE_CORRUPT': // the archive itself is damaged: it failed verification
    case 'RESTORE_QUICK_CHECK_FAILED':
    case 'RESTORE_MANIFEST_MISMATCH':
      return 7;
    default:
      return 1;
  }
}
