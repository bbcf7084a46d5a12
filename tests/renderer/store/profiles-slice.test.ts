import { describe, expect, it, vi } from 'vitest';
import { createTendStore } from '../../../src-renderer/src/store/store';
import type { StoreChecks } from '../../../src-shared/models/profiles';
import type { RestorePlan } from '../../../src-shared/models/restore';
import { fakeClient, ok, rootInfo } from './fake-client';

const checks: StoreChecks = {
  profile: 'entity-rag',
  checkedAt: '2026-11-30T12:00:00.000Z',
  instances: [],
};

describe('profiles slice', () => {
  it('checks the stores, and forgets the checks when another folder opens', async () => {
    const fake = fakeClient({ 'profiles:check': () => ok(checks) });
    const store = createTendStore(fake.client);
    await store.getState().loadStoreChecks();
    expect(store.getState().storeChecks).toEqual({ status: 'ready', value: checks });
    store.getState().rootChanged(rootInfo('/elsewhere'));
    expect(store.getState().storeChecks.status).toBe('idle');
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
