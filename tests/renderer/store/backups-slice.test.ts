import { describe, expect, it } from 'vitest';
import { createTendStore } from '../../../src-renderer/src/store/store';
import type { BackupRecord, PrunePlan } from '../../../src-shared/models/backups';
import { failed, fakeClient, job, ok, settle } from './fake-client';

const record = (id: string): BackupRecord => ({
  id,
  kind: 'critical',
  categories: ['irreplaceable', 'rebuildable'],
  state: 'completed',
  destination: '/backups',
  fileName: `${id}.tar.gz`,
  createdAt: '2026-11-22T03:00:00.000Z',
  finishedAt: '2026-11-22T03:00:05.000Z',
  durationMs: 5000,
  archiveBytes: 1000,
  archiveSha256: null,
  files: 10,
  dataBytes: 5000,
  verifyState: 'unverified',
  verifiedAt: null,
  verifyMessage: null,
  warnings: [],
  error: null,
  jobId: null,
  origin: 'created',
  host: 'h',
});

const plan: PrunePlan = {
  policy: { daily: 1, weekly: 0, monthly: 0 },
  decisions: [],
  deleteCount: 0,
  freedBytes: 0,
};

describe('backups slice', () => {
  it('loads the history, follows a running backup, and reloads when one ends', async () => {
    let history = [record('tend-a')];
    const running = job({ id: 'b1', kind: 'backup', state: 'running' });
    const fake = fakeClient({
      'backups:list': () => ok({ backups: history, runningJob: running, unavailable: [] }),
      'backups:create': () => ok(job({ id: 'b2', kind: 'backup', state: 'queued' })),
    });
    const store = createTendStore(fake.client);
    const stop = store.getState().watchBackups();
    await store.getState().loadBackups();
    expect(store.getState().backups).toMatchObject({ status: 'ready', value: [{ id: 'tend-a' }] });
    expect(store.getState().runningJobs.b1).toBeDefined();

    await store.getState().createBackup('full');
    expect(fake.callsTo('backups:create')).toEqual([
      { channel: 'backups:create', input: { kind: 'full' } },
    ]);
    expect(store.getState().runningJobs.b2).toBeDefined();

    history = [record('tend-b'), record('tend-a')];
    fake.emit('job:finished', job({ id: 'b2', kind: 'backup', state: 'succeeded' }));
    await settle();
    expect(store.getState().backups).toMatchObject({ value: [{ id: 'tend-b' }, { id: 'tend-a' }] });
    stop();
    expect(fake.listenerCount()).toBe(0);
  });

  it('keeps the history when a reload fails, and returns refusals to the page', async () => {
    let answer = ok({ backups: [record('tend-a')], runningJob: null, unavailable: [] });
    const fake = fakeClient({
      'backups:list': () => answer,
      'backups:create': () => failed('BACKUP_RUNNING', 'A backup is already running.'),
    });
    const store = createTendStore(fake.client);
    await store.getState().loadBackups();
    answer = failed('INTERNAL') as typeof answer;
    await store.getState().loadBackups();
    expect(store.getState().backups).toMatchObject({ status: 'error', value: null });
    const refused = await store.getState().createBackup('critical');
    expect(refused).toMatchObject({ ok: false, error: { code: 'BACKUP_RUNNING' } });
  });

  it('previews retention under numbers not saved yet', async () => {
    const fake = fakeClient({ 'backups:prune-plan': () => ok(plan) });
    const store = createTendStore(fake.client);
    await store.getState().previewPrune({ daily: 1, weekly: 0, monthly: 0 });
    expect(fake.callsTo('backups:prune-plan')[0]?.input).toEqual({
      policy: { daily: 1, weekly: 0, monthly: 0 },
    });
    expect(store.getState().prunePlan).toMatchObject({ status: 'ready', value: plan });
  });
});
