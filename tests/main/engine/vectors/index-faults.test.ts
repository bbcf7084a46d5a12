import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import hnswlib from 'hnswlib-node';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../../../src-main/engine/engine';
import type { IndexHealth } from '../../../../src-shared/models/vectors';
import {
  clusteredVectors,
  engineWithRoot,
  finished,
  importVectors,
  indexFile,
  rng,
} from './vectors-fixtures';

const here = path.dirname(fileURLToPath(import.meta.url));

async function reopen(base: string, root: string): Promise<Engine> {
  return Engine.start({ appStateDir: path.join(base, 'state'), root });
}

async function healthOf(engine: Engine): Promise<IndexHealth> {
  const job = await finished(engine, await engine.call('vectors:health', { collection: 'notes' }));
  return (job.result as { collections: IndexHealth[] }).collections[0]!;
}

function compactionJobs(engine: Engine) {
  return engine.requireSession().jobs.list(20, 'vectors-compact');
}

/**
 * Corrupts the index and checks both ways in: health finds it bad and its compaction heals it;
 * then, corrupted again, the first search answers by exact search and starts the rebuild, and
 * searches come from the healed index after it.
 *
 * Note: each half starts from a freshly opened engine that has not touched the file yet. A
 * health check run while a search's rebuild is under way may read the already healed file,
 * which made an earlier version of this test flaky on a loaded machine.
 */
async function expectHealing(
  corrupt: (file: string) => void,
  onBadHealth: (health: IndexHealth) => void = () => undefined,
) {
  const { base, engine, root } = await engineWithRoot();
  const vectors = clusteredVectors(400, 16);
  await importVectors(engine, base, 'notes', vectors);
  await engine.close();

  // Health first: it reads the broken file, says why, and compacts.
  corrupt(indexFile(root, 'notes'));
  const checked = await reopen(base, root);
  const report = await healthOf(checked);
  expect(report.status).toBe('bad');
  expect(report.checks[0]).toMatchObject({ name: 'loads', status: 'bad' });
  onBadHealth(report);
  expect(report.compactionJobId).not.toBeNull();
  const healed = await checked.requireSession().jobs.wait(report.compactionJobId!);
  expect(healed.state).toBe('succeeded');
  expect(await healthOf(checked)).toMatchObject({ status: 'ok', indexCount: 400 });
  await checked.close();

  // A search first: it cannot use the file, answers by exact search and starts a rebuild.
  corrupt(indexFile(root, 'notes'));
  const again = await reopen(base, root);
  const during = await again.call('vectors:search', {
    collection: 'notes',
    vector: vectors[3]!,
    k: 3,
  });
  expect(during.source).toBe('exact');
  expect(during.hits[0]!.text).toBe('chunk 3 of doc');
  const rebuild = compactionJobs(again)[0]!;
  expect(rebuild.title).toMatch(/Compact the index of notes/);
  expect((await again.requireSession().jobs.wait(rebuild.id)).state).toBe('succeeded');

  const after = await again.call('vectors:search', {
    collection: 'notes',
    vector: vectors[3]!,
    k: 3,
  });
  expect(after.source).toBe('index');
  expect(after.hits[0]!.text).toBe('chunk 3 of doc');
  expect(await healthOf(again)).toMatchObject({ status: 'ok', indexCount: 400 });
  await again.close();
}

