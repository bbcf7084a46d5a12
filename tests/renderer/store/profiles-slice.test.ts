import { describe, expect, it, vi } from 'vitest';
import { STORE_CHECK_PLACE } from '../../../src-renderer/src/store/profiles-slice';
import { createTendStore } from '../../../src-renderer/src/store/store';
import type { StoreChecks } from '../../../src-shared/models/profiles';
import type { RestorePlan } from '../../../src-shared/models/restore';
import { fakeClient, job, ok, rootInfo } from './fake-client';

const checks: StoreChecks = {
  profile: 'entity-rag',
  checkedAt: '2026-11-30T12:00:00.000Z',
  instances: [],
};

describe('profiles slice', () => {
  it('reads the last check from the catalog, and forgets it when another folder opens', async () => {
    const fake = fakeClient({ 'profiles:last-check': () => ok({ job: null, checks }) });
    const store = createTendStore(fake.client);
    await store.getState().loadStoreChecks();
    expect(store.getState().storeChecks).toEqual({ status: 'ready', value: checks });
    // A folder checked before is not read again on its own.
    expect(fake.callsTo('profiles:check')).toHaveLength(0);
    store.getState().rootChanged(rootInfo('/elsewhere'));
    expect(store.getState().storeChecks.status).toBe('idle');
  });

  it('starts a check of a folder never checked, follows its progress, then shows its findings', async () => {
    const started = job({ id: 'c1', kind: 'store-check', state: 'running' });
    const fake = fakeClient({
      'profiles:last-check': () => ok({ job: null, checks: null }),
      'profiles:check': () => ok(started),
    });
    const store = createTendStore(fake.client);
    await store.getState().loadStoreChecks();
    expect(fake.callsTo('profiles:check')).toHaveLength(1);
    expect(store.getState().placedJobs[STORE_CHECK_PLACE]).toBe('c1');
    expect(store.getState().storeChecks).toEqual({ status: 'ready', value: null });
    const halfway = { ...started.progress, filesDone: 2, filesTotal: 5, currentPath: 'uploads' };
    store.getState().jobProgressed({ ...started, progress: halfway });
    expect(store.getState().runningJobs.c1?.progress.filesDone).toBe(2);
    store.getState().jobFinished({ ...started, state: 'succeeded', result: checks });
    expect(store.getState().storeChecks).toEqual({ status: 'ready', value: checks });
    expect(store.getState().runningJobs.c1).toBeUndefined();
  });

  it('follows a check still running after a reload instead of starting another', async () => {
    const running = job({ id: 'c2', kind: 'store-check', state: 'running' });
    const fake = fakeClient({ 'profiles:last-check': () => ok({ job: running, checks: null }) });
    const store = createTendStore(fake.client);
    await store.getState().loadStoreChecks();
    expect(fake.callsTo('profiles:check')).toHaveLength(0);
    expect(store.getState().runningJobs.c2).toEqual(running);
    expect(store.getState().placedJobs[STORE_CHECK_PLACE]).toBe('c2');
  });

  it('keeps the last findings when a newer check was cancelled', async () => {
    const cancelled = job({ id: 'c3', kind: 'store-check', state: 'cancelled' });
    const fake = fakeClient({ 'profiles:last-check': () => ok({ job: cancelled, checks }) });
    const store = createTendStore(fake.client);
    await store.getState().loadStoreChecks();
    expect(store.getState().storeChecks).toEqual({ status: 'ready', value: checks });
    expect(store.getState().finishedJobs.c3?.state).toBe('cancelled');
  });

  it('opens the restore wizard on an offer: its backup, the entity chosen, at "What to restore"', async () => {
    const overview = { scopes: [] } as unknown as RestorePlan;
    const fake = fakeClient({ 'restore:plan': () => ok(overview) });
    const store = createTendStore(fake.client);
    store.getState().editRestoreDraft({ step: 3, confirmed: true, paths: 'old' });
    store.getState().restoreFromOffer({
      backupId: 'tend-20261130-120000-full',
      archivePath: '/backups/tend-20261130-120000-full.tar.gz',
      createdAt: '2026-11-30T12:00:00.000Z',
      scope: { scope: 'entity', id: 'acme' },
      paths: ['data/uploads/acme'],
    });
    expect(store.getState().page).toBe('restore');
    expect(store.getState().restoreDraft).toMatchObject({
      step: 1,
      backupPath: '/backups/tend-20261130-120000-full.tar.gz',
      scopeKind: 'scope',
      scope: 'entity',
      scopeItem: 'acme',
      confirmed: false,
      paths: '',
    });
    await vi.waitFor(() => expect(store.getState().restoreDraft.overview).toBe(overview));
    // The list is read again, so a backup made since it was read is found by the wizard.
    expect(fake.callsTo('restore:backups')).toHaveLength(1);
    expect(fake.callsTo('restore:plan')[0]?.input).toEqual({
      backup: '/backups/tend-20261130-120000-full.tar.gz',
      scope: { kind: 'everything' },
    });
  });

  it('preselects the paths of a store that belongs to no scope', () => {
    const store = createTendStore(
      fakeClient({ 'restore:plan': () => ok({} as RestorePlan) }).client,
    );
    store.getState().restoreFromOffer({
      backupId: 'b',
      archivePath: '/backups/b.tar.gz',
      createdAt: '2026-11-30T12:00:00.000Z',
      scope: null,
      paths: ['data/api_storage/entities.json'],
    });
    expect(store.getState().restoreDraft).toMatchObject({
      scopeKind: 'paths',
      paths: 'data/api_storage/entities.json',
    });
  });
});
