import { describe, expect, it } from 'vitest';
import { createTendStore } from '../../../src-renderer/src/store/store';
import type { Result } from '../../../src-shared/errors';
import type { JobRecord } from '../../../src-shared/models/jobs';
import { deferred, failed, fakeClient, job, ok, rootInfo, settle, usage } from './fake-client';

describe('jobs slice: events', () => {
  it('keeps a running job current with its progress', () => {
    const store = createTendStore(fakeClient().client);
    store.getState().jobProgressed(job({ id: 'j1', state: 'queued' }));
    store
      .getState()
      .jobProgressed(job({ id: 'j1', progress: { ...job({ id: 'x' }).progress, filesDone: 3 } }));
    expect(store.getState().runningJobs.j1?.progress.filesDone).toBe(3);
    expect(store.getState().runningJobs.j1?.state).toBe('running');
  });

  it('moves a finished job out of the running ones', () => {
    const store = createTendStore(fakeClient().client);
    store.getState().jobProgressed(job({ id: 'j1' }));
    store.getState().jobProgressed(job({ id: 'j2' }));
    store.getState().jobFinished(job({ id: 'j1', state: 'succeeded' }));
    expect(Object.keys(store.getState().runningJobs)).toEqual(['j2']);
    expect(store.getState().finishedJobs.j1?.state).toBe('succeeded');
  });

  it('ignores progress that arrives after the job finished', () => {
    const store = createTendStore(fakeClient().client);
    store.getState().jobFinished(job({ id: 'j1', state: 'failed' }));
    store.getState().jobProgressed(job({ id: 'j1', state: 'running' }));
    expect(store.getState().runningJobs).toEqual({});
    expect(store.getState().finishedJobs.j1?.state).toBe('failed');
  });

  it.each(['succeeded', 'failed', 'cancelled', 'interrupted'] as const)(
    'ignores a progress event that already says %s',
    (state) => {
      const store = createTendStore(fakeClient().client);
      store.getState().jobProgressed(job({ id: 'j1', state }));
      expect(store.getState().runningJobs).toEqual({});
    },
  );

  it('keeps at most the 50 newest finished jobs', () => {
    const store = createTendStore(fakeClient().client);
    for (let i = 1; i <= 60; i += 1)
      store.getState().jobFinished(job({ id: `j${i}`, state: 'succeeded' }));
    const kept = Object.keys(store.getState().finishedJobs);
    expect(kept).toHaveLength(50);
    expect(kept).toContain('j60');
    expect(kept).toContain('j11');
    expect(kept).not.toContain('j10');
    expect(kept).not.toContain('j1');
  });

  it('a finished job that wrote the root reloads the usage shown', async () => {
    const fake = fakeClient({ 'usage:summary': () => ok(usage()) });
    const store = createTendStore(fake.client);
    await store.getState().loadUsage();
    store.getState().jobFinished(job({ id: 'w', writesRoot: true, state: 'succeeded' }));
    await settle();
    expect(fake.callsTo('usage:summary')).toHaveLength(2);
    // The same news twice reloads once.
    store.getState().jobFinished(job({ id: 'w', writesRoot: true, state: 'succeeded' }));
    await settle();
    expect(fake.callsTo('usage:summary')).toHaveLength(2);
  });

  it('a finished read job, or usage nobody looked at, loads nothing', async () => {
    const fake = fakeClient({ 'usage:summary': () => ok(usage()) });
    const store = createTendStore(fake.client);
    store.getState().jobFinished(job({ id: 'w', writesRoot: true, state: 'succeeded' }));
    await settle();
    expect(fake.callsTo('usage:summary')).toHaveLength(0);
    await store.getState().loadUsage();
    store.getState().jobFinished(job({ id: 'r', writesRoot: false, state: 'succeeded' }));
    await settle();
    expect(fake.callsTo('usage:summary')).toHaveLength(1);
  });
});

