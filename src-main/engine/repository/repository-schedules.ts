import { TendFailure } from '../../../src-shared/errors';
import type { BackupKind } from '../../../src-shared/models/backup-manifest';
import type { Settings } from '../../../src-shared/models/settings';
import type { EngineServices } from '../engine-services';
import type { RootSession } from '../root-session';
import type { ScheduleEntry } from '../schedule/scheduler';
import type { RepositoryService } from './repository-service';

/** The scheduled quick verify of the repository: Wednesdays at 06:00, as the archives' verify. */
export const REPOSITORY_QUICK_VERIFY_CRON = '0 6 * * 3';
/** The scheduled full verify (every blob decrypted and hashed): the 15th of each month at 06:00. */
export const REPOSITORY_FULL_VERIFY_CRON = '0 6 15 * *';

/**
 * The schedules of a root whose scheduled backups go to an encrypted repository (issue 12):
 * the same daily critical, weekly and monthly full backups as archives (same ids, so their
 * history goes on), each followed by grandfather-father-son retention on the snapshots (forget,
 * then prune) once it succeeded, and a quick verify weekly and a full one monthly. The
 * repository engine is loaded only when one runs.
 */
export function repositorySchedules(
  session: RootSession,
  engine: EngineServices,
  settings: Settings,
): ReadonlyArray<ScheduleEntry> {
  if (!settings.backup.repository) return [];
  const service = async (): Promise<RepositoryService> =>
    (await import('./repository-service')).repositoryServiceFor(session, engine);
  const backup = (id: string, title: string, cron: string, kind: BackupKind): ScheduleEntry => ({
    id,
    title,
    cron,
    run: async () => {
      const repository = await service();
      let jobId: string;
      try {
        jobId = repository.startBackup(kind, 'schedule').id;
      } catch (error) {
        if (error instanceof TendFailure && error.code === 'BACKUP_RUNNING') return null;
        throw error;
      }
      // Retention after the snapshot is safe: a failed backup thins out nothing.
      void session.jobs.wait(jobId).then(
        (done) => {
          if (done.state === 'succeeded') repository.startRetention(settings.backup.retention);
        },
        () => undefined,
      );
      return jobId;
    },
  });
  const { schedules } = settings.backup;
  return [
    backup(
      'backup:daily-critical',
      'Daily critical backup (encrypted)',
      schedules.critical,
      'critical',
    ),
    backup('backup:weekly-full', 'Weekly full backup (encrypted)', schedules.weeklyFull, 'full'),
    backup('backup:monthly-full', 'Monthly full backup (encrypted)', schedules.monthlyFull, 'full'),
    {
      id: 'backup:repository-verify-quick',
      title: 'Check the encrypted repository (every pack there, with its size)',
      cron: REPOSITORY_QUICK_VERIFY_CRON,
      run: async () => (await service()).startVerify('quick').id,
    },
    {
      id: 'backup:repository-verify-full',
      title: 'Verify the encrypted repository (every blob read and hashed)',
      cron: REPOSITORY_FULL_VERIFY_CRON,
      run: async () => (await service()).startVerify('full').id,
    },
  ];
}
