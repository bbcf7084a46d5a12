import type { JobContext } from '../jobs/job-runner';

/**
 * Takes the backup of kind `pre-migration` from inside a migration job that already holds the
 * data lock; resolves with the backup's id, or null when the root has no backup destination
 * (the migration's own undo — journal and set-aside files, or the copy of assistant.db — still
 * protects the data then).
 */
export type PreMigrationBackup = (
  context: JobContext,
  paths: ReadonlyArray<string>,
) => Promise<string | null>;
