import { describe, expect, it, vi } from 'vitest';
import { createTendStore } from '../../../src-renderer/src/store/store';
import { failed, fakeClient, ok } from './fake-client';
import { stoppedStatus } from './unattended-status';

describe('unattended slice', () => {
  it('loads the status, and again on each piece of news that may change it, until stopped', async () => {
    let answer = ok(stoppedStatus);
    const fake = fakeClient({ 'unattended:status': () => answer });
    const store = createTendStore(fake.client);
    const stop = store.getState().watchUnattended();
    await vi.waitFor(() =>
      expect(store.getState().unattended).toEqual({ status: 'ready', value: stoppedStatus }),
    );
    for (const event of ['unattended:changed', 'backups:changed'] as const) {
      fake.emit(event, { at: '2026-11-30T12:01:00Z' });
    }
    expect(fake.callsTo('unattended:status')).toHaveLength(3);
    answer = failed('NO_ROOT', 'No data folder is open.');
    await store.getState().loadUnattended();
    expect(store.getState().unattended).toMatchObject({
      status: 'error',
      error: { code: 'NO_ROOT' },
    });
    stop();
    fake.emit('unattended:changed', { at: '2026-11-30T12:02:00Z' });
    expect(fake.callsTo('unattended:status')).toHaveLength(4);
    expect(fake.listenerCount()).toBe(0);
  });
});
