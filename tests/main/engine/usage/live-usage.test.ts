import { execFileSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { nativeCategoryRules as rules } from '../../../support/native-root';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { UsageUpdate } from '../../../../src-shared/models/usage';
import { generateDemo } from '../../../../src-main/engine/demo/demo-generator';
import { Engine } from '../../../../src-main/engine/engine';
import { scanUsage } from '../../../../src-main/engine/usage/scanner';
import { usageService } from '../../../../src-main/engine/usage/usage-service';
import type { SubscribeFn } from '../../../../src-main/engine/usage/usage-watcher';
import { tempDir, writeFile } from '../../../support/temp-dir';

function du(target: string, flag: '-sb' | '-sB1'): number {
  return Number(
    execFileSync('du', [flag, '--exclude=.tend', target], { encoding: 'utf8' }).split('\t')[0],
  );
}

/** Resolves with the first `usage:updated` that `accept` takes; fails after `ms`. */
function updateWhere(
  engine: Engine,
  accept: (update: UsageUpdate) => boolean,
  ms = 20_000,
): Promise<UsageUpdate> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error('No usage update with the expected figures came.'));
    }, ms);
    const off = engine.events.on('usage:updated', (update) => {
      if (!update.report.complete || !accept(update)) return;
      clearTimeout(timer);
      off();
      resolve(update);
    });
  });
}

/** An engine on a demo root (`demo`), or on a few files of the native layout. */
async function demoEngine(live: boolean, demo = false) {
  const base = tempDir();
  const root = path.join(base, 'root');
  fs.mkdirSync(root);
  if (demo) {
    await generateDemo({
      root,
      size: 'small',
      seed: 5,
      signal: new AbortController().signal,
      onProgress() {},
    });
  } else {
    // A real (empty) SQLite file: detection checks the database's shape, not only its name.
    const dbFile = path.join(root, 'local_data/internal_assistant/assistant.db');
    fs.mkdirSync(path.dirname(dbFile), { recursive: true });
    const db = new Database(dbFile);
    db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY)');
    db.close();
    writeFile(path.join(root, 'local_data/logs/app.log'), 'started\n');
    writeFile(path.join(root, 'config/settings.json'), '{}');
  }
  const engine = await Engine.start({
    appStateDir: path.join(base, 'state'),
    root,
    liveUsage: live,
  });
  return { base, root: engine.requireSession().path, engine };
}

