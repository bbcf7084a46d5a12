/**
 * What happens when the machine wakes, its clock is set, or power comes back: the crons are
 * planned again from the clock as it is, a backup the sleep cut off is marked and tried once
 * more, and the runs now owed (missed while asleep, waiting for power) start once each.
 */
import { isFinished, type JobRecord } from '../../../src-shared/models/jobs';
import { backupServiceFor } from '../backup/backup-service';
import type { EngineServices } from '../engine-services';
import { schedulerFor } from '../maintenance/schedule-overview';
import type { RootSession, SessionService } from '../root-session';
import { ClockWatch, type Clocks } from './clock-watch';
import { interruptedBySleep, type SleepSpan } from './run-conditions';
import type { RunOutcome, Scheduler } from './scheduler';

/** What a backup record says after a sleep cut it off. */
export const SLEEP_MESSAGE =
  'The computer went to sleep during this backup, which cut it off. Tend started it again after waking.';

/** What one wake did. */
export interface WakeReport {
  /** Backup jobs the sleep cut off, marked and tried again. */
  readonly retried: ReadonlyArray<string>;
  /** The runs the catch-up tried, with their jobs. */
  readonly runs: ReadonlyArray<RunOutcome>;
}

/** The schedule a job was started by, if any. */
function scheduleOfJob(session: RootSession, jobId: string): string | null {
  const row = session.catalog
    .prepare('SELECT schedule_id FROM schedule_job_runs WHERE job_id = ?')
    .get(jobId) as { schedule_id: string } | undefined;
  return row?.schedule_id ?? null;
}

/**
 * Wakes one root's schedules. The desktop app calls `wake` on powerMonitor's resume and on-ac;
 * `watchClock` notices sleeps and clock changes by itself (for `tend serve` and `tend run-due`).
 */
export class ScheduleWake implements SessionService {
  private watch: ClockWatch | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly handled = new Set<string>();
  private lastWaiting = '[]';
  private readonly reports: WakeReport[] = [];

  constructor(
    private readonly session: RootSession,
    private readonly engine: EngineServices,
    private readonly scheduler: Scheduler,
  ) {}

  /** Starts noticing sleeps and clock changes; while a run waits for power, asks again each tick. */
  watchClock(clocks?: Clocks, everyMs?: number): void {
    if (this.watch) return;
    this.watch = new ClockWatch(
      (jump) => {
        const sleep =
          jump.direction === 'forward'
            ? { from: new Date(jump.fromWallMs), to: new Date(jump.toWallMs) }
            : null;
        this.wake(sleep).catch(() => undefined);
      },
      () => {
        // Only the catch-up: the clock did not move, the crons' plans still hold.
        if (this.scheduler.waitingRuns().length > 0) {
          this.wake(null, false).catch(() => undefined);
        }
      },
      clocks,
    );
    this.watch.start(everyMs);
  }

  /** Stops watching the clock (a one-shot `tend run-due` that is done). */
  stopWatching(): void {
    this.watch?.stop();
    this.watch = null;
  }

  /**
   * The machine woke (with the span it slept, when known), the clock moved, or power came
   * back. Wakes run one after another, never two at once. `replan` false only catches up
   * (a run waiting for power asks again; the clock did not move).
   */
  wake(sleep: SleepSpan | null, replan = true): Promise<WakeReport> {
    const next = this.queue.then(() => this.wakeNow(sleep, replan));
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Waits for the wakes asked so far; returns every report since the last call. */
  async settled(): Promise<WakeReport[]> {
    await this.queue;
    return this.reports.splice(0);
  }

  private async wakeNow(sleep: SleepSpan | null, replan: boolean): Promise<WakeReport> {
    // A wake asked just before the root closed finds nothing left to wake.
    if (this.closed) return { retried: [], runs: [] };
    if (replan) this.scheduler.replan();
    const retried = sleep ? await this.retryCutOff(sleep) : [];
    const runs = await this.scheduler.catchUp();
    const report = { retried, runs };
    this.reports.push(report);
    this.changed();
    return report;
  }

  /** Marks the backups a sleep cut off and makes each run again once. */
  private async retryCutOff(sleep: SleepSpan): Promise<string[]> {
    const candidates = this.session.jobs
      .list(50, 'backup')
      .filter(
        (job) =>
          !this.handled.has(job.id) &&
          Date.parse(job.startedAt ?? job.createdAt) <= sleep.from.getTime(),
      );
    const ended: JobRecord[] = [];
    // One still running when the machine woke ends on its own (it lost its data lock, or it
    // finishes well); only then is it known whether it needs another try.
    for (const job of candidates) {
      ended.push(isFinished(job.state) ? job : await this.session.jobs.wait(job.id));
    }
    const cut = ended.filter((job) => interruptedBySleep(job, sleep));
    for (const job of cut) {
      this.handled.add(job.id);
      this.markAndRetry(job);
    }
    return cut.map((job) => job.id);
  }

  private markAndRetry(job: JobRecord): void {
    const backups = backupServiceFor(this.session, this.engine);
    const record = backups.list().find((item) => item.jobId === job.id) ?? null;
    if (record && record.state !== 'completed') {
      backups.catalog.finish(record.id, {
        state: 'interrupted',
        finishedAt: record.finishedAt ?? job.finishedAt,
        durationMs: record.durationMs,
        error: {
          code: record.error?.code ?? job.error?.code ?? 'INTERNAL',
          message: SLEEP_MESSAGE,
        },
      });
      this.engine.events.emit('backups:changed', { at: new Date().toISOString() });
    }
    const scheduleId = scheduleOfJob(this.session, job.id);
    // A scheduled run is owed again, and the catch-up that follows starts it (or waits for
    // power). A backup the person asked for is started again as they asked it.
    if (scheduleId !== null) this.scheduler.owe(scheduleId);
    else if (record) {
      try {
        backups.start({
          kind: record.kind,
          ...(record.kind === 'custom' ? { categories: record.categories } : {}),
          destination: record.destination,
          trigger: 'manual',
        });
      } catch {
        // Another backup is running already; it covers this one.
      }
    }
  }

  /** Tells the tray and the pages to read `unattended:status` again when the waiting changed. */
  private changed(): void {
    const waiting = JSON.stringify(this.scheduler.waitingRuns());
    if (waiting === this.lastWaiting && this.reports.at(-1)?.runs.length === 0) return;
    this.lastWaiting = waiting;
    this.engine.events.emit('unattended:changed', { at: new Date().toISOString() });
  }

  private closed = false;

  close(): void {
    this.closed = true;
    this.watch?.stop();
    this.watch = null;
  }
}

/** The open root's wake service over its scheduler, made once per session. */
export function scheduleWakeFor(
  session: RootSession,
  engine: EngineServices,
  scheduler: Scheduler,
): ScheduleWake {
  return session.service('schedule-wake', () => new ScheduleWake(session, engine, scheduler));
}

/**
 * Wakes the open root's schedules, if a root is open: the desktop app's answer to
 * powerMonitor's resume (with the span it slept) and on-ac (null).
 */
export async function wakeOpenRoot(
  engine: EngineServices,
  sleep: SleepSpan | null,
): Promise<WakeReport | null> {
  let session: RootSession;
  try {
    session = engine.requireSession();
  } catch {
    return null;
  }
  const scheduler = await schedulerFor(session, engine);
  return scheduleWakeFor(session, engine, scheduler).wake(sleep);
}
