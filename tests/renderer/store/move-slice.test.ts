import { describe, expect, it } from 'vitest';
import { MOVE_PLACE } from '../../../src-renderer/src/store/move-slice';
import { createTendStore } from '../../../src-renderer/src/store/store';
import type { MoveStatus } from '../../../src-shared/models/move';
import { deferred, failed, fakeClient, job, ok } from './fake-client';

const status: MoveStatus = {
  last: {
    id: 'move-1',
    from: '/home/a/data',
    to: '/mnt/data',
    method: 'copy',
    targetCreated: true,
    files: 3,
    bytes: 300,
    movedAt: '2026-11-30T10:00:00.000Z',
    changes: [],
    oldCopy: { path: '/home/a/data.tend-moved-1', bytes: 300, files: 3 },
    movedBackAt: null,
  },
  noBack: null,
};

describe('move slice', () => {
  it('starts the move once at its place, follows its job, and passes a refusal back as it is', async () => {
    const answer = deferred<ReturnType<typeof ok>>();
    const fake = fakeClient({
      'move:apply': () => answer.promise as never,
    });
    const store = createTendStore(fake.client);
    const first = store.getState().startMove('/mnt/data');
    // A second click while the first start is on its way starts nothing.
    expect(await store.getState().startMove('/mnt/data')).toBeNull();
    answer.resolve(ok(job({ id: 'm1', kind: 'move', writesRoot: true })));
    expect((await first)?.ok).toBe(true);
    expect(fake.callsTo('move:apply')).toHaveLength(1);
    expect(store.getState().runningJobs.m1).toBeDefined();
    expect(store.getState().placedJobs[MOVE_PLACE]).toBe('m1');

    const refusing = createTendStore(
      fakeClient({
        'move:apply': () =>
          failed('MOVE_TARGET_OVERLAPS', 'That folder is inside the data folder.'),
      }).client,
    );
    const refused = await refusing.getState().startMove('/home/a/data/x');
    expect(refused).toMatchObject({ ok: false, error: { code: 'MOVE_TARGET_OVERLAPS' } });
    expect(refusing.getState().runningJobs).toEqual({});
  });

  it('reads the status again after the old copy is removed', async () => {
    let removed = false;
    const fake = fakeClient({
      'move:status': () =>
        ok(removed ? { ...status, last: { ...status.last!, oldCopy: null } } : status),
      'move:forget-old': () => {
        removed = true;
        return ok({
          path: '/home/a/data.tend-moved-1',
          removedFiles: 3,
          removedBytes: 300,
          left: [],
        });
      },
    });
    const store = createTendStore(fake.client);
    await store.getState().loadMoveStatus();
    expect(store.getState().moveStatus).toEqual({ status: 'ready', value: status });
    const result = await store.getState().forgetOldCopy();
    expect(result.ok).toBe(true);
    expect(store.getState().moveStatus).toMatchObject({ value: { last: { oldCopy: null } } });
  });
});
