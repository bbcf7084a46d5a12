import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { PayloadOf } from '../../../../src-shared/contract';
import type { CleanResult } from '../../../../src-shared/models/usage';
import { Engine } from '../../../../src-main/engine/engine';
import { categorize } from '../../../support/native-root';
import { tempDir, writeFile } from '../../../support/temp-dir';

const DAY = 24 * 60 * 60 * 1000;

/** Writes a file and dates it `daysOld` days back. */
function old(root: string, relative: string, content: string | Buffer, daysOld: number): string {
  const file = path.join(root, relative);
  writeFile(file, content);
  const when = new Date(Date.now() - daysOld * DAY);
  fs.utimesSync(file, when, when);
  return file;
}

/** A process id that is surely not running: a child that has exited. */
function deadPid(): number {
  let pid = 999_999;
  while (pid > 1) {
    try {
      process.kill(pid, 0);
      pid--;
    } catch {
      return pid;
    }
  }
  return 999_999;
}

async function setUp() {
  const base = tempDir();
  const engine = await Engine.start({ appStateDir: path.join(base, 'state'), root: null });
  await engine.call('root:create', { path: path.join(base, 'root') });
  const root = path.join(base, 'root');
  // Irreplaceable files that are old and look like logs, temp files or cache: never offered.
  old(root, 'local_data/internal_assistant/assistant.db', Buffer.alloc(4096), 400);
  old(root, 'local_data/internal_assistant/documents/c1/server.log', 'uploaded\n', 400);
  old(root, 'config/settings.json', '{}', 400);
  // Disposable candidates.
  old(root, 'local_data/logs/app-2025-01-01.log.gz', zlib.gzipSync('old log\n'), 60);
  old(root, 'local_data/logs/app-2026-11-01.log', 'recent but plain\n'.repeat(500), 10);
  old(root, 'local_data/logs/app.log', 'live\n', 0);
  old(root, 'local_data/cache/tiktoken/a', Buffer.alloc(3000), 200);
  old(root, 'local_data/cache/tiktoken/b', Buffer.alloc(3000), 1);
  old(root, 'local_data/cache/upload.tmp', Buffer.alloc(10), 3);
  old(root, 'local_data/cache/writing-now.tmp', Buffer.alloc(10), 0);
  old(
    root,
    'local_data/internal_assistant/vector_store/c1/.lock',
    JSON.stringify({ pid: deadPid(), host: os.hostname() }),
    2,
  );
  old(
    root,
    'local_data/internal_assistant/vector_store/c2/.lock',
    JSON.stringify({ pid: process.pid, host: os.hostname() }),
    2,
  );
  return { engine, root };
}