describe('jobs slice: asking the engine', () => {
  it('loads the jobs that still run and skips the ended ones', async () => {
    const jobs: JobRecord[] = [
      job({ id: 'run', state: 'running' }),
      job({ id: 'wait', state: 'queued' }),
      job({ id: 'done', state: 'succeeded' }),
    ];
    const fake = fakeClient({ 'jobs:list': () => ok({ jobs }) });
    const store = createTendStore(fake.client);
    await store.getState().loadJobs();
    expect(Object.keys(store.getState().runningJobs).sort()).toEqual(['run', 'wait']);
    expect(store.getState().finishedJobs).toEqual({});
  });

  it('a poll catches an end whose event was lost, and forgets jobs the engine no longer knows', async () => {
    const fake = fakeClient({
      'jobs:get': ({ id }) => {
        if (id === 'ended') return ok(job({ id, state: 'succeeded' }));
        if (id === 'gone') return failed('JOB_NOT_FOUND');
        if (id === 'flaky') return failed('INTERNAL');
        return ok(job({ id, progress: { ...job({ id }).progress, bytesDone: 9 } }));
      },
    });
    const store = createTendStore(fake.client);
    for (const id of ['ended', 'gone', 'flaky', 'moving'])
      store.getState().jobProgressed(job({ id }));
    await store.getState().pollRunningJobs();
    expect(Object.keys(store.getState().runningJobs).sort()).toEqual(['flaky', 'moving']);
    expect(store.getState().runningJobs.moving?.progress.bytesDone).toBe(9);
    expect(store.getState().finishedJobs.ended?.state).toBe('succeeded');
  });

  it('cancelling shows the answer at once', async () => {
    const fake = fakeClient({ 'jobs:cancel': ({ id }) => ok(job({ id, state: 'cancelled' })) });
    const store = createTendStore(fake.client);
    store.getState().jobProgressed(job({ id: 'j1' }));
    const result = await store.getState().cancelJob('j1');
    expect(result.ok).toBe(true);
    expect(fake.calls).toEqual([{ channel: 'jobs:cancel', input: { id: 'j1' } }]);
    expect(store.getState().runningJobs).toEqual({});
    expect(store.getState().finishedJobs.j1?.state).toBe('cancelled');
  });

  it('a refused cancel leaves the job running', async () => {
    const fake = fakeClient({ 'jobs:cancel': () => failed('JOB_NOT_RUNNING') });
    const store = createTendStore(fake.client);
    store.getState().jobProgressed(job({ id: 'j1' }));
    expect(await store.getState().cancelJob('j1')).toMatchObject({ ok: false });
    expect(Object.keys(store.getState().runningJobs)).toEqual(['j1']);
  });
});

