import { describe, expect, it } from 'vitest';
import type { UsageNode, UsageReport, UsageUpdate } from '../../../src-shared/models/usage';
import { createTendStore } from '../../../src-renderer/src/store/store';
import { failed, fakeClient, job, ok, settle } from './fake-client';

const none = { irreplaceable: 0, rebuildable: 0, redownloadable: 0, disposable: 0 };

function node(path: string, bytes: number): UsageNode {
  return {
    path,
    name: path.split('/').at(-1) ?? '',
    apparentBytes: bytes,
    allocatedBytes: bytes,
    files: 1,
    folders: 0,
    byCategory: { ...none, irreplaceable: bytes },
    children: [],
    omittedChildren: 0,
    ownFilesBytes: bytes,
  };
}

function report(complete: boolean, files = 10): UsageReport {
  return {
    root: '/data/root',
    scannedAt: '2026-11-22T10:00:00.000Z',
    durationMs: 5,
    complete,
    totals: { apparentBytes: 100, allocatedBytes: 100, files, folders: 1 },
    categories: [],
    disk: { freeBytes: 1, totalBytes: 2 },
    stats: {
      mode: 'full',
      foldersListed: 1,
      foldersReused: 0,
      entriesChecked: files,
      unreadable: 0,
      unreadableExamples: [],
    },
    watch: { live: false, why: null },
  };
}

describe('usage slice', () => {
  it('starts a scan when there is no scan yet, and shows a folder once there is', async () => {
    let scanned = false;
    const fake = fakeClient({
      'usage:tree': ({ path }) =>
        ok(
          scanned
            ? {
                report: report(true),
                node: node(path ?? '', 100),
                largestFiles: [],
                scanning: false,
              }
            : { report: null, node: null, largestFiles: [], scanning: false },
        ),
      'usage:scan': () => ok(job({ id: 's1' })),
    });
    const store = createTendStore(fake.client);
    await store.getState().loadUsageTree();
    await settle();
    expect(fake.callsTo('usage:scan')).toHaveLength(1);
    expect(store.getState().runningJobs.s1).toBeDefined();

    scanned = true;
    await store.getState().loadUsageTree('local_data');
    expect(store.getState().usagePath).toBe('local_data');
    expect(store.getState().usageTree).toMatchObject({
      status: 'ready',
      value: { node: { path: 'local_data' } },
    });
  });

  it('goes back to the root map when the folder shown is gone', async () => {
    const fake = fakeClient({
      'usage:tree': ({ path }) =>
        path
          ? failed('INVALID_INPUT', 'There is no folder old in the last scan.')
          : ok({ report: report(true), node: node('', 5), largestFiles: [], scanning: false }),
    });
    const store = createTendStore(fake.client);
    await store.getState().loadUsageTree('old');
    expect(store.getState().usagePath).toBe('');
    expect(store.getState().usageTree.status).toBe('ready');
  });

  it('follows a running scan and reloads everything when it completes', async () => {
    const fake = fakeClient({
      'usage:tree': () =>
        ok({ report: report(true), node: node('', 100), largestFiles: [], scanning: false }),
      'usage:history': () => ok({ points: [], growth: [], alerts: [] }),
      'clean:summary': () => ok({ items: [] }),
      'usage:scan': () => ok(job({ id: 'again' })),
    });
    const store = createTendStore(fake.client);
    const stop = store.getState().watchUsage();
    const partial: UsageUpdate = { jobId: 'j', report: report(false, 3), tree: node('', 30) };
    fake.emit('usage:updated', partial);
    expect(store.getState().liveUsage).toEqual(partial);

    fake.emit('usage:updated', { ...partial, report: report(true) });
    await settle();
    expect(store.getState().liveUsage).toBeNull();
    expect(fake.callsTo('usage:tree')).toHaveLength(1);
    expect(fake.callsTo('usage:history')).toHaveLength(1);
    expect(fake.callsTo('clean:summary')).toHaveLength(1);

    // A cleanup changed the folder: it is measured again.
    fake.emit('job:finished', job({ id: 'c', kind: 'cleanup', state: 'succeeded' }));
    await settle();
    expect(fake.callsTo('usage:scan')).toHaveLength(1);

    fake.emit('alert:raised', {
      key: 'free-space',
      kind: 'free-space',
      category: null,
      title: 'Low',
      message: 'Low space',
      raisedAt: '2026-11-22T10:00:00.000Z',
      value: 1,
      threshold: 2,
    });
    expect(store.getState().usageAlerts.map((a) => a.key)).toEqual(['free-space']);

    stop();
    expect(fake.listenerCount()).toBe(0);
  });

  it("shows a watched folder's update at once: the Overview's figures, the map and growth", async () => {
    const fake = fakeClient({
      'usage:tree': () =>
        ok({ report: report(true), node: node('', 100), largestFiles: [], scanning: false }),
      'usage:history': () => ok({ points: [], growth: [], alerts: [] }),
      'clean:summary': () => ok({ items: [] }),
    });
    const store = createTendStore(fake.client);
    const stop = store.getState().watchUsage();
    const live = report(true, 42);
    fake.emit('usage:updated', {
      jobId: null,
      report: {
        ...live,
        totals: { ...live.totals, apparentBytes: 4321 },
        stats: { ...live.stats, mode: 'update' },
        watch: { live: true, why: null },
      },
      tree: node('', 4321),
    });
    await settle();
    expect(store.getState().usage).toMatchObject({
      status: 'ready',
      value: { totalBytes: 4321, totalFiles: 42, watch: { live: true } },
    });
    expect(fake.callsTo('usage:summary')).toHaveLength(0);
    expect(fake.callsTo('usage:tree')).toHaveLength(1);
    expect(fake.callsTo('usage:history')).toHaveLength(1);
    expect(fake.callsTo('clean:summary')).toHaveLength(0);
    stop();
  });
});
