import fs from 'node:fs/promises';
import type { TendError } from '../../../src-shared/errors';
import type { BackupRecord } from '../../../src-shared/models/backups';
import type { UnattendedStatus } from '../../../src-shared/models/unattended';
import { BackupCatalog, newestRepositoryBackup } from '../backup/backup-catalog';
import type { EngineServices } from '../engine-services';
import { schedulerFor } from '../maintenance/schedule-overview';
import type { RootSession } from '../root-session';
import { readSettings } from '../root/settings-file';
import { backupHealth } from './backup-health';
import { scheduledDestinationPresence } from './scheduled-backup-gate';

/**
 * Whether a record is a backup of the folder in the sense "backups still happen": one this
 * machine wrote, of a kind the schedules make (critical, full) or the person chose (custom).
 * A safety snapshot before a restore or migration covers only what that step touched.
 */
export function countsAsBackup(record: BackupRecord): boolean {
  return (
    record.state === 'completed' &&
    record.origin === 'created' &&
    (record.kind === 'critical' || record.kind === 'full' || record.kind === 'custom')
  );
}

/**
 * When Tend began to look after the folder: its first job, else when its catalog was made.
 * Before the first backup, "no backup for two days" counts from here.
 */
async function watchedSince(session: RootSession, now: Date): Promise<string> {
  const row = session.catalog.prepare('SELECT MIN(created_at) AS first FROM jobs').get() as {
    first: string | null;
  };
  const stat = await fs.stat(session.state.catalog).catch(() => null);
  const born = stat ? (stat.birthtimeMs > 0 ? stat.birthtimeMs : stat.ctimeMs) : now.getTime();
  const first = row.first === null ? Number.POSITIVE_INFINITY : Date.parse(row.first);
  return new Date(Math.min(first, born)).toISOString();
}

/** The error of the newest backup job that failed since the last good backup, or null. */
function lastFailureSince(session: RootSession, since: string | null): TendError | null {
  const failed = session.jobs
    .list(20, 'backup')
    .find(
      (job) =>
        (job.state === 'failed' || job.state === 'interrupted') &&
        (since === null || (job.finishedAt ?? job.createdAt) > since),
    );
  return failed
    ? (failed.error ?? { code: 'INTERNAL', message: `${failed.title} ${failed.state}.` })
    : null;
}

/**
 * Backups without anyone, for one root: their health and the runs waiting for power. Archives
 * and the encrypted repository's snapshots both count as backups that happened.
 *
 * Note: before, only archives counted, so where scheduled backups went to a repository and no
 * archive folder was chosen, two days after setting it up the tray, the notifications and the
 * Overview said "no backup destination is chosen" while a snapshot was made every night.
 */
export async function unattendedStatus(
  session: RootSession,
  engine: EngineServices,
  now: Date = new Date(),
): Promise<UnattendedStatus> {
  const settings = await readSettings(session.state.settings);
  const newest = new BackupCatalog(session.catalog).list().find(countsAsBackup) ?? null;
  const archiveAt = newest ? (newest.finishedAt ?? newest.createdAt) : null;
  const snapshotAt = newestRepositoryBackup(session.catalog)?.finishedAt ?? null;
  const lastSuccessAt =
    archiveAt === null || (snapshotAt !== null && snapshotAt > archiveAt) ? snapshotAt : archiveAt;
  const scheduler = await schedulerFor(session, engine);
  return {
    backup: backupHealth({
      now,
      warnAfterHours: settings.unattended.warnAfterHours,
      lastSuccessAt,
      watchedSince: await watchedSince(session, now),
      destination: await scheduledDestinationPresence(session, settings),
      lastFailure: lastFailureSince(session, lastSuccessAt),
    }),
    waiting: scheduler.waitingRuns(),
    checkedAt: now.toISOString(),
  };
}