describe('a watched root (desktop app, tend serve)', () => {
  it('follows a burst of writes made while watching: the tree equals a fresh scan and du', async () => {
    const { root, engine } = await demoEngine(true, true);
    try {
      const usage = usageService(engine.requireSession(), engine);
      await usage.startLive();
      expect(usage.watch).toEqual({ live: true, why: null });
      const first = await engine.call('usage:summary');
      expect(first.watch.live).toBe(true);

      // Creates, deletes, folder renames and a file growing, in a burst.
      const docs = path.join(root, 'local_data/internal_assistant/documents');
      for (let i = 0; i < 30; i++) {
        writeFile(path.join(docs, `burst/b${i % 5}/note-${i}.md`), `note ${i}\n`.repeat(i + 1));
      }
      fs.renameSync(path.join(docs, 'burst/b1'), path.join(docs, 'burst/b1-renamed'));
      fs.rmSync(path.join(docs, 'burst/b2'), { recursive: true });
      fs.renameSync(path.join(docs, 'burst/b3'), path.join(root, 'local_data/cache/moved-b3'));
      const log = path.join(root, 'local_data/logs/growing.log');
      for (let i = 0; i < 20; i++) fs.appendFileSync(log, `line ${i}\n`.repeat(100));
      fs.mkdirSync(path.join(root, 'local_data/empty-folder'));

      const apparent = du(root, '-sb');
      const update = await updateWhere(
        engine,
        (candidate) => candidate.report.totals.apparentBytes === apparent,
      );
      expect(update.jobId).toBeNull();
      expect(update.report.watch.live).toBe(true);
      expect(update.report.totals.allocatedBytes).toBe(du(root, '-sB1'));

      // The tree in memory is the one a fresh scan makes, folder by folder.
      const fresh = await scanUsage(root, { rules });
      const watched = usage.lastScan!;
      expect(watched.stats.mode).toBe('update');
      expect(Array.from(watched.root.total)).toEqual(Array.from(fresh.root.total));
      expect(watched.root.folders).toBe(fresh.root.folders);
      expect(watched.largest).toEqual(fresh.largest);
      // And the Overview's answer is the live tree's, without a scan of its own.
      const summary = await engine.call('usage:summary');
      expect(summary.totalBytes).toBe(apparent);
      expect(usage.lastScan).toBe(watched);
      // Growth shown beside the map ends where the map is, though updates are not stored.
      const history = await engine.call('usage:history', { granularity: 'day', days: 60 });
      for (const item of summary.categories) {
        const growth = history.growth.find((g) => g.category === item.category)!;
        expect(growth.currentBytes).toBe(item.bytes);
      }
      expect(history.points.at(-1)!.totalBytes).toBe(apparent);
    } finally {
      await engine.close();
    }
  });

  it("is not moved by Tend's own .tend/", async () => {
    const { root, engine } = await demoEngine(true);
    try {
      const usage = usageService(engine.requireSession(), engine);
      await usage.startLive();
      await engine.call('usage:summary');
      let updates = 0;
      const off = engine.events.on('usage:updated', () => updates++);
      for (let i = 0; i < 50; i++) writeFile(path.join(root, `.tend/scratch-${i}`), 'x');
      // A write of the assistant's after them: its update is the first one.
      writeFile(path.join(root, 'config/after.json'), '{}');
      const apparent = du(root, '-sb');
      await updateWhere(engine, (u) => u.report.totals.apparentBytes === apparent);
      off();
      expect(updates).toBe(1);
    } finally {
      await engine.close();
    }
  });

  it('falls back to a rescan on a timer where it cannot watch, and says why', async () => {
    const { root, engine } = await demoEngine(false);
    try {
      const usage = usageService(engine.requireSession(), engine);
      const subscribe = (): Promise<SubscribeFn> =>
        Promise.reject(new Error("inotify_add_watch on '/x' failed: No space left on device"));
      await usage.startLive({ subscribe, pollMs: 200 });
      expect(usage.watch.live).toBe(false);
      expect(usage.watch.why).toMatch(/max_user_watches.*measured again every/);
      const first = await engine.call('usage:summary');
      expect(first.watch).toEqual(usage.watch);

      writeFile(path.join(root, 'config/polled.json'), 'x'.repeat(12_345));
      const apparent = du(root, '-sb');
      const update = await updateWhere(engine, (u) => u.report.totals.apparentBytes === apparent);
      expect(update.report.watch.live).toBe(false);
      expect(update.report.stats.mode).toBe('rescan');
    } finally {
      await engine.close();
    }
  });

  it('rescans now and then while watching, so a change the watcher lost is put right', async () => {
    const { root, engine } = await demoEngine(false);
    try {
      const usage = usageService(engine.requireSession(), engine);
      // A watcher that reports nothing, as one whose events overflowed.
      const subscribe = async (): Promise<SubscribeFn> => async () => ({
        unsubscribe: async () => undefined,
      });
      await usage.startLive({ subscribe, resyncMs: 200 });
      expect(usage.watch.live).toBe(true);
      await engine.call('usage:summary');
      writeFile(path.join(root, 'config/unreported.json'), 'y'.repeat(23_456));
      const apparent = du(root, '-sb');
      const update = await updateWhere(engine, (u) => u.report.totals.apparentBytes === apparent);
      expect(update.report.stats.mode).toBe('rescan');
    } finally {
      await engine.close();
    }
  });

  it('stops watching when the root closes or another one opens', async () => {
    const { base, engine } = await demoEngine(false);
    let unsubscribed = 0;
    const subscribe = async (): Promise<SubscribeFn> => async () => ({
      unsubscribe: async () => {
        unsubscribed++;
      },
    });
    const usage = usageService(engine.requireSession(), engine);
    await usage.startLive({ subscribe });
    expect(usage.watch.live).toBe(true);
    await engine.call('root:create', { path: path.join(base, 'other') });
    expect(unsubscribed).toBe(1);
    expect(usage.watch.live).toBe(false);

    const second = usageService(engine.requireSession(), engine);
    await second.startLive({ subscribe });
    await engine.close();
    expect(unsubscribed).toBe(2);
  });

  it('a one-off engine (the CLI) says its figures are measured once', async () => {
    const { engine } = await demoEngine(false);
    try {
      const summary = await engine.call('usage:summary');
      expect(summary.watch.live).toBe(false);
      expect(summary.watch.why).toMatch(/desktop app and tend serve/);
    } finally {
      await engine.close();
    }
  });
});
