import { Cron } from 'croner';
import type { Catalog } from '../catalog/catalog';
import { owedRun, slotAlreadyRun, type RunWait } from './run-conditions';

export { missedRun } from './run-conditions';

/** One scheduled action: a cron expression and what to start when it fires. */
export interface ScheduleEntry {
  readonly id: string;
  readonly cron: string;
  /** What it does, in the user's words, for the Maintenance page; the id when left out. */
  readonly title?: string;
  /**
   * Why a scheduled or caught-up run must wait now (a laptop on battery, another backup still
   * running), or null. A run that waits is not recorded, so it stays owed and starts at the
   * next catch-up (power back, a wake, the next start). "Run now" never asks.
   */
  waitFor?(): Promise<RunWait | null>;
  /** Starts the work; resolves with the id of the job it started, if any. */
  run(): Promise<string | null>;
}

/** What became of one run the scheduler tried. */
export type RunOutcome =
  | { readonly id: string; readonly outcome: 'started'; readonly jobId: string | null }
  | { readonly id: string; readonly outcome: 'waiting'; readonly wait: RunWait }
  /** Another Tend process (or an earlier call) ran this slot first; nothing was started. */
  | { readonly id: string; readonly outcome: 'taken' }
  | { readonly id: string; readonly outcome: 'failed'; readonly error: unknown };

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
 * catches up; "Run now" still runs it. Each run first claims its slot in the catalog, so two
 * Tend processes on one folder (the desktop app and `tend run-due`) never both run it.
 */
export class Scheduler {
  private active: Array<{ entry: ScheduleEntry; cron: Cron }> = [];
  private known: ReadonlyArray<ScheduleEntry> = [];
  private readonly waiting = new Map<string, RunWait>();

