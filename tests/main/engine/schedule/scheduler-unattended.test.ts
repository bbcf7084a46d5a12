import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openCatalog } from '../../../../src-main/engine/catalog/catalog';
import { ClockWatch } from '../../../../src-main/engine/schedule/clock-watch';
import type { RunWait } from '../../../../src-main/engine/schedule/run-conditions';
import { Scheduler, type ScheduleEntry } from '../../../../src-main/engine/schedule/scheduler';
import { tempDir } from '../../../support/temp-dir';

const stops: Array<() => void> = [];
afterEach(() => {
  stops.splice(0).forEach((stop) => stop());
  vi.useRealTimers();
});

function schedulerOn(file: string, now?: () => Date) {
  const catalog = openCatalog(file);
  const scheduler = new Scheduler(catalog, () => undefined, now);
  stops.push(() => {
    scheduler.stop();
    catalog.close();
  });
  return { scheduler, catalog };
}

function countingEntry(
  id: string,
  cron: string,
  ran: string[],
  stamp: () => string,
): ScheduleEntry {
  return {
    id,
    cron,
    run: async () => {
      ran.push(stamp());
      return `job-${ran.length}`;
    },
  };
}

describe('Scheduler claims, waits and owed runs', () => {
  it('runs a slot owed to two Tend processes once: the second finds it taken', async () => {
    const file = path.join(tempDir(), 'catalog.db');
    let now = new Date('2026-11-20T12:00:00Z');
    // Two connections to one catalog, as the desktop app and `tend run-due` have.
    const app = schedulerOn(file, () => now);
    const runDue = schedulerOn(file, () => now);
    const ran: string[] = [];
    const entry = countingEntry('backup:daily-critical', '0 3 * * *', ran, () => 'run');
    app.scheduler.adopt([entry]);
    runDue.scheduler.adopt([entry]);
    await app.scheduler.catchUp();
    now = new Date('2026-11-22T09:00:00Z');
    const [first, second] = await Promise.all([
      app.scheduler.catchUp(),
      runDue.scheduler.catchUp(),
    ]);
    expect(ran).toHaveLength(1);
    expect([...first!, ...second!].map((outcome) => outcome.outcome).sort()).toEqual([
      'started',
      'taken',
    ]);
  });

  it('does not record a run that waits; it starts once at the next catch-up after the wait', async () => {
    let now = new Date('2026-11-20T12:00:00Z');
    const { scheduler } = schedulerOn(path.join(tempDir(), 'catalog.db'), () => now);
    const ran: string[] = [];
    let wait: RunWait | null = { cause: 'power', reason: 'On battery at 10%' };
    const entry: ScheduleEntry = {
      ...countingEntry('backup:daily-critical', '0 3 * * *', ran, () => now.toISOString()),
      waitFor: async () => wait,
    };
    await scheduler.configure([entry]);
    now = new Date('2026-11-21T09:00:00Z');
    expect(await scheduler.catchUp()).toEqual([
      { id: entry.id, outcome: 'waiting', wait: { cause: 'power', reason: 'On battery at 10%' } },
    ]);
    expect(scheduler.waitingRuns()).toEqual([
      { id: entry.id, cause: 'power', reason: 'On battery at 10%' },
    ]);
    // Still owed an hour later on battery; power comes back, it runs, once.
    now = new Date('2026-11-21T10:00:00Z');
    await scheduler.catchUp();
    expect(ran).toEqual([]);
    wait = null;
    await scheduler.catchUp();
    await scheduler.catchUp();
    expect(ran).toEqual(['2026-11-21T10:00:00.000Z']);
    expect(scheduler.waitingRuns()).toEqual([]);
  });

  it('never asks "Run now" to wait', async () => {
    const { scheduler } = schedulerOn(path.join(tempDir(), 'catalog.db'));
    const ran: string[] = [];
    scheduler.adopt([
      {
        ...countingEntry('backup:daily-critical', '0 3 * * *', ran, () => 'now'),
        waitFor: async () => ({ cause: 'power', reason: 'low' }),
      },
    ]);
    expect(await scheduler.runNow('backup:daily-critical')).toBe('job-1');
  });

  it('owes one run again after `owe`, whatever its last run was', async () => {
    let now = new Date('2026-11-20T12:00:00Z');
    const { scheduler } = schedulerOn(path.join(tempDir(), 'catalog.db'), () => now);
    const ran: string[] = [];
    const entry = countingEntry('backup:weekly-full', '0 4 * * 0', ran, () => now.toISOString());
    await scheduler.configure([entry]);
    now = new Date('2026-11-20T12:05:00Z');
    expect(await scheduler.catchUp()).toEqual([]);
    scheduler.owe(entry.id);
    await scheduler.catchUp();
    await scheduler.catchUp();
    expect(ran).toEqual(['2026-11-20T12:05:00.000Z']);
  });

  it('moves a last run in the future (the clock was set back) to now, running nothing', async () => {
    let now = new Date('2026-11-21T10:00:00Z');
    const { scheduler } = schedulerOn(path.join(tempDir(), 'catalog.db'), () => now);
    const ran: string[] = [];
    const entry = countingEntry('backup:daily-critical', '0 3 * * *', ran, () => now.toISOString());
    await scheduler.configure([entry]);
    scheduler.stop();
    now = new Date('2026-11-20T10:00:00Z');
    expect(await scheduler.catchUp()).toEqual([]);
    expect(scheduler.lastRun(entry.id)).toEqual(now);
    expect(ran).toEqual([]);
  });
});

