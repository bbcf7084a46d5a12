import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateDemo } from '../../../../src-main/engine/demo/demo-generator';
import { makeFolders, openFileSync, removeTree } from '../../../../src-main/engine/fs/sys-fs';
import { hasGnuFind } from '../../../../src-main/engine/usage/find-walk';
import { scanUsage, type UsageScan } from '../../../../src-main/engine/usage/scanner';
import { categoryUsage, sumFigures } from '../../../../src-main/engine/usage/usage-tree';
import { nativeCategoryRules as rules } from '../../../support/native-root';
import { loopTurnsDuring } from '../../../support/loop-turns';
import { tempDir, writeFile } from '../../../support/temp-dir';

/** `du` in bytes: apparent (-b) or allocated (-B1), of one path. */
function du(target: string, flag: '-sb' | '-sB1'): number {
  return Number(execFileSync('du', [flag, target], { encoding: 'utf8' }).split('\t')[0]);
}

/** What du says the user's data takes: the root minus Tend's own `.tend/`. */
function duWithoutTend(root: string): { apparent: number; allocated: number } {
  const tend = path.join(root, '.tend');
  const has = fs.existsSync(tend);
  return {
    apparent: du(root, '-sb') - (has ? du(tend, '-sb') : 0),
    allocated: du(root, '-sB1') - (has ? du(tend, '-sB1') : 0),
  };
}

function totals(scan: UsageScan) {
  return sumFigures(scan.root.total);
}

async function expectMatchesDu(root: string): Promise<UsageScan> {
  const scan = await scanUsage(root, { rules });
  const expected = duWithoutTend(root);
  const got = totals(scan);
  expect(got.apparentBytes).toBe(expected.apparent);
  expect(got.allocatedBytes).toBe(expected.allocated);
  // Categories add up to the totals.
  const byCategory = categoryUsage(scan.root.total);
  expect(byCategory.reduce((s, c) => s + c.apparentBytes, 0)).toBe(got.apparentBytes);
  return scan;
}

describe('scanUsage equals du', () => {
  it('on a demo root, without .tend', async () => {
    const root = tempDir();
    await generateDemo({
      root,
      size: 'small',
      seed: 3,
      signal: new AbortController().signal,
      onProgress() {},
    });
    writeFile(path.join(root, '.tend/catalog.db'), Buffer.alloc(123_456, 1));
    const scan = await expectMatchesDu(root);
    const files = Number(
      execFileSync('sh', ['-c', `find . -path ./.tend -prune -o ! -type d -print | wc -l`], {
        cwd: root,
        encoding: 'utf8',
      }).trim(),
    );
    expect(totals(scan).files).toBe(files);
    expect(scan.largest.length).toBeGreaterThan(0);
    expect(scan.largest[0]!.apparentBytes).toBeGreaterThanOrEqual(
      scan.largest.at(-1)!.apparentBytes,
    );
  }, 120_000);

  it('on a tree with hard links, counting each file once', async () => {
    const root = tempDir();
    writeFile(path.join(root, 'local_data/models/a/model.bin'), Buffer.alloc(300_000, 2));
    fs.mkdirSync(path.join(root, 'local_data/models/b'), { recursive: true });
    fs.linkSync(
      path.join(root, 'local_data/models/a/model.bin'),
      path.join(root, 'local_data/models/b/same-model.bin'),
    );
    fs.linkSync(
      path.join(root, 'local_data/models/a/model.bin'),
      path.join(root, 'local_data/models/a/third-name.bin'),
    );
    writeFile(path.join(root, 'config/settings.json'), '{}');
    const scan = await expectMatchesDu(root);
    expect(totals(scan).files).toBe(2);
  });

  it('counts a file with several hard links at the link whose path sorts first', async () => {
    const root = tempDir();
    // Pairs of folders whose names sort one way and are listed in whatever order the file
    // system keeps: a walk that counts the first link it meets puts some files in `b…`.
    for (let pair = 0; pair < 12; pair++) {
      writeFile(path.join(root, `a${pair}/file.bin`), Buffer.alloc(1000 + pair));
      fs.mkdirSync(path.join(root, `b${pair}`));
      fs.linkSync(path.join(root, `a${pair}/file.bin`), path.join(root, `b${pair}/file.bin`));
    }
    for (const walk of ['node', 'find'] as const) {
      if (walk === 'find' && !hasGnuFind()) continue;
      const scan = await scanUsage(root, { rules, walk });
      for (const folder of scan.root.children) {
        const files = sumFigures(folder.total).files;
        expect([walk, folder.name, files]).toEqual([
          walk,
          folder.name,
          folder.name[0] === 'a' ? 1 : 0,
        ]);
      }
      expect(scan.largest.map((file) => file.path).sort()).toEqual(
        Array.from({ length: 12 }, (_, pair) => `a${pair}/file.bin`).sort(),
      );
    }
  });

  it('on a sparse file: allocated bytes below apparent ones', async () => {
    const root = tempDir();
    const file = path.join(root, 'local_data/models/sparse.bin');
    writeFile(file, 'head');
    fs.truncateSync(file, 200 * 1024 * 1024);
    const scan = await expectMatchesDu(root);
    expect(totals(scan).allocatedBytes).toBeLessThan(10 * 1024 * 1024);
    expect(totals(scan).apparentBytes).toBeGreaterThan(200 * 1024 * 1024);
  });

  it('on symlinks that point outside the root: a link counts its own size only', async () => {
    const root = tempDir();
    const outside = tempDir();
    writeFile(path.join(outside, 'huge.bin'), Buffer.alloc(2_000_000, 3));
    writeFile(path.join(outside, 'folder/inside.bin'), Buffer.alloc(1_000_000, 3));
    writeFile(path.join(root, 'config/settings.json'), '{"a":1}');
    fs.symlinkSync(path.join(outside, 'huge.bin'), path.join(root, 'config/huge-link'));
    fs.symlinkSync(path.join(outside, 'folder'), path.join(root, 'config/folder-link'));
    fs.symlinkSync('/nonexistent/target', path.join(root, 'config/dangling'));
    const scan = await expectMatchesDu(root);
    expect(totals(scan).apparentBytes).toBeLessThan(100_000);
    expect(totals(scan).files).toBe(4);
  });
});

