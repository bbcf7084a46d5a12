import { describe, expect, it } from 'vitest';
import { mergeRuns } from '../../../src-renderer/src/store/maintenance-slice';
import { createTendStore } from '../../../src-renderer/src/store/store';
import type { ScheduleStatus } from '../../../src-shared/models/maintenance';
import { failed, fakeClient, job, ok } from './fake-client';

const schedule = (id: string, paused = false): ScheduleStatus => ({
  id,
  title: id,
  cron: '30 4 * * *',
  paused,
  lastRunAt: null,
  lastJob: null,
  nextRunAt: paused ? null : '2026-11-24T04:30:00.000Z',
});

function answers() {
  return fakeClient({
    'schedule:list': () => ok({ schedules: [schedule('maintenance.archival'), schedule('b')] }),
    'schedule:history': () => ok({ runs: [] }),
    'analytics:tiers': () => failed('ASSISTANT_DB_MISSING', 'No assistant database yet.'),
    'schema:status': () => ok({ current: null, latest: 2, pending: [] }),
    'legacy:status': () =>
      ok({
        hasLegacyData: false,
        state: null,
        id: null,
        appliedAt: null,
        files: 0,
        canRollBack: false,
      }),
    'schedule:pause': ({ id, paused }) => ok(schedule(id, paused ?? false)),
    'schedule:run-now': () => ok({ job: job({ id: 'a1', kind: 'archival' }) }),
  });
}

describe('maintenance slice', () => {
  it('loads the schedules, tiers, schema and legacy state; an error stays beside the rest', async () => {
    const fake = answers();
    const store = createTendStore(fake.client);
    await store.getState().loadMaintenance();
    const state = store.getState();
    expect(state.maintenanceSchedules).toMatchObject({
      status: 'ready',
      value: [{ id: 'maintenance.archival' }, { id: 'b' }],
    });
    expect(state.maintenanceTiers).toMatchObject({
      status: 'error',
      error: { code: 'ASSISTANT_DB_MISSING' },
    });
    expect(state.maintenanceSchema).toMatchObject({ status: 'ready', value: { latest: 2 } });
    expect(state.maintenanceRuns).toMatchObject({ status: 'ready', value: [] });
  });

  it('pauses one schedule in place, runs one now, and asks the history with its filters', async () => {
    const fake = answers();
    const store = createTendStore(fake.client);
    await store.getState().loadMaintenance();
    await store.getState().setSchedulePaused('b', true);
    const list = store.getState().maintenanceSchedules;
    expect(list.status === 'ready' && list.value.map((s) => s.paused)).toEqual([false, true]);

    const result = await store.getState().runScheduleNow('maintenance.archival');
    expect(result.ok).toBe(true);
    expect(store.getState().runningJobs.a1?.kind).toBe('archival');

    await store.getState().loadMaintenanceRuns({ scheduleId: 'b', failuresOnly: true });
    expect(fake.callsTo('schedule:history').at(-1)?.input).toEqual({
      scheduleId: 'b',
      failuresOnly: true,
      limit: 100,
    });
  });

  it('the run history holds the jobs started from pages too, newest first', async () => {
    const fake = answers();
    const scheduled = job({ id: 's1', kind: 'archival', createdAt: '2026-11-23T04:30:00.000Z' });
    const dryRun = job({
      id: 'm1',
      kind: 'migration',
      state: 'failed',
      createdAt: '2026-11-23T05:00:00.000Z',
    });
    const scan = job({ id: 'u1', kind: 'usage-scan', createdAt: '2026-11-23T05:01:00.000Z' });
    fake.answers['schedule:history'] = () =>
      ok({ runs: [{ scheduleId: 'maintenance.archival', trigger: 'schedule', job: scheduled }] });
    fake.answers['jobs:list'] = () => ok({ jobs: [scan, dryRun, scheduled] });
    const store = createTendStore(fake.client);
    await store.getState().loadMaintenance();
    expect(store.getState().maintenanceRuns).toMatchObject({
      status: 'ready',
      value: [
        { scheduleId: null, trigger: 'started', job: { id: 'm1' } },
        { scheduleId: 'maintenance.archival', trigger: 'schedule', job: { id: 's1' } },
      ],
    });
    // One schedule's runs are only that schedule's; failures only keeps the failed ones.
    expect(
      mergeRuns([], [scan, dryRun, scheduled], { scheduleId: 'x', failuresOnly: false }),
    ).toEqual([]);
    expect(
      mergeRuns([], [dryRun, scheduled], { scheduleId: null, failuresOnly: true }).map(
        (run) => run.job.id,
      ),
    ).toEqual(['m1']);
  });

  it('Refresh plans the legacy migration again, with the choices made', async () => {
    const fake = answers();
    fake.answers['legacy:status'] = () =>
      ok({
        hasLegacyData: true,
        state: null,
        id: null,
        appliedAt: null,
        files: 0,
        canRollBack: false,
      });
    fake.answers['legacy:plan'] = ({ resolution }) =>
      ok({
        moves: [],
        unresolved: 0,
        files: 0,
        bytes: 0,
        bytesToCopy: 0,
        freeBytes: 1,
        resolution: resolution ?? 'ask',
      });
    const store = createTendStore(fake.client);
    await store.getState().loadLegacyPlan('keep-newer', { 'data/a': 'keep-both' });
    await store.getState().loadMaintenance();
    expect(fake.callsTo('legacy:plan').map((call) => call.input)).toEqual([
      { resolution: 'keep-newer', choices: { 'data/a': 'keep-both' } },
      { resolution: 'keep-newer', choices: { 'data/a': 'keep-both' } },
    ]);
  });
});
