import { Cron } from 'croner';
import type { Catalog } from '../catalog/catalog';

/** One scheduled action: a cron expression and what to start when it fires. */
export interface ScheduleEntry {
  readonly id: string;
  readonly cron: string;
  /** Starts the work; resolves with the id of the job it started, if any. */
  run(): Promise<string | null>;
}

/**
 * The time a schedule should have fired since `lastRun` and has not, or null.
 *
 * Only one run is owed however many were missed: a machine that slept through a week of
 * daily backups makes one backup when it wakes, not seven.
 */
export function missedRun(cron: string, lastRun: Date, now: Date): Date | null {
  const next = new Cron(cron, { paused: true }).nextRun(lastRun);
  return next && next.getTime() <= now.getTime() ? next : null;
}

/** Runs entries on their cron expressions with croner, records each run, and catches up. */
export class Scheduler {
  private active: Array<{ entry: ScheduleEntry; cron: Cron }> = [];

  constructor(
    private readonly catalog: Catalog,
    private readonly onError: (entryId: string, error: unknown) => void,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** When an entry last ran (or was first seen), or null. */
  lastRun(id: string): Date | null {
    const row = this.catalog
      .prepare('SELECT last_run_at FROM schedule_runs WHERE schedule_id = ?')
      .get(id) as { last_run_at: string } | undefined;
    return row ? new Date(row.last_run_at) : null;
  }

  private record(id: string, at: Date, jobId: string | null): void {
    this.catalog
      .prepare(
        `INSERT INTO schedule_runs (schedule_id, last_run_at, last_job_id) VALUES (?, ?, ?)
         ON CONFLICT(schedule_id) DO UPDATE SET last_run_at = excluded.last_run_at,
           last_job_id = COALESCE(excluded.last_job_id, schedule_runs.last_job_id)`,
      )
      .run(id, at.toISOString(), jobId);
  }

  private async fire(entry: ScheduleEntry): Promise<void> {
    try {
      this.record(entry.id, this.now(), await entry.run());
    } catch (error) {
      this.record(entry.id, this.now(), null);
      this.onError(entry.id, error);
    }
  }

  /**
   * Replaces the running schedules. Runs missed since each entry's last run are started once,
   * now; an entry seen for the first time starts counting from now.
   */
  async configure(entries: ReadonlyArray<ScheduleEntry>): Promise<string[]> {
    this.stop();
    const caughtUp: string[] = [];
    for (const entry of entries) {
      const last = this.lastRun(entry.id);
      if (!last) this.record(entry.id, this.now(), null);
      else if (missedRun(entry.cron, last, this.now())) {
        caughtUp.push(entry.id);
        await this.fire(entry);
      }
    }
    // protect: a run still going when the next one is due is not started twice.
    this.active = entries.map((entry) => ({
      entry,
      cron: new Cron(entry.cron, { protect: true }, () => this.fire(entry)),
    }));
    return caughtUp;
  }

  /** When each entry fires next. */
  nextRuns(): Array<{ id: string; next: Date | null }> {
    return this.active.map(({ entry, cron }) => ({ id: entry.id, next: cron.nextRun() }));
  }

  /** Stops every schedule (also when the session closes). */
  stop(): void {
    for (const { cron } of this.active) cron.stop();
    this.active = [];
  }

  close(): void {
    this.stop();
  }
}
