/**
 * The store check as a job (kind `store-check`): every store of the open folder validated in
 * the background with progress (instances done of all, bytes read, the one being read), the
 * findings kept in the catalog as the job's result so the last check reads back after a reload.
 */
import { jobResultAs } from '../../../src-shared/models/job-results';
import type { JobRecord } from '../../../src-shared/models/jobs';
import { StoreChecksSchema, type LastStoreCheck } from '../../../src-shared/models/profiles';
import type { JobRunner } from '../jobs/job-runner';
import type { LocatedBackup } from '../restore/backup-locator';
import type { ProfiledRoot } from './profiled-root';
import { checkStores } from './store-checks';

/** What a store-check job needs of the open folder. */
export interface StoreCheckRoot extends Pick<ProfiledRoot, 'path' | 'profile'> {
  readonly jobs: JobRunner;
}

/** Store-check jobs read back to find the newest finished one. */
const RECENT_CHECKS = 20;

/**
 * Starts a store check of the open folder, or returns the one already running (two checks of
 * the same files at once would only read them twice).
 */
export function startStoreCheckJob(
  root: StoreCheckRoot,
  backups: () => Promise<ReadonlyArray<LocatedBackup>>,
): JobRecord {
  const running = root.jobs
    .list(RECENT_CHECKS, 'store-check')
    .find((job) => job.state === 'queued' || job.state === 'running');
  if (running) return running;
  return root.jobs.start({
    kind: 'store-check',
    title: 'Check every store',
    writesRoot: false,
    run: (context) =>
      checkStores(root, backups, {
        signal: context.signal,
        onProgress: (progress) => context.progress(progress),
      }),
  });
}

/** The newest store-check job and the findings of the newest one that succeeded. */
export function lastStoreCheck(root: Pick<StoreCheckRoot, 'jobs'>): LastStoreCheck {
  const recent = root.jobs.list(RECENT_CHECKS, 'store-check');
  const finished = recent.find((job) => job.state === 'succeeded');
  return {
    job: recent[0] ?? null,
    checks: finished ? jobResultAs(finished, StoreChecksSchema) : null,
  };
}