describe('rescan', () => {
  it('gives the figures of a fresh scan after changes, and reuses unchanged folders', async () => {
    const root = tempDir();
    for (let i = 0; i < 6; i++) {
      writeFile(
        path.join(root, `local_data/internal_assistant/documents/c${i}/a.txt`),
        'x'.repeat(100 * i),
      );
      writeFile(path.join(root, `local_data/logs/app-${i}.log`), 'line\n'.repeat(10 * i));
    }
    const options = { rules, racyMs: 0 };
    // The folders' timestamps come from the kernel's coarse clock (one tick, 4 ms here): a scan
    // that starts in the same millisecond as the tick that stamped them (the walk with find
    // takes one listing time for the whole tree, before it starts) rightly trusts none of them.
    await new Promise((resolve) => setTimeout(resolve, 30));
    const first = await scanUsage(root, options);
    await new Promise((resolve) => setTimeout(resolve, 30));

    // In place: the folder's mtime does not move, yet the rescan must see it.
    fs.appendFileSync(path.join(root, 'local_data/logs/app-3.log'), 'more\n'.repeat(1000));
    // Added, removed, renamed, a new folder, a file swapped for a folder.
    writeFile(path.join(root, 'local_data/cache/new.bin'), Buffer.alloc(5000));
    fs.rmSync(path.join(root, 'local_data/internal_assistant/documents/c2/a.txt'));
    fs.renameSync(
      path.join(root, 'local_data/internal_assistant/documents/c4/a.txt'),
      path.join(root, 'local_data/internal_assistant/documents/c4/b.txt'),
    );
    writeFile(path.join(root, 'local_data/internal_assistant/documents/c9/new/deep.txt'), 'deep');
    fs.rmSync(path.join(root, 'local_data/logs/app-5.log'));
    fs.mkdirSync(path.join(root, 'local_data/logs/app-5.log'));

    const rescan = await scanUsage(root, { ...options, previous: first });
    const fresh = await scanUsage(root, options);
    expect(rescan.stats.mode).toBe('rescan');
    expect(rescan.stats.foldersReused).toBeGreaterThan(0);
    expect(Array.from(rescan.root.total)).toEqual(Array.from(fresh.root.total));
    expect(rescan.root.folders).toBe(fresh.root.folders);
    expect(rescan.largest).toEqual(fresh.largest);
    expect(totals(rescan).apparentBytes).toBe(duWithoutTend(root).apparent);
  });

  it('lists a folder again when its timestamps are too close to its last listing', async () => {
    const root = tempDir();
    writeFile(path.join(root, 'config/a.json'), '{}');
    const first = await scanUsage(root, { rules });
    writeFile(path.join(root, 'config/b.json'), '{"b":2}');
    const rescan = await scanUsage(root, { rules, previous: first });
    // Everything was written within two seconds of its listing: nothing is trusted.
    expect(rescan.stats.foldersReused).toBe(0);
    expect(totals(rescan).files).toBe(2);
  });
});

