import { describe, expect, it } from 'vitest';
import { connectStoreEvents } from '../../../src-renderer/src/store/events';
import { createTendStore } from '../../../src-renderer/src/store/store';
import { fakeClient, failed, job, ok, settle } from './fake-client';

describe('restore slice', () => {
  it('lists backups, and keeps the error of a failed listing', async () => {
    const backup = {
      id: 'tend-20261101-030000-full',
      kind: 'full' as const,
      createdAt: '2026-11-01T03:00:00.000Z',
      archivePath: '/b/tend-20261101-030000-full.tar.gz',
      tendVersion: '0.1.0',
      categories: ['irreplaceable' as const],
      files: 3,
      bytes: 10,
      verified: true,
    };
    const fake = fakeClient({ 'restore:backups': () => ok({ backups: [backup] }) });
    const store = createTendStore(fake.client);
    await store.getState().loadRestoreBackups();
    expect(store.getState().restoreBackups).toEqual({ status: 'ready', value: [backup] });
    fake.answers['restore:backups'] = () => failed('NO_ROOT');
    await store.getState().loadRestoreBackups();
    expect(store.getState().restoreBackups).toMatchObject({
      status: 'error',
      error: { code: 'NO_ROOT' },
      value: [backup],
    });
  });

  it('follows the restore job it started', async () => {
    const started = job({ id: 'r1', kind: 'restore' });
    const fake = fakeClient({ 'restore:apply': () => ok(started) });
    const store = createTendStore(fake.client);
    const result = await store.getState().applyRestore('/b/x.tar.gz', { kind: 'everything' });
    expect(result.ok).toBe(true);
    expect(fake.callsTo('restore:apply')).toEqual([
      { channel: 'restore:apply', input: { backup: '/b/x.tar.gz', scope: { kind: 'everything' } } },
    ]);
    expect(store.getState().restoreJobId).toBe('r1');
    expect(store.getState().runningJobs.r1).toBeDefined();
    store.getState().clearRestoreJob();
    expect(store.getState().restoreJobId).toBeNull();
  });

  it('opens the one-click confirmation on the Restore page when the tray asks', () => {
    const fake = fakeClient();
    const store = createTendStore(fake.client);
    const stop = connectStoreEvents(store, fake.client, { pollEveryMs: 0 });
    expect(store.getState().restoreConfirmOpen).toBe(false);
    fake.emit('restore:confirm-requested', { at: '2026-11-23T01:00:00Z' });
    expect(store.getState().restoreConfirmOpen).toBe(true);
    expect(store.getState().page).toBe('restore');
    store.getState().closeRestoreConfirm();
    expect(store.getState().restoreConfirmOpen).toBe(false);
    stop();
  });

  it('follows a restore found running after a reload, and not an export', async () => {
    const restore = job({ id: 'r2', kind: 'restore', writesRoot: true, title: 'Restore x' });
    const exporting = job({ id: 'e1', kind: 'restore', writesRoot: false, title: 'Export x' });
    const fake = fakeClient({ 'jobs:list': () => ok({ jobs: [exporting, restore] }) });
    const store = createTendStore(fake.client);
    await store.getState().loadJobs();
    expect(store.getState().restoreJobId).toBe('r2');
    // When it ends, the wizard keeps showing it (its report), and the last restore is read.
    fake.answers['restore:last'] = () => ok({ last: null });
    fake.answers['restore:backups'] = () => ok({ backups: [] });
    const stop = store.getState().watchRestore();
    const ended = { ...restore, state: 'succeeded' as const, finishedAt: '2026-11-22T10:01:00Z' };
    store.getState().jobFinished(ended);
    fake.emit('job:finished', ended);
    await settle();
    expect(store.getState().restoreJobId).toBe('r2');
    expect(store.getState().finishedJobs.r2).toEqual(ended);
    expect(fake.callsTo('restore:last')).toHaveLength(1);
    stop();
  });

  it('a restore started elsewhere takes over a wizard that follows a finished one', () => {
    const store = createTendStore(fakeClient().client);
    store.getState().jobProgressed(job({ id: 'a', kind: 'restore', writesRoot: true }));
    store
      .getState()
      .jobFinished(job({ id: 'a', kind: 'restore', writesRoot: true, state: 'succeeded' }));
    store.getState().jobProgressed(job({ id: 'b', kind: 'restore', writesRoot: true }));
    expect(store.getState().restoreJobId).toBe('b');
    // But not one that still runs: the one followed stays.
    store.getState().jobProgressed(job({ id: 'c', kind: 'restore', writesRoot: true }));
    expect(store.getState().restoreJobId).toBe('b');
  });

  it('keeps the wizard where it was left, until started over', () => {
    const store = createTendStore(fakeClient().client);
    store.getState().editRestoreDraft({ step: 1, backupPath: '/b/x.tar.gz', scopeKind: 'paths' });
    store.getState().navigate('backups');
    store.getState().navigate('restore');
    expect(store.getState().restoreDraft).toMatchObject({
      step: 1,
      backupPath: '/b/x.tar.gz',
      scopeKind: 'paths',
    });
    store.getState().resetRestoreDraft();
    expect(store.getState().restoreDraft.step).toBe(0);
  });
});
