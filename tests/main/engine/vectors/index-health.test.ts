import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { IndexHealth } from '../../../../src-shared/models/vectors';
import {
  clusteredVectors,
  engineWithRoot,
  finished,
  importVectors,
  indexFile,
} from './vectors-fixtures';

type Engine = Awaited<ReturnType<typeof engineWithRoot>>['engine'];

async function health(engine: Engine, collection?: string): Promise<IndexHealth[]> {
  const job = await finished(
    engine,
    await engine.call('vectors:health', collection ? { collection } : {}),
  );
  expect(job.state).toBe('succeeded');
  return (job.result as { collections: IndexHealth[] }).collections;
}

function statusOf(report: IndexHealth, name: string) {
  return report.checks.find((check) => check.name === name)?.status;
}

async function waitForJob(engine: Engine, id: string | null) {
  expect(id).not.toBeNull();
  return engine.requireSession().jobs.wait(id!);
}

describe('vectors: health', () => {
  it('finds a freshly imported index healthy, with a measured recall, and records it', async () => {
    const { base, engine } = await engineWithRoot();
    await importVectors(engine, base, 'notes', clusteredVectors(500, 16));
    const [report] = await health(engine);
    expect(report).toMatchObject({
      collection: 'notes',
      status: 'ok',
      indexCount: 500,
      deletedCount: 0,
      liveChunks: 500,
      orphans: 0,
      missing: 0,
      recallSample: 100,
      compactionReason: null,
    });
    expect(report!.recall).toBeGreaterThanOrEqual(0.9);
    expect(report!.checks.map((check) => check.name)).toEqual([
      'loads',
      'agreement',
      'deleted',
      'recall',
      'dimension',
    ]);
    const summary = (await engine.call('vectors:collections')).collections[0]!;
    expect(summary.lastHealth).toMatchObject({ status: 'ok', recall: report!.recall });
    await engine.close();
  });

  it('measures a low recall at a starved ef and starts a compaction', async () => {
    const { base, engine, root } = await engineWithRoot();
    await engine.call('vectors:create-collection', {
      collection: 'starved',
      dimension: 32,
      m: 2,
      efConstruction: 2,
      ef: 1,
    });
    await importVectors(engine, base, 'starved', clusteredVectors(1500, 32, 5, 1));
    const [report] = await health(engine, 'starved');
    expect(report!.recall).toBeLessThan(0.9);
    expect(statusOf(report!, 'recall')).not.toBe('ok');
    expect(report!.compactionReason).toMatch(/recall@10 .* below the target/);
    const compaction = await waitForJob(engine, report!.compactionJobId);
    expect(compaction.state).toBe('succeeded');
    expect(fs.existsSync(indexFile(root, 'starved'))).toBe(true);
    await engine.close();
  });

  it('counts deleted vectors and compacts past 20% of at least 1,000 vectors', async () => {
    const { base, engine } = await engineWithRoot();
    const vectors = clusteredVectors(1200, 8);
    await importVectors(engine, base, 'notes', vectors);
    // 75 documents of 4 chunks: 300 of 1,200 vectors, 25%.
    const documentIds = Array.from({ length: 75 }, (_, i) => `doc-${i}`);
    const deleted = await finished(
      engine,
      await engine.call('vectors:delete-documents', { collection: 'notes', documentIds }),
    );
    expect(deleted.result).toMatchObject({ chunksDeleted: 300, deletedShare: 0.25 });
    expect((deleted.result as { compactionReason: string }).compactionReason).toMatch(/25%/);
    // The delete started a compaction by itself; wait for it through the job list.
    const compactions = () => engine.requireSession().jobs.list(20, 'vectors-compact');
    await waitForJob(engine, compactions()[0]?.id ?? null);
    const summary = (await engine.call('vectors:collections')).collections[0]!;
    expect(summary.index).toMatchObject({ count: 900, deletedCount: 0 });
    expect(summary.lastCompaction).toMatchObject({
      collection: 'notes',
      vectorsBefore: 1200,
      vectorsAfter: 900,
    });
    const [report] = await health(engine);
    expect(report).toMatchObject({ status: 'ok', indexCount: 900, deletedCount: 0 });
    await engine.close();
  });

  it('reports a deleted share before compaction as a warning under 1,000 vectors', async () => {
    const { base, engine } = await engineWithRoot();
    await importVectors(engine, base, 'notes', clusteredVectors(200, 8));
    await finished(
      engine,
      await engine.call('vectors:delete-documents', {
        collection: 'notes',
        documentIds: Array.from({ length: 15 }, (_, i) => `doc-${i}`),
      }),
    );
    const [report] = await health(engine);
    expect(report).toMatchObject({ deletedCount: 60, indexCount: 200, orphans: 0, missing: 0 });
    expect(statusOf(report!, 'deleted')).toBe('warning');
    expect(report!.compactionReason).toBeNull();
    await engine.close();
  });

  it('finds orphans and missing chunks when the database changed behind the index, and heals', async () => {
    const { base, engine, root } = await engineWithRoot();
    await importVectors(engine, base, 'notes', clusteredVectors(100, 8));
    const db = new Database(path.join(root, 'local_data/internal_assistant/assistant.db'));
    // Another program soft-deletes chunks without telling the index.
    db.prepare("UPDATE chunks SET deleted_at = '2026-01-01' WHERE id <= 5").run();
    db.close();
    const [report] = await health(engine);
    expect(report).toMatchObject({ status: 'bad', orphans: 5, missing: 0, liveChunks: 95 });
    expect(report!.checks.find((c) => c.name === 'agreement')!.reason).toMatch(
      /5 vectors have no live chunk/,
    );
    expect(report!.compactionReason).toMatch(/disagree/);
    await waitForJob(engine, report!.compactionJobId);
    const [after] = await health(engine);
    expect(after).toMatchObject({ status: 'ok', indexCount: 95, orphans: 0 });
    await engine.close();
  });
});
