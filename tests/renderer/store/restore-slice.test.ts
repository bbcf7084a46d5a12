import { describe, expect, it } from 'vitest';
import { connectStoreEvents } from '../../../src-renderer/src/store/events';
import { createTendStore } from '../../../src-renderer/src/store/store';
import { fakeClient, failed, job, ok } from './fake-client';

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
});
