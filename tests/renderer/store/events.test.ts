import { afterEach, describe, expect, it, vi } from 'vitest';
import { connectStoreEvents } from '../../../src-renderer/src/store/events';
import { createTendStore } from '../../../src-renderer/src/store/store';
import { defaultSettings } from '../../../src-shared/models/settings';
import { fakeClient, job, ok, rootInfo } from './fake-client';

afterEach(() => {
  vi.useRealTimers();
});

describe('connectStoreEvents', () => {
  it('feeds root, job and settings events into the store', () => {
    const fake = fakeClient();
    const store = createTendStore(fake.client);
    connectStoreEvents(store, fake.client, { pollEveryMs: 0 });
    fake.emit('root:changed', rootInfo('/data/x'));
    fake.emit('job:progress', job({ id: 'j1' }));
    fake.emit('job:progress', job({ id: 'j2' }));
    fake.emit('job:finished', job({ id: 'j2', state: 'succeeded' }));
    fake.emit('settings:changed', defaultSettings());
    const state = store.getState();
    expect(state.root).toMatchObject({ status: 'open', info: { path: '/data/x' } });
    expect(Object.keys(state.runningJobs)).toEqual(['j1']);
    expect(Object.keys(state.finishedJobs)).toEqual(['j2']);
    expect(state.settings).toEqual({ status: 'ready', value: defaultSettings() });
  });

  it('stopping unsubscribes every listener', () => {
    const fake = fakeClient();
    const store = createTendStore(fake.client);
    const stop = connectStoreEvents(store, fake.client, { pollEveryMs: 0 });
    expect(fake.listenerCount()).toBeGreaterThan(0);
    stop();
    expect(fake.listenerCount()).toBe(0);
    fake.emit('job:progress', job({ id: 'late' }));
    expect(store.getState().runningJobs).toEqual({});
  });

  it('polls running jobs only while there are some, and stops polling when stopped', async () => {
    vi.useFakeTimers();
    const fake = fakeClient({ 'jobs:get': ({ id }) => ok(job({ id, state: 'succeeded' })) });
    const store = createTendStore(fake.client);
    const stop = connectStoreEvents(store, fake.client, { pollEveryMs: 1_000 });
    await vi.advanceTimersByTimeAsync(3_000);
    expect(fake.callsTo('jobs:get')).toHaveLength(0);
    store.getState().jobProgressed(job({ id: 'lost' }));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(fake.callsTo('jobs:get')).toEqual([{ channel: 'jobs:get', input: { id: 'lost' } }]);
    expect(store.getState().finishedJobs.lost?.state).toBe('succeeded');
    store.getState().jobProgressed(job({ id: 'next' }));
    stop();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(fake.callsTo('jobs:get')).toHaveLength(1);
  });
});
