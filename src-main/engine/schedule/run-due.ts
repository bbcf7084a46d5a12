/**
 * `tend run-due`: one pass of the desktop app's catch-up, for the system's own scheduler
 * (a systemd timer, a launchd agent, a Task Scheduler task) on a machine where Tend is not
 * open. It runs what is owed, waits for those jobs, and reports, so the command can exit with
 * the code cron expects.
 */
import { z } from 'zod';
import { TendErrorSchema, TendFailure } from '../../../src-shared/errors';
import { JobStateSchema, type JobRecord } from '../../../src-shared/models/jobs';
import type { EngineServices } from '../engine-services';
import { dataLockHeld } from '../jobs/data-lock';
import { writeFileDurably } from '../fs/durable';
import { schedulerFor } from '../maintenance/schedule-overview';
import type { RootSession } from '../root-session';
import type { Clocks } from './clock-watch';
import { scheduleWakeFor } from './schedule-wake';
import type { RunOutcome } from './scheduler';

/** One run of a pass: the schedule, and what became of it. */
export const RunDueRunSchema = z.object({
  scheduleId: z.string(),
  outcome: z.enum(['started', 'waiting', 'taken', 'failed']),
  jobId: z.string().nullable(),
  /** The job's end state; null when no job was started. */
  state: JobStateSchema.nullable(),
  /** Why it waits, or what went wrong. */
  message: z.string().nullable(),
  error: TendErrorSchema.nullable(),
});
export type RunDueRun = z.infer<typeof RunDueRunSchema>;

/** What one pass of `tend run-due` did; also kept as the folder's last pass. */
export const RunDueReportSchema = z.object({
  root: z.string(),
  startedAt: z.string(),
  finishedAt: z.string(),
  runs: z.array(RunDueRunSchema).readonly(),
  /** Another Tend held the folder (or ran a due slot first): the runs stay owed. */
  busy: z.boolean(),
  /** The exit code the command gave; null while it runs. */
  exitCode: z.number().int().nullable(),
});
export type RunDueReport = z.infer<typeof RunDueReportSchema>;

const busyMessage =
  'Another Tend process is changing this data folder right now. What is due stays due; the next run of the timer (or the open app) does it.';

function runOf(outcome: RunOutcome, job: JobRecord | null): RunDueRun {
  switch (outcome.outcome) {
    case 'started':
      return {
        scheduleId: outcome.id,
        outcome: 'started',
        jobId: outcome.jobId,
        state: job?.state ?? null,
        message: job?.error?.message ?? null,
        error: job?.error ?? null,
      };
    case 'waiting':
      return {
        scheduleId: outcome.id,
        outcome: 'waiting',
        jobId: null,
        state: null,
        message: outcome.wait.reason,
        error: null,
      };
    case 'taken':
      return {
        scheduleId: outcome.id,
        outcome: 'taken',
        jobId: null,
        state: null,
        message: 'Another Tend process ran this one first.',
        error: null,
      };
    case 'failed': {
      const error =
        outcome.error instanceof TendFailure
          ? outcome.error.toError()
          : {
              code: 'INTERNAL' as const,
              message: String((outcome.error as Error)?.message ?? outcome.error),
            };
      return {
        scheduleId: outcome.id,
        outcome: 'failed',
        jobId: null,
        state: null,
        message: error.message,
        error,
      };
    }
  }
}

/**
 * Runs whatever the folder's schedules owe now, exactly as the desktop app catches up at
 * start, and waits for those jobs (a backup the machine's sleep cut off is tried once more).
 *
 * Refused with DATA_LOCKED, before anything is claimed, while another Tend holds the folder.
 * A run whose job then loses the lock to another Tend is owed again, so nothing is lost.
 */
export async function runDue(
  session: RootSession,
  engine: EngineServices,
  options: { now?: () => Date; clocks?: Clocks } = {},
): Promise<RunDueReport> {
  const now = options.now ?? (() => new Date());
  const startedAt = now().toISOString();
  if (await dataLockHeld(session.state.locks)) throw new TendFailure('DATA_LOCKED', busyMessage);
  const scheduler = await schedulerFor(session, engine);
  const wake = scheduleWakeFor(session, engine, scheduler);
  // A backup that runs across a sleep loses its lock; the watch notices and tries it again.
  wake.watchClock(options.clocks);
  const outcomes = await scheduler.catchUp();
  const finished = new Map<string, JobRecord>();
  for (;;) {
    const pending = outcomes.flatMap((item) =>
      item.outcome === 'started' && item.jobId !== null && !finished.has(item.jobId)
        ? [item.jobId]
        : [],
    );
    for (const jobId of pending) finished.set(jobId, await session.jobs.wait(jobId));
    const fresh = (await wake.settled()).flatMap((report) => report.runs);
    // A run that waited for the backup before it comes next, now that that one ended.
    const next =
      pending.length > 0 &&
      outcomes.some((item) => item.outcome === 'waiting' && item.wait.cause === 'backup-running')
        ? await scheduler.catchUp()
        : [];
    fresh.push(...next);
    if (pending.length === 0 && fresh.length === 0) break;
    outcomes.push(...fresh);
  }
  wake.stopWatching();
  let busy = outcomes.some((item) => item.outcome === 'taken');
  for (const item of outcomes) {
    if (item.outcome !== 'started' || item.jobId === null) continue;
    if (finished.get(item.jobId)?.error?.code === 'DATA_LOCKED') {
      scheduler.owe(item.id);
      busy = true;
    }
  }
  // The last word on each schedule: a run that waited and then started, a backup the sleep
  // cut off and then made on its second try, is reported by how it ended.
  const last = new Map<string, RunOutcome>();
  for (const item of outcomes) {
    last.delete(item.id);
    last.set(item.id, item);
  }
  const runs = [...last.values()].map((item) =>
    runOf(
      item,
      item.outcome === 'started' && item.jobId ? (finished.get(item.jobId) ?? null) : null,
    ),
  );
  return {
    root: session.path,
    startedAt,
    finishedAt: now().toISOString(),
    runs,
    busy,
    exitCode: null,
  };
}

/** Keeps a pass's report in Tend's state of the folder, for `tend schedule status`. */
export async function recordRunDue(session: RootSession, report: RunDueReport): Promise<void> {
  await writeFileDurably(session.state.runDue, `${JSON.stringify(report, null, 2)}\n`);
}