describe('scan progress and cancel', () => {
  it('reports partial figures that only grow, and stops when cancelled', async () => {
    const root = tempDir();
    for (let i = 0; i < 200; i++) writeFile(path.join(root, `data/d${i}/f.txt`), 'abc');
    const seen: number[] = [];
    const scan = await scanUsage(root, {
      rules,
      sliceMs: 0,
      progressEveryMs: 0,
      onProgress: (partial) => seen.push(sumFigures(partial.root.total).files),
    });
    expect(seen.length).toBeGreaterThan(10);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    expect(totals(scan).files).toBe(200);

    const controller = new AbortController();
    const cancelled = scanUsage(root, {
      rules,
      sliceMs: 0,
      signal: controller.signal,
      onProgress: () => controller.abort(new Error('stop')),
      progressEveryMs: 0,
    });
    await expect(cancelled).rejects.toThrow('stop');
  });
});

describe('the event loop during a scan', () => {
  it('gets its turn inside a folder of many files, not only between folders', async () => {
    const root = tempDir();
    const folder = path.join(root, 'local_data/logs');
    fs.mkdirSync(folder, { recursive: true });
    for (let i = 0; i < 3000; i++) fs.writeFileSync(path.join(folder, `${i}.log`), 'x');
    const first = await scanUsage(root, { rules });
    // A budget of 0 ms is always spent: every look at it lets the loop run once.
    for (const scan of [
      () => scanUsage(root, { rules, sliceMs: 0 }),
      () => scanUsage(root, { rules, sliceMs: 0, previous: first, racyMs: 0 }),
    ]) {
      const { value: result, turns } = await loopTurnsDuring(scan);
      expect(totals(result).files).toBe(3000);
      // Four folders: a scan that only paused between folders gave the loop 4 turns or so.
      expect(turns).toBeGreaterThanOrEqual(10);
    }
  });
});

describe('names and paths Node cannot take as they are', () => {
  it('counts a name that is not UTF-8 and files past PATH_MAX, as du does, in a scan and a rescan', async () => {
    const root = tempDir();
    fs.writeFileSync(Buffer.from(`${root}/r\xe9sum\xe9.txt`, 'latin1'), 'curriculum vitae');
    fs.mkdirSync(Buffer.from(`${root}/caf\xe9`, 'latin1'));
    fs.writeFileSync(Buffer.from(`${root}/caf\xe9/menu.txt`, 'latin1'), 'menu');
    const deep = path.join(root, 'deep', ...Array.from({ length: 22 }, () => 'd'.repeat(200)));
    expect(Buffer.byteLength(deep)).toBeGreaterThan(4096);
    makeFolders(deep);
    const fd = openFileSync(path.join(deep, 'far.txt'), 'wx');
    fs.writeSync(fd, 'far away');
    fs.closeSync(fd);
    try {
      const scan = await expectMatchesDu(root);
      expect(scan.stats.unreadable).toBe(0);
      expect(totals(scan).files).toBe(3);
      const rescan = await scanUsage(root, { rules, previous: scan, racyMs: 0 });
      expect(totals(rescan)).toEqual(totals(scan));
      expect(rescan.stats.unreadable).toBe(0);
    } finally {
      removeTree(path.join(root, 'deep'));
    }
  });
});