describe('Scheduler with its crons, a sleep and a clock set by hand', () => {
  // Local times, as croner and the person read them.
  const local = (day: number, hour: number, minute = 0) => new Date(2026, 10, day, hour, minute);
  const HOUR = 3_600_000;

  it('loses no daily run and runs none twice when the clock moves forward or back a day', async () => {
    vi.useFakeTimers({
      toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
    });
    vi.setSystemTime(local(23, 10));
    // The monotonic clock moves only with the timers, never with a jump of the wall clock.
    let mono = 0;
    const advance = async (ms: number) => {
      mono += ms;
      await vi.advanceTimersByTimeAsync(ms);
    };
    const { scheduler } = schedulerOn(path.join(tempDir(), 'catalog.db'));
    const ran: string[] = [];
    const ranAtMono: number[] = [];
    const stamp = () => {
      const at = new Date();
      ranAtMono.push(mono);
      return `${at.getDate()} ${String(at.getHours()).padStart(2, '0')}:${String(at.getMinutes()).padStart(2, '0')}`;
    };
    await scheduler.configure([countingEntry('backup:daily-critical', '0 3 * * *', ran, stamp)]);
    // What the desktop app does on a jump (schedule-wake.ts): plan again, then catch up.
    const watch = new ClockWatch(
      () => {
        scheduler.replan();
        void scheduler.catchUp();
      },
      undefined,
      { wallMs: () => Date.now(), monoMs: () => mono },
    );
    watch.start(30_000);
    stops.push(() => watch.stop());

    // Tue 24 03:00 runs.
    await advance(17 * HOUR + 60_000);
    expect(ran).toEqual(['24 03:00']);

    // Tue 10:00: the clock is set forward a day, to Wed 10:00. Wed 03:00 passed: it runs once,
    // at the next look, and not again.
    await advance(7 * HOUR - 60_000);
    vi.setSystemTime(Date.now() + 24 * HOUR);
    await advance(60_000);
    await advance(10 * 60_000);
    expect(ran).toEqual(['24 03:00', '25 10:00']);

    // Thu 26 03:00 runs on time.
    await advance(17 * HOUR);
    expect(ran).toEqual(['24 03:00', '25 10:00', '26 03:00']);

    // Thu 10:00: the clock is set back a day, to Wed 10:00. Nothing runs again at the jump …
    await advance(7 * HOUR - 60_000);
    vi.setSystemTime(Date.now() - 24 * HOUR);
    await advance(60_000);
    await advance(10 * 60_000);
    expect(ran).toHaveLength(3);
    // … and the next run comes at the next 03:00 of the clock as it is now, 24 hours of real
    // time after the last one (croner alone would wait for Fri 03:00: 48 hours, a day lost).
    await advance(17 * HOUR - 11 * 60_000);
    expect(ran).toEqual(['24 03:00', '25 10:00', '26 03:00', '26 03:00']);
    const realGap = ranAtMono[3]! - ranAtMono[2]!;
    expect(Math.abs(realGap - 24 * HOUR)).toBeLessThanOrEqual(60_000);
    // And nothing more until the next day's 03:00.
    await advance(23 * HOUR);
    expect(ran).toHaveLength(4);
    await advance(HOUR);
    expect(ran).toEqual(['24 03:00', '25 10:00', '26 03:00', '26 03:00', '27 03:00']);
  });

  it("skips the app's own tick for a slot another Tend (tend run-due) ran first", async () => {
    vi.useFakeTimers({
      toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
    });
    vi.setSystemTime(local(23, 2, 59));
    const file = path.join(tempDir(), 'catalog.db');
    const app = schedulerOn(file);
    const other = schedulerOn(file);
    const ran: string[] = [];
    const entry = countingEntry('backup:daily-critical', '0 3 * * *', ran, () => 'app');
    await app.scheduler.configure([entry]);
    const otherRan: string[] = [];
    other.scheduler.adopt([countingEntry(entry.id, entry.cron, otherRan, () => 'run-due')]);
    // run-due fires a little before the app's cron (the timer's accuracy) and runs the slot.
    vi.setSystemTime(local(23, 3, 0));
    await other.scheduler.catchUp();
    expect(otherRan).toEqual(['run-due']);
    await vi.advanceTimersByTimeAsync(90_000);
    expect(ran).toEqual([]);
  });
});