describe('vectors: faults', () => {
  it('heals a truncated index from the database while searches keep answering', async () => {
    await expectHealing((file) => fs.truncateSync(file, Math.floor(fs.statSync(file).size / 2)));
  });

  it('heals an index file full of garbage', async () => {
    await expectHealing((file) => {
      const random = rng(7);
      const bytes = Buffer.alloc(fs.statSync(file).size);
      for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
      fs.writeFileSync(file, bytes);
    });
  });

  it('heals an index of another dimension, and health names both dimensions', async () => {
    let report: IndexHealth | null = null;
    await expectHealing(
      (file) => {
        const other = new hnswlib.HierarchicalNSW('cosine', 8);
        other.initIndex(500, 16, 50, 1);
        clusteredVectors(400, 8).forEach((vector, i) => other.addPoint(vector, i + 1));
        other.writeIndexSync(file);
      },
      (health) => (report = health),
    );
    expect(report!.checks.find((check) => check.name === 'dimension')).toMatchObject({
      status: 'bad',
      reason: 'The index has dimension 8; the collection says 16.',
    });
  });

  it('heals an index whose count disagrees with the database, answering from it meanwhile', async () => {
    const { base, engine, root } = await engineWithRoot();
    const first = clusteredVectors(150, 16, 1);
    await importVectors(engine, base, 'notes', first, 'a');
    const dir = path.dirname(indexFile(root, 'notes'));
    const saved = path.join(base, 'old-index');
    fs.cpSync(dir, saved, { recursive: true });
    await importVectors(engine, base, 'notes', clusteredVectors(150, 16, 2), 'b');
    await engine.close();
    // An older index (150 vectors) comes back beside a database of 300 chunks.
    fs.cpSync(saved, dir, { recursive: true });

    const again = await reopen(base, root);
    const during = await again.call('vectors:search', {
      collection: 'notes',
      vector: first[9]!,
      k: 2,
    });
    expect(during.source).toBe('index');
    expect(during.hits[0]!.text).toBe('chunk 9 of a');
    const rebuild = compactionJobs(again)[0]!;
    expect(rebuild).toBeDefined();
    expect((await again.requireSession().jobs.wait(rebuild.id)).state).toBe('succeeded');
    const report = await healthOf(again);
    expect(report).toMatchObject({ status: 'ok', indexCount: 300, missing: 0, orphans: 0 });
    await again.close();
  });

  it('reports the missing chunks of a disagreeing index as bad', async () => {
    const { base, engine, root } = await engineWithRoot();
    await importVectors(engine, base, 'notes', clusteredVectors(100, 8, 1), 'a');
    const dir = path.dirname(indexFile(root, 'notes'));
    const saved = path.join(base, 'old-index');
    fs.cpSync(dir, saved, { recursive: true });
    await importVectors(engine, base, 'notes', clusteredVectors(50, 8, 2), 'b');
    fs.cpSync(saved, dir, { recursive: true });
    const report = await healthOf(engine);
    expect(report).toMatchObject({ status: 'bad', missing: 50, orphans: 0, liveChunks: 150 });
    expect(report.compactionReason).toMatch(/disagree/);
    await engine.requireSession().jobs.wait(report.compactionJobId!);
    await engine.close();
  });

  it('keeps answering searches from the old index while a compaction runs', async () => {
    const { base, engine } = await engineWithRoot();
    const vectors = clusteredVectors(4000, 32);
    await importVectors(engine, base, 'notes', vectors);
    const job = await engine.call('vectors:compact', { collection: 'notes' });
    const jobs = engine.requireSession().jobs;
    let answeredDuring = 0;
    let probe = 0;
    while (jobs.get(job.id).state !== 'succeeded') {
      const before = jobs.get(job.id);
      const row = (probe++ * 37) % vectors.length;
      const result = await engine.call('vectors:search', {
        collection: 'notes',
        vector: vectors[row]!,
        k: 5,
      });
      expect(result.source).toBe('index');
      expect(result.hits[0]!.text).toBe(`chunk ${row} of doc`);
      const after = jobs.get(job.id);
      if (before.state === 'running' && after.state === 'running' && after.progress.filesDone > 0) {
        answeredDuring++;
      }
      if (after.state === 'failed') throw new Error(after.error?.message);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(answeredDuring).toBeGreaterThan(0);
    const summary = (await engine.call('vectors:collections')).collections[0]!;
    expect(summary.lastCompaction).toMatchObject({ reason: 'on demand', vectorsAfter: 4000 });
    await engine.close();
  });

  it('leaves the old index in place and working when a compaction is killed midway', async () => {
    const { base, engine, root } = await engineWithRoot();
    await engine.call('vectors:create-collection', {
      collection: 'notes',
      dimension: 64,
      efConstruction: 400,
    });
    const vectors = clusteredVectors(6000, 64);
    await importVectors(engine, base, 'notes', vectors);
    await engine.close();
    const file = indexFile(root, 'notes');
    const before = fs.readFileSync(file);

    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(here, 'compact-child.ts'),
        path.join(base, 'state'),
        root,
        'notes',
      ],
      { cwd: path.resolve(here, '../../../..'), stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let output = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('building')) resolve();
      });
      child.on('exit', () => reject(new Error(`the child ended first: ${output}`)));
    });
    const partials = () =>
      fs.readdirSync(path.dirname(file)).filter((name) => name.endsWith('.partial'));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(output).not.toContain('finished');
    expect(fs.readFileSync(file).equals(before)).toBe(true);

    const again = await reopen(base, root);
    expect(partials()).toEqual([]);
    const interrupted = compactionJobs(again)[0]!;
    expect(interrupted.state).toBe('interrupted');
    const result = await again.call('vectors:search', {
      collection: 'notes',
      vector: vectors[11]!,
      k: 3,
    });
    expect(result.source).toBe('index');
    expect(result.hits[0]!.text).toBe('chunk 11 of doc');
    expect(await healthOf(again)).toMatchObject({ status: 'ok', indexCount: 6000 });
    await again.close();
  });
});
