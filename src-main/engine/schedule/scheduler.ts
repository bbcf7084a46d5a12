import { Cron } from 'croner';
import type { Catalog } from '../catalog/catalog';

/** One scheduled action: a cron expression and what to start when it fires. */
export interface ScheduleEntry {
  readonly id: string;
  readonly cron: string;
  /** What it does, in the user's words, for the Maintenance page; the id when left out. */
  readonly title?: string;
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

/** How a run was started: by its cron, as a catch-up at start, or by "Run now". */
export type RunTrigger = 'schedule' | 'catch-up' | 'manual';

/** One entry as the Maintenance page lists it. */
export interface ScheduleEntryStatus {
  readonly id: string;
  readonly title: string;
  readonly cron: string;
  readonly paused: boolean;
  readonly lastRunAt: Date | null;
  readonly lastJobId: string | null;
  readonly nextRunAt: Date | null;
}

/**
 * Runs entries on their cron expressions with croner, records each run, and catches up.
 *
 * A paused entry (kept in the catalog, so it stays paused across starts) neither fires nor
 * catches up; "Run now" still runs it.
 */
export class Scheduler {
  private active: Array<{ entry: ScheduleEntry; cron: Cron }> = [];
  private known: ReadonlyArray<ScheduleEntry> = [];

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

  private link(id: string, jobId: string | null, trigger: RunTrigger, at: Date): void {
    if (jobId === null) return;
    this.catalog
      .prepare(
        `INSERT OR IGNORE INTO schedule_job_runs (job_id, schedule_id, trigger, started_at)
         VALUES (?, ?, ?, ?)`,
      )
      .run(jobId, id, trigger, at.toISOString());
  }

  private async fire(entry: ScheduleEntry, trigger: RunTrigger): Promise<void> {
    // A cron that was running when its entry got paused still ticks once more; skip it.
    if (trigger === 'schedule' && this.isPaused(entry.id)) return;
    try {
      const jobId = await entry.run();
      const at = this.now();
      this.record(entry.id, at, jobId);
      this.link(entry.id, jobId, trigger, at);
    } catch (error) {
      this.record(entry.id, this.now(), null);
      this.onError(entry.id, error);
    }
  }

  /** Whether the person paused an entry. */
  isPaused(id: string): boolean {
    const row = this.catalog
      .prepare('SELECT paused FROM schedule_state WHERE schedule_id = ?')
      .get(id) as { paused: number } | undefined;
    return row?.paused === 1;
  }

  /**
   * Pauses or resumes an entry. A resumed entry starts counting from now: the runs it missed
   * while paused were the person's choice, not a gap to catch up.
   */
  setPaused(id: string, paused: boolean): void {
    const at = this.now();
    this.catalog
      .prepare(
        `INSERT INTO schedule_state (schedule_id, paused, updated_at) VALUES (?, ?, ?)
         ON CONFLICT(schedule_id) DO UPDATE SET paused = excluded.paused, updated_at = excluded.updated_at`,
      )
      .run(id, paused ? 1 : 0, at.toISOString());
    const index = this.active.findIndex((item) => item.entry.id === id);
    if (paused && index >= 0) {
      this.active[index]?.cron.stop();
      this.active.splice(index, 1);
    }
    if (!paused && index < 0) {
      this.record(id, at, null);
      const entry = this.known.find((item) => item.id === id);
      // Only an engine that runs schedules has started crons; a one-shot CLI only records.
      if (entry && this.started) this.active.push({ entry, cron: this.startCron(entry) });
    }
  }

  private started = false;

  private startCron(entry: ScheduleEntry): Cron {
    // protect: a run still going when the next one is due is not started twice.
    return new Cron(entry.cron, { protect: true }, () => this.fire(entry, 'schedule'));
  }

  /**
   * Makes entries known without starting them, so a one-shot command can list them and run
   * one now.
   */
  adopt(entries: ReadonlyArray<ScheduleEntry>): void {
    this.known = entries;
  }

  /** The entries configured or adopted. */
  entries(): ReadonlyArray<ScheduleEntry> {
    return this.known;
  }

  /** Runs an entry now, whatever its schedule; resolves with the job it started. */
  async runNow(id: string): Promise<string | null> {
    const entry = this.known.find((item) => item.id === id);
    if (!entry) return Promise.reject(new Error(`There is no scheduled job ${id}.`));
    const jobId = await entry.run();
    const at = this.now();
    this.record(entry.id, at, jobId);
    this.link(entry.id, jobId, 'manual', at);
    return jobId;
  }

  /** Every known entry with its pause state, last run and next run. */
  statuses(): ScheduleEntryStatus[] {
    return this.known.map((entry) => {
      const row = this.catalog
        .prepare('SELECT last_run_at, last_job_id FROM schedule_runs WHERE schedule_id = ?')
        .get(entry.id) as { last_run_at: string; last_job_id: string | null } | undefined;
      const paused = this.isPaused(entry.id);
      return {
        id: entry.id,
        title: entry.title ?? entry.id,
        cron: entry.cron,
        paused,
        lastRunAt: row ? new Date(row.last_run_at) : null,
        lastJobId: row?.last_job_id ?? null,
        nextRunAt: paused ? null : new Cron(entry.cron, { paused: true }).nextRun(this.now()),
      };
    });
  }

  /**
   * Replaces the running schedules. Runs missed since each entry's last run are started once,
   * now; an entry seen for the first time starts counting from now.
   */
  async configure(entries: ReadonlyArray<ScheduleEntry>): Promise<string[]> {
    this.stop();
    this.known = entries;
    this.started = true;
    const caughtUp: string[] = [];
    const running = entries.filter((entry) => !this.isPaused(entry.id));
    for (const entry of running) {
      const last = this.lastRun(entry.id);
      if (!last) this.record(entry.id, this.now(), null);
      else if (missedRun(entry.cron, last, this.now())) {
        caughtUp.push(entry.id);
        await this.fire(entry, 'catch-up');
      }
    }
    this.active = running.map((entry) => ({ entry, cron: this.startCron(entry) }));
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
    this.started = false;
  }

  close(): void {
    this.stop();
  }
}
