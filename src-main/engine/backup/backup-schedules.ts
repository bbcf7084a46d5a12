import { TendFailure } from '../../../src-shared/errors';
import type { Settings } from '../../../src-shared/models/settings';
import type { EngineServices } from '../engine-services';
import { repositorySchedules } from '../repository/repository-schedules';
import type { RootSession } from '../root-session';
import type { ScheduleEntry } from '../schedule/scheduler';
import { backupServiceFor, type BackupRequest } from './backup-service';

/** How many archives the scheduled verify re-checks besides the newest. */
const VERIFY_SAMPLE = 2;
/** The scheduled verify: Wednesdays at 06:00, away from the backups' hours. */
export const VERIFY_CRON = '0 6 * * 3';

/**
 * Picks the archives a scheduled verify re-checks: the newest completed one, then a few of
 * the rest at random, so over the weeks every kept archive is read again.
 */
export function verifySample<T extends { id: string; state: string }>(
  records: ReadonlyArray<T>,
  size: number,
  random: () => number = Math.random,
): T[] {
  const completed = records.filter((record) => record.state === 'completed');
  if (completed.length === 0) return [];
  const [newest, ...rest] = completed;
  const picked: T[] = [newest!];
  const pool = [...rest];
  while (picked.length < size + 1 && pool.length > 0) {
    picked.push(pool.splice(Math.floor(random() * pool.length), 1)[0]!);
  }
  return picked;
}

/**
 * The backup schedules from settings (daily critical, weekly and monthly full) and the
 * scheduled verify. A run that finds a backup already running is skipped, not queued: the
 * running one covers it.
 */
export function backupSchedules(
  session: RootSession,
  engine: EngineServices,
  settings: Settings,
): ReadonlyArray<ScheduleEntry> {
  const backups = () => backupServiceFor(session, engine);
  const backup = (
    id: string,
    title: string,
    cron: string,
    request: BackupRequest,
  ): ScheduleEntry => ({
    id,
    title,
    cron,
    run: async () => {
      try {
        return backups().start({ ...request, trigger: 'schedule' }).id;
      } catch (error) {
        if (error instanceof TendFailure && error.code === 'BACKUP_RUNNING') return null;
        throw error;
      }
    },
  });
  // An encrypted repository, once set, is where scheduled backups go; archives stay manual.
  if (settings.backup.repository) return repositorySchedules(session, engine, settings);
  // Without a destination the backups would only fail; Settings says to choose one.
  if (!settings.backup.destination) return [];
  const { schedules } = settings.backup;
  return [
    backup('backup:daily-critical', 'Daily critical backup', schedules.critical, {
      kind: 'critical',
    }),
    backup('backup:weekly-full', 'Weekly full backup', schedules.weeklyFull, { kind: 'full' }),
    backup('backup:monthly-full', 'Monthly full backup', schedules.monthlyFull, { kind: 'full' }),
    {
      id: 'backup:verify-sample',
      title: 'Verify the newest backup and two others',
      cron: VERIFY_CRON,
      run: async () => {
        const sample = verifySample(backups().list(), VERIFY_SAMPLE);
        if (sample.length === 0) return null;
        return backups().startVerify(
          sample.map((record) => record.id),
          'full',
        ).id;
      },
    },
  ];
}

/** Start-up hook: marks backups cut off by a crash as interrupted and removes their files. */
export async function recoverBackups(session: RootSession, engine: EngineServices): Promise<void> {
  const backups = backupServiceFor(session, engine);
  await backups.recover();
  await backups.importDestinationIfNew();
}