describe('usage handlers', () => {
  it('scans as a job, streams updates, and answers the map and the summary', async () => {
    const { engine, root } = await setUp();
    const updates: Array<PayloadOf<'usage:updated'>> = [];
    engine.events.on('usage:updated', (update) => updates.push(update));

    expect((await engine.call('usage:tree', {})).node).toBeNull();
    const job = await engine.call('usage:scan', {});
    expect(job.kind).toBe('usage-scan');
    const finished = await engine.requireSession().jobs.wait(job.id);
    expect(finished.state).toBe('succeeded');
    expect(updates.at(-1)).toMatchObject({ jobId: job.id, report: { complete: true } });

    const tree = await engine.call('usage:tree', { path: 'local_data', depth: 1 });
    expect(tree.node?.path).toBe('local_data');
    expect(tree.node?.children.map((c) => c.name)).toEqual(
      expect.arrayContaining(['internal_assistant', 'logs', 'cache']),
    );
    expect(tree.largestFiles.every((f) => f.path.startsWith('local_data/'))).toBe(true);
    expect((await engine.dispatch('usage:tree', { path: '../etc' })).ok).toBe(false);

    const summary = await engine.call('usage:summary');
    expect(summary.totalFiles).toBe(tree.report!.totals.files);
    expect(summary.root).toBe(root);

    const history = await engine.call('usage:history', {});
    expect(history.points.length).toBeGreaterThan(0);
    await engine.close();
  });

  it('previews exactly what each cleanup touches, never irreplaceable data', async () => {
    const { engine } = await setUp();
    const plan = async (kind: 'logs' | 'cache' | 'locks' | 'temp', gzipOldLogs = false) =>
      (await engine.call('clean:plan', { kind, gzipOldLogs })).items.map((i) => i.path);
    expect(await plan('logs')).toEqual(['local_data/logs/app-2025-01-01.log.gz']);
    expect(await plan('logs', true)).toEqual([
      'local_data/logs/app-2025-01-01.log.gz',
      'local_data/logs/app-2026-11-01.log',
    ]);
    expect(await plan('cache')).toEqual(['local_data/cache/tiktoken/a']);
    expect(await plan('temp')).toEqual(['local_data/cache/upload.tmp']);
    expect(await plan('locks')).toEqual(['local_data/internal_assistant/vector_store/c1/.lock']);

    const summary = await engine.call('clean:summary', {});
    for (const kind of ['logs', 'cache', 'locks', 'temp'] as const) {
      for (const item of (await engine.call('clean:plan', { kind })).items) {
        expect(categorize(item.path)).toBe('disposable');
      }
      expect(summary.items.find((i) => i.kind === kind)?.files).toBe(1);
    }
    expect(summary.items.find((i) => i.kind === 'sqlite')?.applicable).toBe(false);
    await engine.close();
  });

  it('applies a plan as a writing job: only listed files, and only if unchanged', async () => {
    const { engine, root } = await setUp();
    const logs = await engine.call('clean:plan', { kind: 'logs', gzipOldLogs: true });
    const cache = await engine.call('clean:plan', { kind: 'cache' });
    // Changed after the preview: it must survive.
    fs.appendFileSync(path.join(root, 'local_data/cache/tiktoken/a'), 'x');
    const before = listAll(root);

    const logJob = await engine.call('clean:apply', { planId: logs.id });
    expect(logJob.writesRoot).toBe(true);
    const logResult = (await engine.requireSession().jobs.wait(logJob.id)).result as CleanResult;
    expect(logResult.done.map((d) => [d.path, d.action])).toEqual([
      ['local_data/logs/app-2025-01-01.log.gz', 'delete'],
      ['local_data/logs/app-2026-11-01.log', 'gzip'],
    ]);
    const gz = path.join(root, 'local_data/logs/app-2026-11-01.log.gz');
    expect(zlib.gunzipSync(fs.readFileSync(gz)).toString()).toBe('recent but plain\n'.repeat(500));

    const cacheJob = await engine.call('clean:apply', { planId: cache.id });
    const cacheResult = (await engine.requireSession().jobs.wait(cacheJob.id))
      .result as CleanResult;
    expect(cacheResult.done).toEqual([]);
    expect(cacheResult.skipped).toEqual([
      { path: 'local_data/cache/tiktoken/a', reason: 'it changed after the preview' },
    ]);

    // Exactly the listed files are gone; one gzip was added; nothing else moved.
    const after = listAll(root);
    expect(before.filter((f) => !after.includes(f))).toEqual([
      'local_data/logs/app-2025-01-01.log.gz',
      'local_data/logs/app-2026-11-01.log',
    ]);
    expect(after.filter((f) => !before.includes(f))).toEqual([
      'local_data/logs/app-2026-11-01.log.gz',
    ]);

    // A plan is used once.
    expect(await engine.dispatch('clean:apply', { planId: logs.id })).toMatchObject({
      ok: false,
      error: { code: 'CLEAN_PLAN_NOT_FOUND' },
    });
    await engine.close();
  });
});

function listAll(root: string): string[] {
  return (fs.readdirSync(root, { recursive: true }) as string[])
    .map((p) => p.split(path.sep).join('/'))
    .filter((p) => !p.startsWith('.tend') && !fs.statSync(path.join(root, p)).isDirectory())
    .sort();
}
