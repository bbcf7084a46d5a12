import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  clusteredVectors,
  engineWithRoot,
  finished,
  importLines,
  importVectors,
  indexFile,
  writeJsonl,
} from './vectors-fixtures';

describe('vectors: import and search', () => {
  it('imports a JSONL file into assistant.db and the index, then finds a chunk as its own nearest', async () => {
    const { base, engine, root } = await engineWithRoot();
    const vectors = clusteredVectors(300, 16);
    const job = await importVectors(engine, base, 'notes', vectors);
    expect(job.result).toMatchObject({
      collection: 'notes',
      createdCollection: true,
      lines: 300,
      documentsAdded: 75,
      chunksAdded: 300,
      indexCount: 300,
    });
    const { collections } = await engine.call('vectors:collections');
    expect(collections).toHaveLength(1);
    expect(collections[0]).toMatchObject({
      id: 'notes',
      dimension: 16,
      space: 'cosine',
      documentCount: 75,
      chunkCount: 300,
      index: { count: 300, deletedCount: 0 },
      // Built by extending an empty index in the worker, not by a rebuild.
      lastCompaction: null,
    });
    expect(fs.existsSync(indexFile(root, 'notes'))).toBe(true);
    const { chunks } = await engine.call('vectors:sample-chunks', {
      collection: 'notes',
      limit: 3,
    });
    expect(chunks).toHaveLength(3);
    const result = await engine.call('vectors:search', {
      collection: 'notes',
      chunkId: chunks[1]!.chunkId,
      k: 5,
    });
    expect(result.source).toBe('index');
    expect(result.hits).toHaveLength(5);
    expect(result.hits[0]).toMatchObject({ chunkId: chunks[1]!.chunkId, text: chunks[1]!.text });
    expect(result.hits[0]!.score).toBeCloseTo(1, 4);
    const byVector = await engine.call('vectors:search', {
      collection: 'notes',
      vector: vectors[7]!,
      k: 1,
    });
    expect(byVector.hits[0]!.text).toBe('chunk 7 of doc');
    await engine.close();
  });

  it('grows the index when a second import overflows its capacity', async () => {
    const { base, engine } = await engineWithRoot();
    await importVectors(engine, base, 'grow', clusteredVectors(200, 8, 1), 'a');
    const first = (await engine.call('vectors:collections')).collections[0]!;
    const job = await importVectors(engine, base, 'grow', clusteredVectors(400, 8, 2), 'b');
    expect(job.result).toMatchObject({ chunksAdded: 400, indexCount: 600 });
    const second = (await engine.call('vectors:collections')).collections[0]!;
    expect(second.index!.maxElements).toBeGreaterThan(first.index!.maxElements);
    expect(second.index!.maxElements).toBeGreaterThanOrEqual(600);
    await engine.close();
  });

  it('refuses bad lines with their line numbers and leaves database and index as they were', async () => {
    const { base, engine, root } = await engineWithRoot();
    await importVectors(engine, base, 'notes', clusteredVectors(50, 4));
    const before = fs.readFileSync(indexFile(root, 'notes'));
    const good = importLines(clusteredVectors(3, 4, 9), 'new');
    const file = writeJsonl(path.join(base, 'bad.jsonl'), [
      good[0],
      { document: 'x', text: 't', embedding: [1, 2, 3] },
      '{"document": "y", "text": "t", "embedding": [1, 2, 3, 1e999]}',
      { text: 't', embedding: [1, 2, 3, 4] },
      '{not json',
      good[1],
    ]);
    const job = await finished(
      engine,
      await engine.call('vectors:import', { collection: 'notes', file }),
    );
    expect(job.state).toBe('failed');
    expect(job.error?.code).toBe('IMPORT_INVALID');
    expect(job.error?.message).toMatch(
      /line 2: the embedding has 3 values; the collection's dimension is 4/,
    );
    expect(job.error?.message).toMatch(/line 3: embedding value 3 is not a finite number/);
    expect(job.error?.message).toMatch(/line 4: the field "document" is missing/);
    expect(job.error?.message).toMatch(/line 5: not valid JSON/);
    expect(fs.readFileSync(indexFile(root, 'notes')).equals(before)).toBe(true);
    const db = new Database(path.join(root, 'local_data/internal_assistant/assistant.db'));
    expect(db.prepare('SELECT count(*) AS n FROM chunks').get()).toEqual({ n: 50 });
    db.close();
    await engine.close();
  });

  it('rolls back an import that fails while writing (a document of another collection)', async () => {
    const { base, engine, root } = await engineWithRoot();
    await importVectors(engine, base, 'one', clusteredVectors(20, 4), 'shared');
    await importVectors(engine, base, 'two', clusteredVectors(20, 4), 'own');
    const before = fs.readFileSync(indexFile(root, 'two'));
    const lines = importLines(clusteredVectors(8, 4, 3), 'fresh');
    lines[6] = { ...lines[6]!, document: 'shared-0' };
    const file = writeJsonl(path.join(base, 'clash.jsonl'), lines);
    const job = await finished(
      engine,
      await engine.call('vectors:import', { collection: 'two', file }),
    );
    expect(job.error).toMatchObject({ code: 'IMPORT_INVALID' });
    expect(job.error?.message).toMatch(
      /line 7: the document "shared-0" belongs to the collection "one"/,
    );
    const two = (await engine.call('vectors:collections')).collections.find((c) => c.id === 'two')!;
    expect(two.chunkCount).toBe(20);
    expect(two.documentCount).toBe(5);
    expect(fs.readFileSync(indexFile(root, 'two')).equals(before)).toBe(true);
    await engine.close();
  });

  it('deletes documents: their chunks leave the results and are marked deleted in the index', async () => {
    const { base, engine } = await engineWithRoot();
    const vectors = clusteredVectors(40, 8);
    await importVectors(engine, base, 'notes', vectors);
    const job = await finished(
      engine,
      await engine.call('vectors:delete-documents', {
        collection: 'notes',
        documentIds: ['doc-0', 'doc-1'],
      }),
    );
    expect(job.result).toMatchObject({
      documentsDeleted: 2,
      chunksDeleted: 8,
      compactionReason: null,
    });
    const summary = (await engine.call('vectors:collections')).collections[0]!;
    expect(summary).toMatchObject({
      chunkCount: 32,
      documentCount: 8,
      index: { count: 40, deletedCount: 8 },
    });
    const result = await engine.call('vectors:search', {
      collection: 'notes',
      vector: vectors[0]!,
      k: 40,
    });
    expect(result.hits).toHaveLength(32);
    expect(result.hits.some((hit) => hit.documentId === 'doc-0')).toBe(false);
    await engine.close();
  });

  it('refuses a query of the wrong dimension and an unknown collection with codes', async () => {
    const { base, engine } = await engineWithRoot();
    await importVectors(engine, base, 'notes', clusteredVectors(10, 4));
    expect(
      await engine.dispatch('vectors:search', { collection: 'notes', vector: [1, 2], k: 3 }),
    ).toMatchObject({
      ok: false,
      error: { code: 'DIMENSION_MISMATCH' },
    });
    expect(
      await engine.dispatch('vectors:search', { collection: 'nope', vector: [1, 2], k: 3 }),
    ).toMatchObject({
      ok: false,
      error: { code: 'COLLECTION_NOT_FOUND' },
    });
    expect(await engine.dispatch('vectors:search', { collection: 'notes', k: 3 })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    await engine.close();
  });

  it('creates empty collections with a space and parameters, and refuses a taken id', async () => {
    const { engine } = await engineWithRoot();
    const created = await engine.call('vectors:create-collection', {
      collection: 'l2-things',
      dimension: 3,
      space: 'l2',
      m: 8,
      efConstruction: 100,
      ef: 20,
    });
    expect(created).toMatchObject({
      id: 'l2-things',
      space: 'l2',
      m: 8,
      efConstruction: 100,
      ef: 20,
      chunkCount: 0,
      index: null,
    });
    expect(
      await engine.dispatch('vectors:create-collection', { collection: 'l2-things', dimension: 3 }),
    ).toMatchObject({ ok: false, error: { code: 'COLLECTION_EXISTS' } });
    await engine.close();
  });
});
