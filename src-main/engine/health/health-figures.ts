/**
 * The Health panel's figures for one root, read from its catalog: backup success over the
 * last 30 days, the last verified backup, and growth this month.
 */
import type { HealthFigures } from '../../../src-shared/models/health';
import { backupServiceFor } from '../backup/backup-service';
import type { EngineServices } from '../engine-services';
import type { RootSession } from '../root-session';
import { backupSuccess, readBackupRuns, readWatchedFrom } from './backup-success';
import { verificationFigures } from './last-verified';
import { readMonthGrowth } from './month-growth';
import { repositoryBackupRecords } from './repository-verified';

/** The days the backup success figure covers: today and the 29 before it. */
export const SUCCESS_WINDOW_DAYS = 30;

/** Reads the figures; `now` is a parameter so a test can stand anywhere in a year of history. */
export async function healthFigures(
  session: RootSession,
  engine: EngineServices,
  now: Date = new Date(),
): Promise<HealthFigures> {
  const started = performance.now();
  const { catalog } = session;
  const window = { now, days: SUCCESS_WINDOW_DAYS, watchedFrom: readWatchedFrom(catalog) };
  // A day's margin before the window: the pure function cuts at 00:00 UTC of its first day.
  const since = new Date(now.getTime() - (SUCCESS_WINDOW_DAYS + 1) * 86_400_000).toISOString();
  const backups = backupServiceFor(session, engine);
  const unavailable = new Map(
    (await backups.unavailable()).map((item) => [item.id, item.reason] as const),
  );
  return {
    backupSuccess: backupSuccess(readBackupRuns(catalog, since), window),
    // Archives and the encrypted repository's snapshots alike: either can be the one verified.
    verification: verificationFigures(
      [...backups.list(), ...repositoryBackupRecords(catalog)],
      unavailable,
      now,
    ),
    growth: readMonthGrowth(catalog, now),
    checkedAt: now.toISOString(),
    durationMs: Math.round((performance.now() - started) * 100) / 100,
  };
}