  constructor(
    private readonly catalog: Catalog,
    private readonly onError: (entryId: string, error: unknown) => void,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** When an entry last ran (or was first seen), or null. */
  lastRun(id: string): Date | null {
    const stamp = this.lastRunStamp(id);
    return stamp === null ? null : new Date(stamp);
  }

  /** The stored stamp itself: a claim compares it exactly. */
  private lastRunStamp(id: string): string | null {
    const row = this.catalog
      .prepare('SELECT last_run_at FROM schedule_runs WHERE schedule_id = ?')
      .get(id) as { last_run_at: string } | undefined;
    return row?.last_run_at ?? null;
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

  /**
   * Moves an entry's last run from `seen` to `at`, only if nobody moved it since: the catalog
   * serializes writers, so of two processes that saw the same run owed, one wins the claim.
   */
  private claim(id: string, seen: string | null, at: Date): boolean {
    const result =
      seen === null
        ? this.catalog
            .prepare(
              `INSERT INTO schedule_runs (schedule_id, last_run_at) VALUES (?, ?)
               ON CONFLICT(schedule_id) DO NOTHING`,
            )
            .run(id, at.toISOString())
        : this.catalog
            .prepare(
              'UPDATE schedule_runs SET last_run_at = ? WHERE schedule_id = ? AND last_run_at = ?',
            )
            .run(at.toISOString(), id, seen);
    return result.changes === 1;
  }

  private link(id: string, jobId: string | null, trigger: RunTrigger, at: Date): void {
    if (jobId === null) return;
    this.catalog
      .prepare('UPDATE schedule_runs SET last_job_id = ? WHERE schedule_id = ?')
      .run(jobId, id);
    this.catalog
      .prepare(
        `INSERT OR IGNORE INTO schedule_job_runs (job_id, schedule_id, trigger, started_at)
         VALUES (?, ?, ?, ?)`,
      )
      .run(jobId, id, trigger, at.toISOString());
  }

  private async fire(entry: ScheduleEntry, trigger: RunTrigger): Promise<RunOutcome> {
    const { id } = entry;
    // A cron that was running when its entry got paused still ticks once more; skip it.
    if (trigger === 'schedule' && this.isPaused(id)) return { id, outcome: 'taken' };
    const seen = this.lastRunStamp(id);
    // A tick whose slot another Tend already ran (run-due from the system's scheduler).
    if (trigger === 'schedule' && slotAlreadyRun(entry.cron, this.lastRun(id), this.now())) {
      return { id, outcome: 'taken' };
    }
    const wait = (await entry.waitFor?.()) ?? null;
    if (wait !== null) {
      this.waiting.set(id, wait);
      return { id, outcome: 'waiting', wait };
    }
    this.waiting.delete(id);
    const at = this.now();
    if (!this.claim(id, seen, at)) return { id, outcome: 'taken' };
    try {
      const jobId = await entry.run();
      this.link(id, jobId, trigger, at);
      return { id, outcome: 'started', jobId };
    } catch (error) {
      this.onError(id, error);
      return { id, outcome: 'failed', error };
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
    if (paused) this.waiting.delete(id);
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

  /** Whether this scheduler runs crons (the desktop app, `tend serve`), not only knows them. */
  get isStarted(): boolean {
    return this.started;
  }

  private startCron(entry: ScheduleEntry): Cron {
    // protect: a run still going when the next one is due is not started twice.
    return new Cron(entry.cron, { protect: true }, async () => {
      await this.fire(entry, 'schedule');
    });
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

  /** The entries whose owed run waits (for power), and why. */
  waitingRuns(): ReadonlyArray<{ id: string } & RunWait> {
    return [...this.waiting].map(([id, wait]) => ({ id, ...wait }));
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

  /**
   * Makes an entry owe one run again (its run was cut off by a sleep, or lost the data lock
   * to another Tend): its last run is moved back to before its cron's first slot, and
   * `missedRun` owes exactly one run after any gap, so the next catch-up starts it once.
   */
  owe(id: string): void {
    this.record(id, new Date(0), null);
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
   * Starts, once each, the runs the known entries owe now: the same catch-up at start, on
   * wake, when power returns, and in `tend run-due`. An entry seen for the first time starts
   * counting from now; a last run in the future (the clock was set back) is moved to now.
   */
  async catchUp(): Promise<RunOutcome[]> {
    const outcomes: RunOutcome[] = [];
    for (const entry of this.known) {
      if (this.isPaused(entry.id)) continue;
      const stamp = this.lastRunStamp(entry.id);
      const now = this.now();
      if (stamp === null || new Date(stamp).getTime() > now.getTime()) {
        this.claim(entry.id, stamp, now);
      } else if (owedRun(entry.cron, new Date(stamp), now)) {
        outcomes.push(await this.fire(entry, 'catch-up'));
      }
    }
    return outcomes;
  }

  /**
   * Replaces the running schedules. Runs missed since each entry's last run are started once,
   * now; an entry seen for the first time starts counting from now. Returns the entries whose
   * run was started (or tried).
   */
  async configure(entries: ReadonlyArray<ScheduleEntry>): Promise<string[]> {
    this.stop();
    this.known = entries;
    this.started = true;
    const outcomes = await this.catchUp();
    // The crons start after the catch-up and from the clock as it is now: croner plans each
    // next run from its last one, so after the clock moved this is also how to re-plan.
    this.active = entries
      .filter((entry) => !this.isPaused(entry.id))
      .map((entry) => ({ entry, cron: this.startCron(entry) }));
    return outcomes
      .filter((item) => item.outcome === 'started' || item.outcome === 'failed')
      .map((item) => item.id);
  }

  /**
   * Plans every cron again from the clock as it is now, after the machine woke or its clock
   * was set: croner plans each next run from its last one, which a jump makes wrong. Nothing
   * runs here; `catchUp` starts what the jump made owed.
   */
  replan(): void {
    if (!this.started) return;
    for (const { cron } of this.active) cron.stop();
    this.active = this.known
      .filter((entry) => !this.isPaused(entry.id))
      .map((entry) => ({ entry, cron: this.startCron(entry) }));
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
