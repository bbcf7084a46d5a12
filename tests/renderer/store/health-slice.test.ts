import { describe, expect, it, vi } from 'vitest';
import { analyticsDays } from '../../../src-renderer/src/store/health-slice';
import { createTendStore } from '../../../src-renderer/src/store/store';
import type { DailyFigure } from '../../../src-shared/models/maintenance';
import { deferred, failed, fakeClient, job, ok, rootInfo, settle } from './fake-client';
import { healthFigures } from './health-figures';

const today: DailyFigure = {
  day: '2026-11-30',
  interactions: 3,
  successes: 3,
  meanResponseMs: 900,
  ratings: 0,
  meanRating: null,
  tier: 'hot',
};

describe('analyticsDays', () => {
  it.each([
    [90, '2026-09-02', '2026-11-30'],
    [365, '2025-12-01', '2026-11-30'],
    [730, '2024-12-01', '2026-11-30'],
  ] as const)('%i days end today (UTC) and start on %s', (days, from, to) => {
    expect(analyticsDays(days, new Date('2026-11-30T23:30:00.000Z'))).toEqual({ from, to });
  });
});

describe('health slice', () => {
  it('loads the figures and the chart, and again on the news that changes each, until stopped', async () => {
    const fake = fakeClient({
      'health:figures': () => ok(healthFigures),
      'analytics:daily': () => ok({ days: [today], durationMs: 4 }),
    });
    const store = createTendStore(fake.client);
    const stop = store.getState().watchHealth();
    await vi.waitFor(() => expect(store.getState().health.status).toBe('ready'));
    await vi.waitFor(() => expect(store.getState().analytics.status).toBe('ready'));
    expect(store.getState().health).toEqual({ status: 'ready', value: healthFigures });
    expect(fake.callsTo('analytics:daily')).toEqual([
      { channel: 'analytics:daily', input: analyticsDays(365, new Date()) },
    ]);

    const health = () => fake.callsTo('health:figures').length;
    const analytics = () => fake.callsTo('analytics:daily').length;
    fake.emit('backups:changed', { at: '2026-11-30T12:00:00Z' });
    fake.emit('job:finished', job({ id: 'b', kind: 'backup', state: 'succeeded' }));
    fake.emit('job:finished', job({ id: 'v', kind: 'verify', state: 'succeeded' }));
    expect([health(), analytics()]).toEqual([4, 1]);
    // A scan's figures while it runs change nothing yet; its last one does.
    const update = { jobId: 's', report: { complete: false }, tree: {} } as never;
    fake.emit('usage:updated', update);
    expect(health()).toBe(4);
    fake.emit('usage:updated', { jobId: 's', report: { complete: true }, tree: {} } as never);
    expect(health()).toBe(5);
    fake.emit('job:finished', job({ id: 'a', kind: 'archival', state: 'succeeded' }));
    fake.emit('job:finished', job({ id: 'i', kind: 'vectors-import', state: 'succeeded' }));
    expect([health(), analytics()]).toEqual([5, 2]);
    fake.emit('root:changed', rootInfo('/data/other'));
    expect([health(), analytics()]).toEqual([6, 3]);

    stop();
    expect(fake.listenerCount()).toBe(0);
    await settle();
  });

  it('shows the range asked last, whatever order the answers come in', async () => {
    const slow = deferred<ReturnType<typeof ok<{ days: DailyFigure[]; durationMs: number }>>>();
    let first = true;
    const fake = fakeClient({
      'analytics:daily': () => {
        if (!first) return ok({ days: [today], durationMs: 2 });
        first = false;
        return slow.promise;
      },
    });
    const store = createTendStore(fake.client);
    const year = store.getState().loadAnalytics(365);
    await store.getState().loadAnalytics(90);
    slow.resolve(ok({ days: [], durationMs: 900 }));
    await year;
    expect(store.getState().analyticsRange).toBe(90);
    expect(store.getState().analytics).toMatchObject({
      status: 'ready',
      value: { days: [today], ...analyticsDays(90, new Date()) },
    });
  });

  it('says why when a read fails', async () => {
    let answer = ok(healthFigures);
    const fake = fakeClient({ 'health:figures': () => answer });
    const store = createTendStore(fake.client);
    await store.getState().loadHealth();
    answer = failed('NO_ROOT', 'No data folder is open.');
    await store.getState().loadHealth();
    expect(store.getState().health).toMatchObject({ status: 'error', error: { code: 'NO_ROOT' } });
  });
});
