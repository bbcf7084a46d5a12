import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../../src-shared/models/settings';
import { createTendStore } from '../../../src-renderer/src/store/store';
import { deferred, failed, fakeClient, job, ok, rootInfo, settle, usage } from './fake-client';

describe('root slice: loading the root', () => {
  it('starts loading, before anything is asked', () => {
    const store = createTendStore(fakeClient().client);
    expect(store.getState().root).toEqual({ status: 'loading' });
    expect(store.getState().firstRun.active).toBe(false);
  });

  it('NO_ROOT starts the first run', async () => {
    const fake = fakeClient({ 'root:info': () => failed('NO_ROOT') });
    const store = createTendStore(fake.client);
    await store.getState().loadRoot();
    expect(store.getState().root).toEqual({ status: 'none' });
    expect(store.getState().firstRun).toEqual({ active: true, demo: { status: 'idle' } });
  });

  it('an open root is shown without a first run', async () => {
    const fake = fakeClient({ 'root:info': () => ok(rootInfo()) });
    const store = createTendStore(fake.client);
    await store.getState().loadRoot();
    expect(store.getState().root).toEqual({ status: 'open', info: rootInfo(), error: null });
    expect(store.getState().firstRun.active).toBe(false);
  });

  it('another failure with no root open is an error state', async () => {
    const fake = fakeClient({ 'root:info': () => failed('CATALOG_FAILED', 'The catalog broke.') });
    const store = createTendStore(fake.client);
    await store.getState().loadRoot();
    expect(store.getState().root).toEqual({
      status: 'error',
      error: { code: 'CATALOG_FAILED', message: 'The catalog broke.' },
    });
    expect(store.getState().firstRun.active).toBe(false);
  });

  it('a failed refresh keeps the open root and shows the error beside it', async () => {
    let answer = ok(rootInfo());
    const fake = fakeClient({ 'root:info': () => answer });
    const store = createTendStore(fake.client);
    await store.getState().loadRoot();
    answer = failed('CATALOG_FAILED');
    await store.getState().loadRoot();
    expect(store.getState().root).toMatchObject({
      status: 'open',
      info: rootInfo(),
      error: { code: 'CATALOG_FAILED' },
    });
    answer = ok(rootInfo());
    await store.getState().loadRoot();
    expect(store.getState().root).toEqual({ status: 'open', info: rootInfo(), error: null });
  });

  it('a refresh of an open root does not blank it out while it loads', async () => {
    const slow = deferred<ReturnType<typeof ok<ReturnType<typeof rootInfo>>>>();
    let first = true;
    const fake = fakeClient({
      'root:info': () => {
        if (first) {
          first = false;
          return ok(rootInfo());
        }
        return slow.promise;
      },
    });
    const store = createTendStore(fake.client);
    await store.getState().loadRoot();
    const refresh = store.getState().loadRoot();
    expect(store.getState().root.status).toBe('open');
    slow.resolve(ok(rootInfo()));
    await refresh;
  });

  it('a client that throws shows INTERNAL instead of hanging', async () => {
    const fake = fakeClient({
      'root:info': () => {
        throw new Error('preload went away');
      },
    });
    const store = createTendStore(fake.client);
    await store.getState().loadRoot();
    expect(store.getState().root).toEqual({
      status: 'error',
      error: { code: 'INTERNAL', message: 'preload went away' },
    });
  });
});

