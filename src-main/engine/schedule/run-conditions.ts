/**
 * When a scheduled run may start: the decisions behind catch-up after sleep, a clock that
 * moved, and a laptop on battery. Pure functions of times and states, so every case is a row
 * in a table-driven test; the scheduler, the clock watch and the shells do the I/O.
 */
import { Cron } from 'croner';
import type { JobRecord } from '../../../src-shared/models/jobs';

/** The machine's power, as far as it is known. */
export interface PowerState {
  /** True while running on battery (no charger). */
  readonly onBattery: boolean;
  /** Charge of the battery from 0 to 100; null when unknown. */
  readonly batteryPercent: number | null;
}

/** Why an owed run waits instead of starting now; it starts at a later catch-up. */
export interface RunWait {
  /** `power`: on a low battery. `backup-running`: one backup at a time, this one is next. */
  readonly cause: 'power' | 'backup-running';
  readonly reason: string;
}

/**
 * Why a scheduled run must wait for power now, or null when it may start.
 *
 * Only a machine known to be on battery under `minPercent` waits; an unknown state (a desktop,
 * a server, a platform Tend cannot ask) never holds a backup back. A battery whose charge is
 * unknown counts as low: on battery and not knowing how long it lasts, the backup waits.
 */
export function powerDeferral(power: PowerState | null, minPercent: number): string | null {
  if (!power?.onBattery || minPercent <= 0) return null;
  if (power.batteryPercent !== null && power.batteryPercent >= minPercent) return null;
  const charge = power.batteryPercent === null ? 'an unknown charge' : `${power.batteryPercent}%`;
  return `On battery at ${charge} (under ${minPercent}%): scheduled backups wait for power.`;
}

/**
 * How far apart the wall clock and the monotonic clock may drift between two looks before
 * Tend calls it a jump (sleep, or the clock being set). NTP slews by far less than this.
 */
export const CLOCK_JUMP_TOLERANCE_MS = 2 * 60_000;

/** One look at both clocks: the wall clock (Date.now) and a monotonic one (performance.now). */
export interface ClockReading {
  readonly wallMs: number;
  readonly monoMs: number;
}

/** A jump of the wall clock between two readings. */
export interface ClockJump {
  /**
   * `forward`: the wall clock moved on more than the monotonic one (the machine slept, or the
   * clock was set forward). `back`: it was set back.
   */
  readonly direction: 'forward' | 'back';
  /** The wall time of the earlier reading, and of the later one. */
  readonly fromWallMs: number;
  readonly toWallMs: number;
  /** By how much the wall clock moved more (or less) than the monotonic one. */
  readonly skewMs: number;
}

/**
 * Whether the wall clock jumped between two readings.
 *
 * Note: on Linux and macOS the monotonic clock stops while the machine sleeps, so a sleep looks
 * exactly like the clock being set forward, and both want the same answer: catch up.
 */
export function clockJump(
  before: ClockReading,
  after: ClockReading,
  toleranceMs: number = CLOCK_JUMP_TOLERANCE_MS,
): ClockJump | null {
  const skewMs = after.wallMs - before.wallMs - (after.monoMs - before.monoMs);
  if (Math.abs(skewMs) <= toleranceMs) return null;
  return {
    direction: skewMs > 0 ? 'forward' : 'back',
    fromWallMs: before.wallMs,
    toWallMs: after.wallMs,
    skewMs,
  };
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

/**
 * The last run as the schedule should count it. A last run later than now means the clock was
 * set back: counting from that future time would hold every run back until the clock catches
 * up (a day, or a year for a clock that was wrong), so it counts from now.
 */
export function effectiveLastRun(lastRun: Date, now: Date): Date {
  return lastRun.getTime() > now.getTime() ? now : lastRun;
}

/**
 * The run an entry owes now, or null: a time its cron should have fired since the last run.
 *
 * Once each, however many were missed (missedRun), and never for a slot the last run already
 * covered, so a clock set back by a day does not run yesterday's backup again.
 */
export function owedRun(cron: string, lastRun: Date, now: Date): Date | null {
  return missedRun(cron, effectiveLastRun(lastRun, now), now);
}

/**
 * Whether a cron tick finds its slot already run: the last run (by this process, or by another
 * Tend on the same folder, such as `tend run-due` started by the system's scheduler) lies at or
 * after the slot. A last run in the future (the clock was set back) covers nothing.
 */
export function slotAlreadyRun(cron: string, lastRun: Date | null, now: Date): boolean {
  if (lastRun === null || lastRun.getTime() > now.getTime()) return false;
  return missedRun(cron, lastRun, now) === null;
}

/** A span during which the machine slept (or its clock jumped forward). */
export interface SleepSpan {
  readonly from: Date;
  readonly to: Date;
}

/**
 * Whether a job was cut off by a sleep: it started before the sleep began, did not finish
 * before it, and ended other than succeeded or cancelled by the person. A backup that spans
 * a sleep loses its data lock (nobody refreshed it while the machine slept) and fails on
 * wake; it deserves one more try, not a wait until tomorrow.
 */
export function interruptedBySleep(job: JobRecord, sleep: SleepSpan): boolean {
  if (job.state !== 'failed' && job.state !== 'interrupted') return false;
  const started = Date.parse(job.startedAt ?? job.createdAt);
  const finished = job.finishedAt === null ? Number.POSITIVE_INFINITY : Date.parse(job.finishedAt);
  return started <= sleep.from.getTime() && finished >= sleep.from.getTime();
}