describe('first run: the demo job', () => {
  const demoJob = job({ id: 'demo-1', kind: 'demo', title: 'Writing demo data', writesRoot: true });

  function demoStore(answer = ok(demoJob)) {
    const fake = fakeClient({
      'root:info': () => failed('NO_ROOT'),
      'demo:generate': () => answer,
      'usage:summary': () => ok(usage()),
    });
    const store = createTendStore(fake.client, { initialPage: 'settings' });
    return { fake, store };
  }

  it('asks for a small demo with a fixed seed and follows its job', async () => {
    const { fake, store } = demoStore();
    await store.getState().loadRoot();
    await store.getState().startDemo('/data/demo');
    expect(fake.callsTo('demo:generate')).toEqual([
      { channel: 'demo:generate', input: { path: '/data/demo', size: 'small', seed: 1 } },
    ]);
    expect(store.getState().firstRun).toEqual({
      active: true,
      demo: { status: 'running', jobId: 'demo-1' },
    });
    expect(Object.keys(store.getState().runningJobs)).toEqual(['demo-1']);
  });

  it('a finished demo job ends the first run on Overview and loads the root and usage', async () => {
    const { fake, store } = demoStore();
    await store.getState().loadRoot();
    await store.getState().startDemo('/data/demo');
    fake.answers['root:info'] = () => ok(rootInfo('/data/demo'));
    store.getState().jobFinished({ ...demoJob, state: 'succeeded' });
    await settle();
    expect(store.getState().firstRun).toEqual({ active: false, demo: { status: 'idle' } });
    expect(store.getState().page).toBe('overview');
    expect(store.getState().root).toMatchObject({ status: 'open', info: { path: '/data/demo' } });
    expect(store.getState().usage).toEqual({ status: 'ready', value: usage() });
  });

  it('a demo job that ended before its answer arrived still ends the first run', async () => {
    const { fake, store } = demoStore();
    fake.answers['demo:generate'] = () => {
      // The finished event comes over the other connection first.
      store.getState().jobFinished({ ...demoJob, state: 'succeeded' });
      return ok(demoJob);
    };
    await store.getState().loadRoot();
    await store.getState().startDemo('/data/demo');
    expect(store.getState().firstRun.active).toBe(false);
    expect(store.getState().runningJobs).toEqual({});
  });

  it('a refused demo shows the error on the first-run page', async () => {
    const { store } = demoStore(failed('ROOT_NOT_EMPTY', 'The folder is not empty.'));
    await store.getState().loadRoot();
    await store.getState().startDemo('/data/full');
    expect(store.getState().firstRun).toEqual({
      active: true,
      demo: {
        status: 'failed',
        error: { code: 'ROOT_NOT_EMPTY', message: 'The folder is not empty.' },
      },
    });
  });

  it.each<[JobRecord['state'], JobRecord['error'], string]>([
    ['failed', { code: 'NO_SPACE', message: 'The disk is full.' }, 'NO_SPACE'],
    ['failed', null, 'INTERNAL'],
    ['interrupted', null, 'INTERNAL'],
    ['cancelled', null, 'CANCELLED'],
  ])('a demo job ending as %s with error %j fails with %s', async (state, error, code) => {
    const { store } = demoStore();
    await store.getState().loadRoot();
    await store.getState().startDemo('/data/demo');
    store.getState().jobFinished({ ...demoJob, state, error });
    const { firstRun } = store.getState();
    expect(firstRun.active).toBe(true);
    expect(firstRun.demo).toMatchObject({ status: 'failed', error: { code } });
  });

  it('another job ending leaves the demo running', async () => {
    const { store } = demoStore();
    await store.getState().loadRoot();
    await store.getState().startDemo('/data/demo');
    store.getState().jobFinished(job({ id: 'other', state: 'succeeded' }));
    expect(store.getState().firstRun.demo).toEqual({ status: 'running', jobId: 'demo-1' });
  });
});

describe('jobs started from a place', () => {
  it('a double click starts one job, and the place remembers it', async () => {
    const slow = deferred<Result<JobRecord>>();
    const fake = fakeClient({ 'schema:migrate': () => slow.promise });
    const store = createTendStore(fake.client);
    const start = () => store.getState().startMaintenanceJob({ kind: 'schema-migrate' });
    const first = store.getState().startJobAt('lifecycle', start);
    const second = await store.getState().startJobAt('lifecycle', start);
    expect(second).toBeNull();
    expect(store.getState().startingAt.lifecycle).toBe(true);
    slow.resolve(ok(job({ id: 'm1', kind: 'migration' })));
    expect((await first)?.ok).toBe(true);
    expect(fake.callsTo('schema:migrate')).toHaveLength(1);
    expect(store.getState().placedJobs.lifecycle).toBe('m1');
    expect(store.getState().startingAt.lifecycle).toBeUndefined();
    // Once the start is answered, the next click starts again.
    fake.answers['schema:migrate'] = () => failed('DATA_LOCKED');
    const third = await store.getState().startJobAt('lifecycle', start);
    expect(third).toMatchObject({ ok: false, error: { code: 'DATA_LOCKED' } });
    expect(store.getState().placedJobs.lifecycle).toBe('m1');
    store.getState().clearPlace('lifecycle');
    expect(store.getState().placedJobs.lifecycle).toBeUndefined();
  });
});