describe('root slice: open and create', () => {
  it.each(['openRoot', 'createRoot'] as const)(
    '%s asks the engine, shows the root, and ends the first run on Overview',
    async (action) => {
      const fake = fakeClient({
        'root:info': () => failed('NO_ROOT'),
        'root:open': ({ path }) => ok(rootInfo(path)),
        'root:create': ({ path }) => ok(rootInfo(path)),
      });
      const store = createTendStore(fake.client, { initialPage: 'settings' });
      await store.getState().loadRoot();
      const result = await store.getState()[action]('/data/new');
      expect(result).toEqual(ok(rootInfo('/data/new')));
      expect(fake.callsTo(action === 'openRoot' ? 'root:open' : 'root:create')).toEqual([
        {
          channel: action === 'openRoot' ? 'root:open' : 'root:create',
          input: { path: '/data/new' },
        },
      ]);
      expect(store.getState().root).toEqual({
        status: 'open',
        info: rootInfo('/data/new'),
        error: null,
      });
      expect(store.getState().firstRun.active).toBe(false);
      expect(store.getState().page).toBe('overview');
    },
  );

  it.each(['openRoot', 'createRoot'] as const)(
    'a refused %s returns the error and leaves the first run up',
    async (action) => {
      const fake = fakeClient({
        'root:info': () => failed('NO_ROOT'),
        'root:open': () => failed('ROOT_NOT_FOUND', 'There is no folder /x.'),
        'root:create': () => failed('ROOT_NOT_EMPTY', 'The folder /x is not empty.'),
      });
      const store = createTendStore(fake.client);
      await store.getState().loadRoot();
      const result = await store.getState()[action]('/x');
      expect(result.ok).toBe(false);
      expect(store.getState().root).toEqual({ status: 'none' });
      expect(store.getState().firstRun.active).toBe(true);
    },
  );

  it('opening another root forgets what belonged to the old one', async () => {
    const fake = fakeClient({
      'root:info': () => ok(rootInfo('/data/a')),
      'root:open': ({ path }) => ok(rootInfo(path)),
      'usage:summary': () => ok(usage()),
      'settings:get': () => ok(defaultSettings()),
    });
    const store = createTendStore(fake.client);
    await store.getState().loadRoot();
    await store.getState().loadUsage();
    await store.getState().loadSettings();
    store.getState().jobProgressed(job({ id: 'j1' }));
    await store.getState().openRoot('/data/a');
    // The same root again keeps what is known of it.
    expect(store.getState().usage.status).toBe('ready');
    expect(Object.keys(store.getState().runningJobs)).toEqual(['j1']);
    await store.getState().openRoot('/data/b');
    expect(store.getState().usage).toEqual({ status: 'idle' });
    expect(store.getState().settings).toEqual({ status: 'idle' });
    expect(store.getState().settingsProblem).toBeNull();
    expect(store.getState().runningJobs).toEqual({});
  });

  it('adopts a folder only when asked, and says so to the engine', async () => {
    const fake = fakeClient({
      'root:info': () => failed('NO_ROOT'),
      'root:open': ({ path }) => ok(rootInfo(path)),
    });
    const store = createTendStore(fake.client);
    await store.getState().loadRoot();
    await store.getState().openRoot('/data/photos');
    await store.getState().openRoot('tend-picked:0a1b', { adopt: true });
    expect(fake.callsTo('root:open')).toEqual([
      { channel: 'root:open', input: { path: '/data/photos' } },
      { channel: 'root:open', input: { path: 'tend-picked:0a1b', adopt: true } },
    ]);
  });

  it('asks the shell for a file with its purpose', async () => {
    const picked = { path: '/exports/a.jsonl', handle: 'tend-picked:0c' };
    const fake = fakeClient({ 'root:pick-file': () => ok(picked) });
    const store = createTendStore(fake.client);
    const request = { purpose: 'export-file', holds: 'records', defaultName: 'a.jsonl' } as const;
    expect(await store.getState().pickFile(request)).toEqual(ok(picked));
    expect(fake.calls).toEqual([{ channel: 'root:pick-file', input: request }]);
  });

  it('asks the shell for a folder with its purpose', async () => {
    const picked = { path: '/picked', handle: 'tend-picked:0a1b' };
    const fake = fakeClient({ 'root:pick-folder': () => ok(picked) });
    const store = createTendStore(fake.client);
    expect(await store.getState().pickFolder('destination')).toEqual(ok(picked));
    expect(fake.calls).toEqual([
      { channel: 'root:pick-folder', input: { purpose: 'destination' } },
    ]);
  });
});

describe('root slice: recent roots and news from elsewhere', () => {
  it('loads the recent roots, or the error', async () => {
    let answer = ok({ paths: ['/a', '/b'] as ReadonlyArray<string> });
    const fake = fakeClient({ 'root:recent': () => answer });
    const store = createTendStore(fake.client);
    await store.getState().loadRecentRoots();
    expect(store.getState().recentRoots).toEqual({ status: 'ready', value: ['/a', '/b'] });
    answer = failed('INTERNAL', 'no');
    await store.getState().loadRecentRoots();
    expect(store.getState().recentRoots).toMatchObject({ status: 'error', value: null });
  });

  it('a root opened elsewhere ends an idle first run', async () => {
    const fake = fakeClient({ 'root:info': () => failed('NO_ROOT') });
    const store = createTendStore(fake.client);
    await store.getState().loadRoot();
    store.getState().rootChanged(rootInfo('/data/elsewhere'));
    expect(store.getState().root).toMatchObject({
      status: 'open',
      info: { path: '/data/elsewhere' },
    });
    expect(store.getState().firstRun.active).toBe(false);
  });

  it('a root opened while the demo is written keeps the first run up', async () => {
    const demoJob = job({ id: 'demo-1', kind: 'demo', writesRoot: true });
    const fake = fakeClient({
      'root:info': () => failed('NO_ROOT'),
      'demo:generate': () => ok(demoJob),
    });
    const store = createTendStore(fake.client);
    await store.getState().loadRoot();
    await store.getState().startDemo('/data/demo');
    // The engine opens the demo root at once, while the job still fills it.
    store.getState().rootChanged(rootInfo('/data/demo'));
    expect(store.getState().firstRun).toEqual({
      active: true,
      demo: { status: 'running', jobId: 'demo-1' },
    });
  });
});

describe('root slice: NO_ROOT after a root was open', () => {
  it('goes back to the first run and forgets the old root', async () => {
    let answer = ok(rootInfo());
    const fake = fakeClient({ 'root:info': () => answer, 'usage:summary': () => ok(usage()) });
    const store = createTendStore(fake.client);
    await store.getState().loadRoot();
    await store.getState().loadUsage();
    answer = failed('NO_ROOT');
    await store.getState().loadRoot();
    await settle();
    expect(store.getState().root).toEqual({ status: 'none' });
    expect(store.getState().usage).toEqual({ status: 'idle' });
    expect(store.getState().firstRun.active).toBe(true);
  });
});
