import { describe, expect, it } from 'vitest';
import { createTendStore } from '../../../src-renderer/src/store/store';
import type { CollectionSummary, SearchResult } from '../../../src-shared/models/vectors';
import { failed, fakeClient, job, ok, settle } from './fake-client';

const collection = (id: string): CollectionSummary => ({
  id,
  name: id,
  dimension: 4,
  space: 'cosine',
  m: 16,
  efConstruction: 200,
  ef: 50,
  createdAt: '2026-11-01T00:00:00Z',
  documentCount: 2,
  chunkCount: 8,
  index: {
    count: 8,
    deletedCount: 0,
    maxElements: 256,
    fileBytes: 4096,
    builtAt: '2026-11-01T00:00:00Z',
  },
  lastHealth: null,
  lastCompaction: null,
});

const found: SearchResult = {
  collection: 'notes',
  hits: [{ chunkId: 3, documentId: 'd', documentTitle: 'D', text: 't', distance: 0, score: 1 }],
  source: 'index',
  ef: 50,
  tookMs: 1,
};

describe('indexes slice', () => {
  it('loads collections, starts health and compaction jobs and remembers them per collection', async () => {
    const fake = fakeClient({
      'vectors:collections': () => ok({ collections: [collection('notes')] }),
      'vectors:health': () => ok(job({ id: 'h1', kind: 'vectors-health' })),
      'vectors:compact': () => ok(job({ id: 'c1', kind: 'vectors-compact' })),
    });
    const store = createTendStore(fake.client);
    await store.getState().loadIndexes();
    expect(store.getState().indexCollections).toMatchObject({
      status: 'ready',
      value: [{ id: 'notes' }],
    });
    await store.getState().checkIndexHealth('notes');
    expect(fake.callsTo('vectors:health')).toEqual([
      { channel: 'vectors:health', input: { collection: 'notes' } },
    ]);
    expect(store.getState().indexJobs).toEqual({ notes: 'h1' });
    expect(Object.keys(store.getState().runningJobs)).toEqual(['h1']);
    await store.getState().compactIndex('notes');
    expect(store.getState().indexJobs).toEqual({ notes: 'c1' });
  });

  it('keeps an error as a value and searches from a stored chunk', async () => {
    const fake = fakeClient({
      'vectors:collections': () => failed('ASSISTANT_DB_UNAVAILABLE'),
      'vectors:search': () => ok(found),
    });
    const store = createTendStore(fake.client);
    await store.getState().loadIndexes();
    expect(store.getState().indexCollections).toMatchObject({
      status: 'error',
      error: { code: 'ASSISTANT_DB_UNAVAILABLE' },
    });
    await store.getState().searchFromChunk('notes', 3);
    expect(fake.callsTo('vectors:search')).toEqual([
      { channel: 'vectors:search', input: { collection: 'notes', chunkId: 3, k: 10 } },
    ]);
    expect(store.getState().indexSearch).toEqual({
      collection: 'notes',
      chunkId: 3,
      result: { status: 'ready', value: found },
    });
  });

  it('reloads when an index changes or a vectors job ends, and stops listening when asked', async () => {
    const fake = fakeClient({
      'vectors:collections': () => ok({ collections: [collection('notes')] }),
    });
    const store = createTendStore(fake.client);
    const stop = store.getState().watchIndexes();
    fake.emit('vectors:changed', { collection: 'notes' });
    fake.emit('job:finished', job({ id: 'x', kind: 'vectors-compact', state: 'succeeded' }));
    fake.emit('job:finished', job({ id: 'y', kind: 'backup', state: 'succeeded' }));
    await settle();
    expect(fake.callsTo('vectors:collections')).toHaveLength(2);
    stop();
    fake.emit('vectors:changed', { collection: 'notes' });
    await settle();
    expect(fake.callsTo('vectors:collections')).toHaveLength(2);
  });
});
