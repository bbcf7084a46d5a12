import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { Engine } from '../../../../src-main/engine/engine';
import {
  clusteredVectors,
  engineWithRoot,
  finished,
  importLines,
  importVectors,
  writeJsonl,
} from './vectors-fixtures';

const DB = 'local_data/internal_assistant/assistant.db';

async function importFile(engine: Engine, input: Record<string, unknown>) {
  return finished(engine, await engine.call('vectors:import', input));
}

function chunkCount(root: string): number {
  const db = new Database(path.join(root, DB), { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM chunks').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('vectors: imports are idempotent by document id', () => {
  it('a file imported twice adds its chunks once, and the second run says they were there', async () => {
    const { base, engine, root } = await engineWithRoot();
    const vectors = clusteredVectors(80, 8);
    const file = writeJsonl(path.join(base, 'in.jsonl'), importLines(vectors));
    expect((await importFile(engine, { collection: 'notes', file })).result).toMatchObject({
      documentsAdded: 20,
      chunksAdded: 80,
      documentsSkipped: 0,
      indexCount: 80,
    });
    const again = await importFile(engine, { collection: 'notes', file });
    expect(again.state).toBe('succeeded');
    expect(again.result).toMatchObject({
      createdCollection: false,
      documentsAdded: 0,
      chunksAdded: 0,
      documentsSkipped: 20,
      chunksSkipped: 80,
      indexCount: 80,
    });
    expect(chunkCount(root)).toBe(80);
    const result = await engine.call('vectors:search', {
      collection: 'notes',
      vector: vectors[3]!,
      k: 5,
    });
    // One hit per chunk: no twin of chunk 3 sits beside it.
    expect(result.hits.filter((hit) => hit.text === 'chunk 3 of doc')).toHaveLength(1);

    // A file with the same documents and some new ones adds only the new ones.
    const more = importLines(clusteredVectors(100, 8), 'doc');
    const mixed = writeJsonl(path.join(base, 'more.jsonl'), [
      ...importLines(vectors),
      ...more.slice(80),
    ]);
    expect((await importFile(engine, { collection: 'notes', file: mixed })).result).toMatchObject({
      documentsAdded: 5,
      chunksAdded: 20,
      documentsSkipped: 20,
      indexCount: 100,
    });
    await engine.close();
  });

  it('a dry run says how many documents are new and writes nothing', async () => {
    const { base, engine, root } = await engineWithRoot();
    const file = writeJsonl(path.join(base, 'in.jsonl'), importLines(clusteredVectors(40, 4)));
    const plan = await importFile(engine, { collection: 'notes', file, dryRun: true });
    expect(plan.result).toMatchObject({
      dryRun: true,
      createdCollection: true,
      documentsAdded: 10,
      chunksAdded: 40,
      indexCount: null,
    });
    // Not even an empty assistant.db was made.
    expect(fs.existsSync(path.join(root, DB))).toBe(false);
    await importVectors(engine, base, 'notes', clusteredVectors(40, 4));
    const again = await importFile(engine, { collection: 'notes', file, dryRun: true });
    expect(again.result).toMatchObject({ documentsAdded: 0, documentsSkipped: 10 });
    expect(chunkCount(root)).toBe(40);
    await engine.close();
  });

  it('refuses a document that is already there with other chunks, at its first line', async () => {
    const { base, engine, root } = await engineWithRoot();
    await importVectors(engine, base, 'notes', clusteredVectors(20, 4));
    const changed = importLines(clusteredVectors(20, 4, 5));
    const file = writeJsonl(path.join(base, 'changed.jsonl'), changed);
    const job = await importFile(engine, { collection: 'notes', file });
    expect(job.error?.code).toBe('IMPORT_INVALID');
    expect(job.error?.message).toMatch(
      /line 1: the document "doc-0" is already in this collection with other chunks/,
    );
    expect(chunkCount(root)).toBe(20);
    await engine.close();
  });

  it('refuses index parameters that differ from an existing collection instead of ignoring them', async () => {
    const { base, engine } = await engineWithRoot();
    await importVectors(engine, base, 'notes', clusteredVectors(12, 4));
    const file = writeJsonl(
      path.join(base, 'more.jsonl'),
      importLines(clusteredVectors(4, 4), 'x'),
    );
    const job = await importFile(engine, { collection: 'notes', file, space: 'l2', m: 32 });
    expect(job.error?.code).toBe('INVALID_INPUT');
    expect(job.error?.message).toMatch(
      /"notes" already exists with space cosine \(not l2\), M 16 \(not 32\)/,
    );
    // The same values as the collection's are no conflict.
    const same = await importFile(engine, { collection: 'notes', file, space: 'cosine', m: 16 });
    expect(same.state).toBe('succeeded');
    await engine.close();
  });
});

describe('vectors: what an import line may hold', () => {
  it('refuses values beyond float32 and a huge token count with their line numbers', async () => {
    const { base, engine } = await engineWithRoot();
    const file = writeJsonl(path.join(base, 'big.jsonl'), [
      { document: 'a', text: 't', embedding: [1, 2, 3, 4] },
      '{"document": "b", "text": "t", "embedding": [1, 1e39, 3, 4]}',
      { document: 'c', text: 't', embedding: [1, 2, 3, 4], metadata: { token_count: 1e300 } },
    ]);
    const job = await importFile(engine, { collection: 'notes', file });
    expect(job.error?.code).toBe('IMPORT_INVALID');
    expect(job.error?.message).toMatch(/line 2: embedding value 1 is too large for a 32-bit float/);
    expect(job.error?.message).toMatch(/line 3: metadata.token_count must be a number from 0/);
    await engine.close();
  });

  it('refuses a query value beyond float32 instead of answering with NaN scores', async () => {
    const { base, engine } = await engineWithRoot();
    await importVectors(engine, base, 'notes', clusteredVectors(20, 4));
    const result = await engine.dispatch('vectors:search', {
      collection: 'notes',
      vector: [0.1, 1e39, 0.2, 0.3],
      k: 3,
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(!result.ok && result.error.message).toMatch(/too large for a 32-bit float/);
    await engine.close();
  });

  it('reads a file that starts with a byte order mark', async () => {
    const { base, engine } = await engineWithRoot();
    const file = path.join(base, 'bom.jsonl');
    const lines = importLines(clusteredVectors(8, 4)).map((line) => JSON.stringify(line));
    fs.writeFileSync(file, `\uFEFF${lines.join('\n')}\n`);
    const job = await importFile(engine, { collection: 'notes', file });
    expect(job.state, job.error?.message).toBe('succeeded');
    expect(job.result).toMatchObject({ chunksAdded: 8 });
    await engine.close();
  });

  it('names the line and the problem of a file that is not JSON Lines, never its content', async () => {
    const { base, engine } = await engineWithRoot();
    const file = path.join(base, 'secrets.jsonl');
    fs.writeFileSync(
      file,
      'AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG\n{"document": "SECRET-doc", "text": 1}\n',
    );
    const job = await importFile(engine, { collection: 'notes', file });
    expect(job.error?.code).toBe('IMPORT_INVALID');
    expect(job.error?.message).toMatch(/line 1: not valid JSON/);
    expect(job.error?.message).toMatch(/line 2: field "text": .*expected string/);
    expect(JSON.stringify(job.error)).not.toMatch(/AWS|wJalr|SECRET/);
    await engine.close();
  });
});

describe('vectors: deleting documents', () => {
  it('refuses ids the collection does not have, naming them, and reports those deleted before', async () => {
    const { base, engine, root } = await engineWithRoot();
    await importVectors(engine, base, 'notes', clusteredVectors(12, 4));
    const unknown = await finished(
      engine,
      await engine.call('vectors:delete-documents', {
        collection: 'notes',
        documentIds: ['doc-0', 'nope-1', 'nope-2'],
      }),
    );
    expect(unknown.error?.code).toBe('DOCUMENT_NOT_FOUND');
    expect(unknown.error?.message).toMatch(/no document "nope-1", "nope-2"; nothing was deleted/);
    expect(chunkCount(root)).toBe(12);
    const summary = () =>
      engine.call('vectors:collections').then(({ collections }) => collections[0]!);
    expect((await summary()).documentCount).toBe(3);

    await finished(
      engine,
      await engine.call('vectors:delete-documents', {
        collection: 'notes',
        documentIds: ['doc-0'],
      }),
    );
    const again = await finished(
      engine,
      await engine.call('vectors:delete-documents', {
        collection: 'notes',
        documentIds: ['doc-0', 'doc-1'],
      }),
    );
    expect(again.result).toMatchObject({ documentsDeleted: 1, alreadyDeleted: ['doc-0'] });
    expect((await summary()).documentCount).toBe(1);
    await engine.close();
  });
});
