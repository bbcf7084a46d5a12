/**
 * Issue 16, item 4: a cleanup that would remove more than a set share of the data folder, or
 * more files than a set count, asks again and names the numbers.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../../../src-main/engine/engine';
import { cleanupCeiling } from '../../../../src-main/engine/usage/clean-plan';
import type { CleanItem, CleanResult } from '../../../../src-shared/models/usage';
import { tempDir, writeFile } from '../../../support/temp-dir';
import { tend } from '../../../support/run-tend';

const DAY = 24 * 60 * 60 * 1000;

function items(count: number, bytes: number): CleanItem[] {
  return Array.from({ length: count }, (_, index) => ({
    path: `local_data/logs/${index}.log`,
    action: 'delete' as const,
    bytes,
    reclaimBytes: bytes,
    mtimeMs: 0,
    reason: 'old',
  }));
}

const limits = { confirmAboveShare: 0.5, confirmAboveFiles: 100 };

describe('cleanupCeiling', () => {
  it.each<[string, number, number, number, RegExp | null]>([
    ['a small cleanup', 10, 100, 100_000, null],
    ['exactly half the folder', 10, 5_000, 100_000, null],
    [
      'more than half the folder',
      10,
      5_001,
      100_000,
      /50\.01% of the data folder.*more than the 50%/,
    ],
    ['more files than the count', 101, 1, 100_000, /101 files, more than the 100/],
    ['both', 200, 1_000, 100_000, /200% of the data folder.*, and 200 files/],
    ['well over half', 10, 6_250, 100_000, /62\.5% of the data folder \(61 KiB of 97\.6 KiB\)/],
    ['an empty folder total', 1, 1, 0, /100% of the data folder/],
  ])('%s', (_name, count, bytes, folderBytes, expected) => {
    const plan = { items: items(count, bytes), reclaimBytes: count * bytes, applicable: true };
    const ceiling = cleanupCeiling(plan, folderBytes, limits);
    if (expected === null) expect(ceiling).toBeNull();
    else {
      expect(ceiling?.message).toMatch(expected);
      expect(ceiling).toMatchObject({ files: count, bytes: count * bytes, folderBytes });
    }
  });

  it('never asks for a plan with nothing to do, or one that only reports', () => {
    expect(cleanupCeiling({ items: [], reclaimBytes: 0, applicable: true }, 1, limits)).toBeNull();
    expect(
      cleanupCeiling({ items: items(500, 500), reclaimBytes: 1, applicable: false }, 1, limits),
    ).toBeNull();
  });
});

/** A root whose old logs are most of it. */
async function rootMostlyLogs() {
  const base = tempDir();
  const root = path.join(base, 'root');
  const engine = await Engine.start({ appStateDir: path.join(base, 'state'), root: null });
  await engine.call('root:create', { path: root });
  writeFile(path.join(root, 'config/settings.json'), '{}');
  const when = new Date(Date.now() - 400 * DAY);
  for (let i = 0; i < 3; i++) {
    const file = path.join(root, `local_data/logs/app-${i}.log`);
    writeFile(file, 'log line\n'.repeat(2000));
    fs.utimesSync(file, when, when);
  }
  return { base, root, engine };
}

describe('a cleanup over the ceiling', () => {
  it('is refused with CLEAN_NEEDS_CONFIRMATION until confirmed, and deletes nothing', async () => {
    const { root, engine } = await rootMostlyLogs();
    const plan = await engine.call('clean:plan', { kind: 'logs' });
    expect(plan.items).toHaveLength(3);
    expect(plan.confirm).toMatchObject({ files: 3, maxShare: 0.5, maxFiles: 10_000 });
    expect(plan.confirm?.share).toBeGreaterThan(0.5);
    const refused = await engine.dispatch('clean:apply', { planId: plan.id });
    expect(refused).toMatchObject({
      ok: false,
      error: {
        code: 'CLEAN_NEEDS_CONFIRMATION',
        message: expect.stringMatching(/of the data folder .* more than the 50%/),
      },
    });
    expect(fs.readdirSync(path.join(root, 'local_data/logs')).sort()).toEqual([
      'app-0.log',
      'app-1.log',
      'app-2.log',
    ]);
    // The preview stays usable: confirming it runs exactly it.
    const job = await engine.call('clean:apply', { planId: plan.id, confirmLarge: true });
    const result = (await engine.requireSession().jobs.wait(job.id)).result as CleanResult;
    expect(result.done).toHaveLength(3);
    expect(fs.readdirSync(path.join(root, 'local_data/logs'))).toEqual([]);
    await engine.close();
  });

  it('runs without asking under the limits set in settings', async () => {
    const { engine } = await rootMostlyLogs();
    const settings = await engine.call('settings:get');
    await engine.call('settings:set', {
      settings: { ...settings, cleanup: { ...settings.cleanup, confirmAboveShare: 1 } },
    });
    const plan = await engine.call('clean:plan', { kind: 'logs' });
    expect(plan.confirm).toBeNull();
    expect((await engine.dispatch('clean:apply', { planId: plan.id })).ok).toBe(true);
    await engine.close();
  });

  it('asks for --yes in the CLI, naming the numbers, and goes ahead with it', async () => {
    const { base, root, engine } = await rootMostlyLogs();
    await engine.close();
    const refused = await tend(['clean', 'logs', '--root', root], base);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(
      /Nothing was changed\. This cleanup would remove .*% of the data folder .* add --yes .*CLEAN_NEEDS_CONFIRMATION/,
    );
    expect(fs.readdirSync(path.join(root, 'local_data/logs'))).toHaveLength(3);
    const done = await tend(['clean', 'logs', '--root', root, '--yes'], base);
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toMatch(/3 files cleaned up/);
    expect(fs.readdirSync(path.join(root, 'local_data/logs'))).toEqual([]);
  });
});
