import { describe, expect, it } from 'vitest';
import { createTendStore } from '../../../src-renderer/src/store/store';
import { defaultSettings } from '../../../src-shared/models/settings';
import type { Result } from '../../../src-shared/errors';
import type { RootInfo } from '../../../src-shared/models/root';
import { fakeClient, ok, rootInfo } from './fake-client';

const unreachable: Result<never> = {
  ok: false,
  error: { code: 'HOST_UNREACHABLE', message: 'Cannot reach Tend: Failed to fetch.' },
};

const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
};

describe('connection slice', () => {
  it('says "stopped" once, asks again by itself, and reloads what was shown when Tend is back', async () => {
    let up = true;
    const fake = fakeClient({
      'root:info': () => (up ? ok(rootInfo()) : (unreachable as Result<RootInfo>)),
      'settings:get': () => (up ? ok(defaultSettings()) : unreachable),
      'jobs:list': () => ok({ jobs: [] }),
    });
    const store = createTendStore(fake.client, { retryEveryMs: 10 });
    await store.getState().loadSettings();
    expect(store.getState().connection).toEqual({ status: 'online' });

    up = false;
    await store.getState().loadSettings();
    expect(store.getState().connection).toMatchObject({ status: 'stopped' });
    await until(() => fake.callsTo('root:info').length >= 2);
    expect(store.getState().connection.status).toBe('stopped');

    up = true;
    const settingsReads = fake.callsTo('settings:get').length;
    await until(() => store.getState().connection.status === 'online');
    expect(store.getState().connection).toEqual({ status: 'online' });
    // What the pages showed is asked again; what they never asked stays unasked.
    await until(() => fake.callsTo('settings:get').length > settingsReads);
    expect(fake.callsTo('backups:list')).toHaveLength(0);
  });

  it('a refused key after a restart is "stale-key", and is not asked again in a loop', async () => {
    const fake = fakeClient({
      'root:info': () => ({
        ok: false,
        error: {
          code: 'UNAUTHORIZED',
          message: 'Tend was restarted since this page was opened.',
          details: { reason: 'stale-key' },
        },
      }),
    });
    const store = createTendStore(fake.client, { retryEveryMs: 10 });
    await store.getState().loadRoot();
    expect(store.getState().connection).toMatchObject({ status: 'stale-key' });
    await new Promise((r) => setTimeout(r, 50));
    expect(fake.callsTo('root:info')).toHaveLength(1);
  });

  it('any answer of the engine, even an error, means Tend is there', async () => {
    const fake = fakeClient({ 'root:info': () => unreachable as Result<RootInfo> });
    const store = createTendStore(fake.client, { retryEveryMs: 0 });
    await store.getState().loadRoot();
    expect(store.getState().connection.status).toBe('stopped');
    fake.answers['root:info'] = () => ({ ok: false, error: { code: 'NO_ROOT', message: 'none' } });
    await store.getState().probeConnection();
    expect(store.getState().connection.status).toBe('online');
  });
});
