import { describe, expect, it } from 'vitest';
import type { Result } from '../../../src-shared/errors';
import { defaultSettings, type Settings } from '../../../src-shared/models/settings';
import { createTendStore } from '../../../src-renderer/src/store/store';
import { deferred, failed, fakeClient, ok } from './fake-client';

function customSettings(): Settings {
  const settings = defaultSettings();
  return { ...settings, backup: { ...settings.backup, destination: '/mnt/backups' } };
}

describe('settings slice', () => {
  it('is idle until asked', () => {
    const store = createTendStore(fakeClient().client);
    expect(store.getState().settings).toEqual({ status: 'idle' });
    expect(store.getState().settingsProblem).toBeNull();
  });

  it('loads the settings', async () => {
    const fake = fakeClient({ 'settings:get': () => ok(customSettings()) });
    const store = createTendStore(fake.client);
    await store.getState().loadSettings();
    expect(store.getState().settings).toEqual({ status: 'ready', value: customSettings() });
    expect(store.getState().settingsProblem).toBeNull();
  });

  it.each(['SETTINGS_INVALID', 'SETTINGS_UNREADABLE'] as const)(
    '%s shows the defaults and says what is wrong with the file',
    async (code) => {
      const fake = fakeClient({
        'settings:get': () => failed(code, 'settings.json: backup.retention.daily: Too big'),
      });
      const store = createTendStore(fake.client);
      await store.getState().loadSettings();
      expect(store.getState().settings).toEqual({ status: 'ready', value: defaultSettings() });
      expect(store.getState().settingsProblem).toEqual({
        code,
        message: 'settings.json: backup.retention.daily: Too big',
      });
    },
  );

  it('any other failure is an error state without defaults', async () => {
    const fake = fakeClient({ 'settings:get': () => failed('NO_ROOT') });
    const store = createTendStore(fake.client);
    await store.getState().loadSettings();
    expect(store.getState().settings).toMatchObject({
      status: 'error',
      error: { code: 'NO_ROOT' },
      value: null,
    });
    expect(store.getState().settingsProblem).toBeNull();
  });

  it('keeps the old value on screen while it reloads', async () => {
    const slow = deferred<Result<Settings>>();
    let first = true;
    const fake = fakeClient({
      'settings:get': () => {
        if (!first) return slow.promise;
        first = false;
        return ok(customSettings());
      },
    });
    const store = createTendStore(fake.client);
    await store.getState().loadSettings();
    const reload = store.getState().loadSettings();
    expect(store.getState().settings).toEqual({ status: 'loading', value: customSettings() });
    slow.resolve(ok(defaultSettings()));
    await reload;
    expect(store.getState().settings).toEqual({ status: 'ready', value: defaultSettings() });
  });

  it('a save sends the settings and shows what the engine kept, clearing the problem', async () => {
    const saved = customSettings();
    const fake = fakeClient({
      'settings:get': () => failed('SETTINGS_INVALID'),
      'settings:set': () => ok(saved),
    });
    const store = createTendStore(fake.client);
    await store.getState().loadSettings();
    expect(store.getState().settingsProblem).not.toBeNull();
    const result = await store.getState().saveSettings(saved);
    expect(result).toEqual(ok(saved));
    expect(fake.callsTo('settings:set')).toEqual([
      { channel: 'settings:set', input: { settings: saved } },
    ]);
    expect(store.getState().settings).toEqual({ status: 'ready', value: saved });
    expect(store.getState().settingsProblem).toBeNull();
  });

  it('a refused save returns the error and changes nothing', async () => {
    const fake = fakeClient({
      'settings:get': () => ok(defaultSettings()),
      'settings:set': () => failed('INVALID_INPUT', 'settings.backup.retention.daily: Too big'),
    });
    const store = createTendStore(fake.client);
    await store.getState().loadSettings();
    const result = await store.getState().saveSettings(customSettings());
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(store.getState().settings).toEqual({ status: 'ready', value: defaultSettings() });
  });

  it('settings changed elsewhere replace what is shown', () => {
    const store = createTendStore(fakeClient().client);
    store.getState().settingsChanged(customSettings());
    expect(store.getState().settings).toEqual({ status: 'ready', value: customSettings() });
  });

  it('an older revision arriving late does not replace a newer one', () => {
    const store = createTendStore(fakeClient().client);
    const newer = { ...customSettings(), revision: 5 };
    store.getState().settingsChanged(newer);
    store.getState().settingsChanged({ ...defaultSettings(), revision: 4 });
    expect(store.getState().settings).toEqual({ status: 'ready', value: newer });
  });

  it('a save refused as stale (SETTINGS_CONFLICT) reads the settings again', async () => {
    const elsewhere = { ...customSettings(), revision: 2 };
    let reads = 0;
    const fake = fakeClient({
      'settings:get': () => (reads++ === 0 ? ok(defaultSettings()) : ok(elsewhere)),
      'settings:set': () => failed('SETTINGS_CONFLICT', 'changed elsewhere'),
    });
    const store = createTendStore(fake.client);
    await store.getState().loadSettings();
    const result = await store.getState().saveSettings({
      revision: 0,
      cleanup: { logRetentionDays: 3 },
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'SETTINGS_CONFLICT' } });
    expect(fake.callsTo('settings:set')).toEqual([
      {
        channel: 'settings:set',
        input: { settings: { revision: 0, cleanup: { logRetentionDays: 3 } } },
      },
    ]);
    expect(store.getState().settings).toEqual({ status: 'ready', value: elsewhere });
  });

  it('a new backup folder, saved anywhere, is described again on the Backups page', async () => {
    const described: string[] = [];
    const fake = fakeClient({
      'settings:get': () => ok(defaultSettings()),
      'backups:destination': () => {
        described.push('asked');
        return ok({
          path: '/mnt/new',
          exists: true,
          freeBytes: 1,
          totalBytes: 2,
          sameDiskAsRoot: false,
          problem: null,
          estimatedNextBytes: null,
        });
      },
    });
    const store = createTendStore(fake.client);
    await store.getState().loadSettings();
    await store.getState().loadBackupDestination();
    expect(described).toHaveLength(1);
    // Not the folder: nothing to describe again.
    store.getState().settingsChanged({ ...defaultSettings(), revision: 1 });
    expect(described).toHaveLength(1);
    const moved = defaultSettings();
    moved.revision = 2;
    moved.backup.destination = '/mnt/new';
    store.getState().settingsChanged(moved);
    expect(described).toHaveLength(2);
  });
});
