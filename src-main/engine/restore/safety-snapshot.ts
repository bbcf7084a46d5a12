/**
 * The safety snapshot (DESIGN §5, step 2): every live file a restore will replace or remove,
 * archived as a normal `pre-restore` backup before anything changes, so the restore can be
 * undone. Restore takes it through this small interface; production passes the backup
 * service's `writeWithin` (backup-service-adapter.ts), run inside the restore's own job,
 * which already holds the data lock (the lock is not re-entrant, so no second job is started).
 */
import type { SafetySnapshot } from '../../../src-shared/models/restore';
import type { JobContext } from '../jobs/job-runner';

/** Takes the safety snapshot of some root-relative paths, inside the running restore job. */
export interface SafetySnapshotter {
  take(context: JobContext, paths: ReadonlyArray<string>): Promise<SafetySnapshot>;
}
