import { TendFailure } from '../../../src-shared/errors';
import type { JobRecord } from '../../../src-shared/models/jobs';
import type {
  RunTrigger,
  ScheduleRun,
  ScheduleStatus,
} from '../../../src-shared/models/maintenance';
import type { EngineServices } from '../engine-services';
import type { RootSession } from '../root-session';
import { readSettings } from '../root/settings-file';
import { Scheduler } from '../schedule/scheduler';
import { scheduleEntriesFor } from '../session-hooks';

/**
 * The root's scheduler with every domain's entries known.
 *
 * The desktop app and `tend serve` configured it at open; a one-shot command gets one that
 * knows the entries (from the same sources) without starting their crons, so the list, "Run
 * now" and pause/resume work the same from the CLI.
 */
export async function schedulerFor(
  session: RootSession,
  engine: EngineServices,
): Promise<Scheduler> {
  const scheduler = session.service(
    'scheduler',
    () => new Scheduler(session.catalog, () => undefined),
  );
  if (scheduler.entries().length === 0) {
    const settings = await readSettings(session.state.settings);
    scheduler.adopt(await scheduleEntriesFor(session, engine, settings));
  }
  return scheduler;
}

function jobOrNull(session: RootSession, id: string | null): JobRecord | null {
  if (id === null) return null;
  try {
    return session.jobs.get(id);
  } catch {
    return null;
  }
}

/** Every scheduled job as the Maintenance page shows it. */
export async function listSchedules(
  session: RootSession,
  engine: EngineServices,
): Promise<ScheduleStatus[]> {
  const scheduler = await schedulerFor(session, engine);
  return scheduler.statuses().map((status) => {
    const lastJob = jobOrNull(session, status.lastJobId);
    return {
      id: status.id,
      title: status.title,
      cron: status.cron,
      paused: status.paused,
      // When the last run's job started: the scheduler's own stamp also moves when it first
      // sees an entry or resumes it, and neither is a run.
      lastRunAt: lastJob ? (lastJob.startedAt ?? lastJob.createdAt) : null,
      lastJob,
      nextRunAt: status.nextRunAt?.toISOString() ?? null,
    };
  });
}

/** One scheduled job's status, or SCHEDULE_NOT_FOUND. */
export async function scheduleStatus(
  session: RootSession,
  engine: EngineServices,
  id: string,
): Promise<ScheduleStatus> {
  const found = (await listSchedules(session, engine)).find((status) => status.id === id);
  if (!found) {
    throw new TendFailure('SCHEDULE_NOT_FOUND', `There is no scheduled job "${id}".`);
  }
  return found;
}

/** The run history, newest first, filtered by schedule and outcome. */
export function scheduleHistory(
  session: RootSession,
  query: { scheduleId?: string; state?: JobRecord['state']; failuresOnly: boolean; limit: number },
): ScheduleRun[] {
  const rows = session.catalog
    .prepare(
      `SELECT r.job_id, r.schedule_id, r.trigger FROM schedule_job_runs r
       JOIN jobs j ON j.id = r.job_id
       WHERE (@scheduleId IS NULL OR r.schedule_id = @scheduleId)
         AND (@state IS NULL OR j.state = @state)
         AND (@failuresOnly = 0 OR j.state IN ('failed', 'interrupted'))
       ORDER BY r.started_at DESC, j.created_at DESC LIMIT @limit`,
    )
    .all({
      scheduleId: query.scheduleId ?? null,
      state: query.state ?? null,
      failuresOnly: query.failuresOnly ? 1 : 0,
      limit: query.limit,
    }) as Array<{ job_id: string; schedule_id: string; trigger: RunTrigger }>;
  return rows.flatMap((row) => {
    const job = jobOrNull(session, row.job_id);
    return job ? [{ scheduleId: row.schedule_id, trigger: row.trigger, job }] : [];
  });
}
