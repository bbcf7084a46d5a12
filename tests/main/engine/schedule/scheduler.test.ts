import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openCatalog } from '../../../../src-main/engine/catalog/catalog';
import { missedRun, Scheduler } from '../../../../src-main/engine/schedule/scheduler';
import { tempDir } from '../../../support/temp-dir';

const schedulers: Scheduler[] = [];
afterEach(() => schedulers.splice(0).forEach((scheduler) => scheduler.stop()));

function make(now: () => Date) {
  const catalog = openCatalog(path.join(tempDir(), 'catalog.db'));
  const errors: string[] = [];
  const scheduler = new Scheduler(catalog, (id) => errors.push(id), now);
  schedulers.push(scheduler);
  return { scheduler, errors, catalog };
}

describe('missedRun', () => {
  it.each([
    ['0 3 * * *', '2026-11-20T03:00:00Z', '2026-11-21T02:59:00Z', null],
    ['0 3 * * *', '2026-11-20T03:00:00Z', '2026-11-21T03:00:00Z', '2026-11-21T03:00:00.000Z'],
    // A week asleep owes one run: the first one missed.
    ['0 3 * * *', '2026-11-01T03:00:00Z', '2026-11-08T12:00:00Z', '2026-11-02T03:00:00.000Z'],
    ['0 4 * * 0', '2026-11-16T10:00:00Z', '2026-11-21T10:00:00Z', null],
  ])('%s after %s at %s → %s', (cron, last, now, expected) => {
    const missed = missedRun(cron, new Date(last), new Date(now));
    expect(missed?.toISOString() ?? null).toBe(expected);
  });
});

describe('Scheduler', () => {
  it('starts counting at the first start, and catches up once after a gap', async () => {
    let now = new Date('2026-11-20T12:00:00Z');
    const { scheduler } = make(() => now);
    const ran: string[] = [];
    const entry = {
      id: 'daily-critical',
      cron: '0 3 * * *',
      run: async () => {
        ran.push(now.toISOString());
        return 'job-1';
      },
    };
    expect(await scheduler.configure([entry])).toEqual([]);
    expect(ran).toEqual([]);
    // The machine was off for three days.
    now = new Date('2026-11-23T09:00:00Z');
    expect(await scheduler.configure([entry])).toEqual(['daily-critical']);
    expect(ran).toEqual(['2026-11-23T09:00:00.000Z']);
    expect(scheduler.lastRun('daily-critical')?.toISOString()).toBe('2026-11-23T09:00:00.000Z');
    // Nothing more is owed until tomorrow 03:00.
    expect(await scheduler.configure([entry])).toEqual([]);
    expect(scheduler.nextRuns()[0]?.id).toBe('daily-critical');
  });

  it('records a failed run and reports it', async () => {
    let now = new Date('2026-11-20T12:00:00Z');
    const { scheduler, errors } = make(() => now);
    const entry = {
      id: 'weekly-full',
      cron: '0 4 * * 0',
      run: async (): Promise<string | null> => {
        throw new Error('destination missing');
      },
    };
    await scheduler.configure([entry]);
    now = new Date('2026-11-30T12:00:00Z');
    await scheduler.configure([entry]);
    expect(errors).toEqual(['weekly-full']);
    expect(scheduler.lastRun('weekly-full')?.toISOString()).toBe('2026-11-30T12:00:00.000Z');
  });

  it('pauses an entry across configures, skips its catch-up, and resumes it from now', async () => {
    let now = new Date('2026-11-20T12:00:00Z');
    const { scheduler } = make(() => now);
    const ran: string[] = [];
    const entry = {
      id: 'maintenance.archival',
      title: 'Archive analytics',
      cron: '30 4 * * *',
      run: async () => {
        ran.push(now.toISOString());
        return `job-${ran.length}`;
      },
    };
    await scheduler.configure([entry]);
    scheduler.setPaused(entry.id, true);
    expect(scheduler.statuses()[0]).toMatchObject({
      paused: true,
      nextRunAt: null,
      title: 'Archive analytics',
    });
    now = new Date('2026-11-25T12:00:00Z');
    // Paused: the days it missed are not owed.
    expect(await scheduler.configure([entry])).toEqual([]);
    expect(scheduler.nextRuns()).toEqual([]);
    scheduler.setPaused(entry.id, false);
    expect(scheduler.statuses()[0]?.nextRunAt?.toISOString()).toBe('2026-11-26T04:30:00.000Z');
    expect(await scheduler.configure([entry])).toEqual([]);
    expect(ran).toEqual([]);
  });

  it('runs an entry now and links the job to it as a manual run', async () => {
    const now = new Date('2026-11-20T12:00:00Z');
    const { scheduler, catalog } = make(() => now);
    scheduler.adopt([{ id: 'maintenance.scrub', cron: '15 4 * * *', run: async () => 'job-9' }]);
    expect(await scheduler.runNow('maintenance.scrub')).toBe('job-9');
    expect(scheduler.statuses()[0]).toMatchObject({ lastJobId: 'job-9', paused: false });
    expect(catalog.prepare('SELECT schedule_id, trigger FROM schedule_job_runs').all()).toEqual([
      { schedule_id: 'maintenance.scrub', trigger: 'manual' },
    ]);
    await expect(scheduler.runNow('nope')).rejects.toThrow(/no scheduled job/);
  });
});
