/**
 * Backup success over the last days (seed 004's KPI, goal 100%): a pure function of the backup
 * runs, so every case is a row of a table-driven test; `readBackupRuns` is the catalog side.
 */
import { assertNever, TendErrorSchema, type TendError } from '../../../src-shared/errors';
import type { BackupRunOutcome, BackupSuccess } from '../../../src-shared/models/health';
import type { JobState } from '../../../src-shared/models/jobs';
import type { RunTrigger } from '../../../src-shared/models/maintenance';
import { SCHEDULED_TITLE } from '../backup/backup-service';
import type { Catalog } from '../catalog/catalog';

/** One backup job as the figure reads it. */
export interface BackupRun {
  readonly jobId: string;
  readonly title: string;
  readonly state: JobState;
  readonly createdAt: string;
  readonly finishedAt: string | null;
  /** How a schedule started it (schedule_job_runs); null when none did. */
  readonly trigger: RunTrigger | null;
  readonly error: TendError | null;
}

/** The window the figure covers, and where Tend's watch began. */
export interface SuccessWindow {
  readonly now: Date;
  /** Today and the days before it (30: "the last 30 days"). */
  readonly days: number;
  /** When Tend began to look after the folder (its first job); days before are not counted. */
  readonly watchedFrom: string | null;
}

const DAY_MS = 86_400_000;

/** The UTC day of a moment, YYYY-MM-DD. */
export function utcDay(at: string | Date): string {
  return (typeof at === 'string' ? new Date(at) : at).toISOString().slice(0, 10);
}

function addDays(day: string, days: number): string {
  return utcDay(new Date(Date.parse(`${day}T00:00:00.000Z`) + days * DAY_MS));
}

/**
 * Whether a failed run is a missed one: a scheduled run whose destination's disk was not
 * there (schedule/scheduled-backup-gate.ts marks its error `details.missed`).
 */
function isMissed(error: TendError | null): boolean {
  const details = error?.details as { missed?: unknown } | null | undefined;
  return details?.missed === true;
}

/** What became of one run. */
export function runOutcome(run: Pick<BackupRun, 'state' | 'error'>): BackupRunOutcome {
  switch (run.state) {
    case 'succeeded':
      return 'succeeded';
    case 'failed':
      return isMissed(run.error) ? 'missed' : 'failed';
    case 'interrupted':
      return 'interrupted';
    case 'cancelled':
      return 'cancelled';
    case 'queued':
    case 'running':
      return 'running';
    default:
      return assertNever(run.state);
  }
}

/** Whether a schedule started a run: its link, else its title (a run linked before 006). */
function isScheduled(run: BackupRun): boolean {
  if (run.trigger !== null) return run.trigger !== 'manual';
  return run.title.startsWith(SCHEDULED_TITLE);
}

/**
 * Backup success over the window: the runs started in it that ended, successes over all of
 * them with missed and cut-off runs counted as failures, and how many of the watched days had
 * a good backup. A cancelled run (the person stopped it) and one still running are shown
 * apart and not counted.
 */
export function backupSuccess(
  runs: ReadonlyArray<BackupRun>,
  window: SuccessWindow,
): BackupSuccess {
  const today = utcDay(window.now);
  const firstDay = addDays(today, -(window.days - 1));
  const from = `${firstDay}T00:00:00.000Z`;
  const counts: Record<BackupRunOutcome, number> = {
    succeeded: 0,
    failed: 0,
    missed: 0,
    interrupted: 0,
    cancelled: 0,
    running: 0,
  };
  let scheduled = 0;
  let manual = 0;
  const goodDays = new Set<string>();
  let lastFailure: BackupSuccess['lastFailure'] = null;
  const inWindow = runs
    .filter((run) => run.createdAt >= from)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  for (const run of inWindow) {
    const outcome = runOutcome(run);
    counts[outcome] += 1;
    if (outcome === 'cancelled' || outcome === 'running') continue;
    if (isScheduled(run)) scheduled += 1;
    else manual += 1;
    if (outcome === 'succeeded') goodDays.add(utcDay(run.createdAt));
    else lastFailure = { at: run.createdAt, title: run.title, outcome, error: run.error };
  }
  const counted = counts.succeeded + counts.failed + counts.missed + counts.interrupted;

  // Days watched: from the later of the window's start and Tend's first day, through
  // yesterday; today too once it has a good backup (its scheduled run may still be ahead).
  const watchStart = window.watchedFrom ? utcDay(window.watchedFrom) : today;
  const start = watchStart > firstDay ? watchStart : firstDay;
  let daysWatched = 0;
  let daysWithBackup = 0;
  for (let day = start; day <= today; day = addDays(day, 1)) {
    const good = goodDays.has(day);
    if (day === today && !good) continue;
    daysWatched += 1;
    if (good) daysWithBackup += 1;
  }

  return {
    windowDays: window.days,
    from,
    runs: counted,
    ...counts,
    scheduled,
    manual,
    rate: counted === 0 ? null : counts.succeeded / counted,
    goal: 1,
    daysWatched,
    daysWithBackup,
    lastFailure,
  };
}

interface RunRow {
  id: string;
  title: string;
  state: JobState;
  created_at: string;
  finished_at: string | null;
  error: string | null;
  trigger: RunTrigger | null;
}

/** The backup jobs started since a moment, with the schedule trigger of each. */
export function readBackupRuns(catalog: Catalog, since: string): BackupRun[] {
  const rows = catalog
    .prepare(
      `SELECT j.id, j.title, j.state, j.created_at, j.finished_at, j.error, r.trigger
       FROM jobs j LEFT JOIN schedule_job_runs r ON r.job_id = j.id
       WHERE j.kind = 'backup' AND j.created_at >= ?`,
    )
    .all(since) as RunRow[];
  return rows.map((row) => ({
    jobId: row.id,
    title: row.title,
    state: row.state,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
    trigger: row.trigger,
    error: row.error === null ? null : readError(row.error),
  }));
}

/** A job's stored error, checked: one that does not read is still a failure, said plainly. */
function readError(text: string): TendError {
  try {
    const parsed = TendErrorSchema.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
  } catch {
    // Falls through: not JSON.
  }
  return { code: 'INTERNAL', message: 'The run failed; its error could not be read.' };
}

/** When Tend began to look after the folder: its first job, or null before any. */
export function readWatchedFrom(catalog: Catalog): string | null {
  const row = catalog.prepare('SELECT MIN(created_at) AS first FROM jobs').get() as {
    first: string | null;
  };
  return row.first;
}
