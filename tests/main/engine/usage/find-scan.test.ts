import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeFolders, openFileSync, removeTree } from '../../../../src-main/engine/fs/sys-fs';
import { hasGnuFind } from '../../../../src-main/engine/usage/find-walk';
import { scanUsage, type UsageScan } from '../../../../src-main/engine/usage/scanner';
import { sumFigures, type FolderRecord } from '../../../../src-main/engine/usage/usage-tree';
import { nativeCategoryRules as rules } from '../../../support/native-root';
import { loopTurnsDuring } from '../../../support/loop-turns';
import { tempDir, writeFile } from '../../../support/temp-dir';

/** `du` in bytes of a root, its own `.tend/` and staging folder left out. */
function du(root: string, flag: '-sb' | '-sB1'): number {
  const of = (target: string) =>
    Number(execFileSync('du', [flag, target], { encoding: 'utf8' }).split('\t')[0]);
  return of(root) - of(path.join(root, '.tend')) - of(path.join(root, '.tend-staging-1'));
}

/**
 * Everything a scan keeps, folder by folder in name order (the two walks may meet folders in
 * different orders): what the rescan, the map, the largest files and updates read.
 */
function kept(scan: UsageScan): string[] {
  const lines: string[] = [];
  const visit = (folder: FolderRecord) => {
    const files = folder
      .fileNames()
      .map(
        (name, index) =>
          `${JSON.stringify(name)}=${folder.fileCategories[index]}:` +
          `${folder.fileSizes[index * 2]}:${folder.fileSizes[index * 2 + 1]}`,
      )
      .sort();
    lines.push(
      [
        JSON.stringify(folder.path),
        folder.ino,
        folder.mtimeMs,
        folder.ctimeMs,
        folder.selfCategory,
        folder.exactNames,
        folder.folders,
        folder.ownFilesBytes,
        Array.from(folder.own).join(','),
        Array.from(folder.total).join(','),
        files.join('|'),
      ].join(' '),
    );
    [...folder.children].sort((a, b) => (a.name < b.name ? -1 : 1)).forEach(visit);
  };
  visit(scan.root);
  return lines;
}

/** A tree with every kind of entry the walks must agree on. */
function oddTree(): string {
  const root = tempDir();
  writeFile(path.join(root, 'local_data/internal_assistant/documents/a.pdf'), Buffer.alloc(9000));
  writeFile(path.join(root, 'local_data/logs/app.log'), 'line\n'.repeat(300));
  writeFile(path.join(root, 'local_data/cache/blob.bin'), Buffer.alloc(70_000, 3));
  writeFile(path.join(root, 'config/settings.json'), '{}');
  fs.mkdirSync(path.join(root, 'empty/also-empty'), { recursive: true });
  // Names find's output must carry as they are: spaces, the separators it uses, a newline.
  for (const name of [
    'with space.txt',
    'colon:1 2.txt',
    'new\nline.txt',
    '-dash',
    'é ü 字 🙂.md',
  ]) {
    writeFile(path.join(root, 'odd', name), name);
  }
  writeFile(path.join(root, 'odd/100% \\ "quoted" \'single\'.txt'), 'x');
  writeFile(path.join(root, 'odd/replacement \uFFFD.txt'), 'a real U+FFFD');
  // Names that are not UTF-8: a file, and a folder with a file in it.
  fs.writeFileSync(Buffer.from(`${root}/r\xe9sum\xe9.txt`, 'latin1'), 'curriculum vitae');
  fs.mkdirSync(Buffer.from(`${root}/caf\xe9`, 'latin1'));
  fs.writeFileSync(Buffer.from(`${root}/caf\xe9/menu.txt`, 'latin1'), 'menu');
  // Hard links: within a folder, across folders, and across folders in pairs whose names
  // sort one way or the other.
  writeFile(path.join(root, 'models/a/model.bin'), Buffer.alloc(300_000, 2));
  fs.mkdirSync(path.join(root, 'models/b'), { recursive: true });
  fs.linkSync(path.join(root, 'models/a/model.bin'), path.join(root, 'models/b/same.bin'));
  fs.linkSync(path.join(root, 'models/a/model.bin'), path.join(root, 'models/a/third.bin'));
  // Symlinks count their own size: to a file outside, to a folder, dangling.
  fs.symlinkSync('/etc/hostname', path.join(root, 'config/outside'));
  fs.symlinkSync('../models', path.join(root, 'config/folder-link'));
  fs.symlinkSync('/nonexistent/target', path.join(root, 'config/dangling'));
  // Tend's own folders are left out at the root only.
  writeFile(path.join(root, '.tend/catalog.db'), Buffer.alloc(50_000, 1));
  writeFile(path.join(root, '.tend-staging-1/part'), Buffer.alloc(40_000, 1));
  writeFile(path.join(root, 'deeper/.tend/counted.txt'), 'this one is the user’s');
  return root;
}

describe.runIf(hasGnuFind())('a first scan with GNU find', () => {
  it('keeps the same tree, figures and largest files as the walk with Node’s calls', async () => {
    const root = oddTree();
    // A file past PATH_MAX: its folders are read through an open folder by Node's walk.
    const deep = path.join(root, 'deep', ...Array.from({ length: 22 }, () => 'd'.repeat(200)));
    makeFolders(deep);
    const fd = openFileSync(path.join(deep, 'far.txt'), 'wx');
    fs.writeSync(fd, 'far away');
    fs.closeSync(fd);
    try {
      const node = await scanUsage(root, { rules, walk: 'node' });
      const found = await scanUsage(root, { rules, walk: 'find' });
      expect(kept(found)).toEqual(kept(node));
      expect(found.largest).toEqual(node.largest);
      expect(found.hasLinks).toBe(true);
      expect(found.stats).toEqual(node.stats);
      const totals = sumFigures(found.root.total);
      expect(totals.apparentBytes).toBe(du(root, '-sb'));
      expect(totals.allocatedBytes).toBe(du(root, '-sB1'));
      expect(found.root.fileNames()).toContain('r\udce9sum\udce9.txt');
      expect(found.root.exactNames).toBe(true);
      expect(kept(found).filter((line) => line.includes('far.txt'))).toHaveLength(1);
    } finally {
      removeTree(path.join(root, 'deep'));
    }
  });

  it('leaves a rescan what it needs to reuse folders, with the figures of a fresh scan', async () => {
    const root = oddTree();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const first = await scanUsage(root, { rules, walk: 'find' });
    fs.appendFileSync(path.join(root, 'local_data/logs/app.log'), 'more\n'.repeat(100));
    writeFile(path.join(root, 'local_data/cache/new.bin'), Buffer.alloc(5000));
    const rescan = await scanUsage(root, { rules, previous: first, racyMs: 0 });
    const fresh = await scanUsage(root, { rules, walk: 'node' });
    expect(rescan.stats.mode).toBe('rescan');
    expect(rescan.stats.foldersReused).toBeGreaterThan(5);
    expect(kept(rescan)).toEqual(kept(fresh));
    expect(rescan.largest).toEqual(fresh.largest);
  });

  it('gives the event loop its turns while it reads find’s output', async () => {
    const root = tempDir();
    const folder = path.join(root, 'local_data/logs');
    fs.mkdirSync(folder, { recursive: true });
    for (let i = 0; i < 3000; i++) fs.writeFileSync(path.join(folder, `${i}.log`), 'x');
    const { value: scan, turns } = await loopTurnsDuring(() =>
      scanUsage(root, { rules, walk: 'find', sliceMs: 0 }),
    );
    expect(sumFigures(scan.root.total).files).toBe(3000);
    // A budget of 0 ms is spent at every look (every 256 entries): about 12 looks here.
    expect(turns).toBeGreaterThanOrEqual(10);
  });

  it('stops find when the scan is cancelled', async () => {
    const root = oddTree();
    const controller = new AbortController();
    const scan = scanUsage(root, {
      rules,
      walk: 'find',
      signal: controller.signal,
      progressEveryMs: 0,
      onProgress: () => controller.abort(new Error('stop')),
    });
    await expect(scan).rejects.toThrow('stop');
  });
});

describe.runIf(hasGnuFind())('when find fails', () => {
  const path0 = process.env.PATH;
  afterEach(() => {
    process.env.PATH = path0;
  });

  /** A `find` first on PATH that walks like the real one and then fails as an error does. */
  function failingFind(script: string): void {
    const bin = tempDir();
    fs.writeFileSync(path.join(bin, 'find'), `#!/bin/sh\n${script}\n`, { mode: 0o755 });
    process.env.PATH = `${bin}:${path0}`;
  }

  it.each([
    [
      'writes an error',
      `/usr/bin/env -u PATH ${findBinary()} "$@"; echo "find: 'x': Permission denied" >&2`,
    ],
    ['exits with 1', `${findBinary()} "$@"; exit 1`],
    ['stops half-way', `${findBinary()} "$@" | head -c 300`],
  ])('that %s, the scan walks with Node’s calls and its figures are exact', async (_, script) => {
    const root = oddTree();
    const expected = await scanUsage(root, { rules, walk: 'node' });
    failingFind(script);
    await expect(scanUsage(root, { rules, walk: 'find' })).rejects.toThrow();
    const seen: number[] = [];
    const scan = await scanUsage(root, {
      rules,
      progressEveryMs: 0,
      onProgress: (partial) => seen.push(sumFigures(partial.root.total).apparentBytes),
    });
    expect(kept(scan)).toEqual(kept(expected));
    // The walk with Node's calls started again from nothing, yet the figures shown only grew.
    expect(seen.length).toBeGreaterThan(0);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    expect(sumFigures(scan.root.total).apparentBytes).toBe(du(root, '-sb'));
  });

  it.skipIf(process.getuid?.() === 0)(
    'on an unreadable folder, the scan says so as the walk with Node’s calls does',
    async () => {
      const root = oddTree();
      writeFile(path.join(root, 'locked/secret.txt'), 'secret');
      fs.chmodSync(path.join(root, 'locked'), 0o000);
      try {
        const expected = await scanUsage(root, { rules, walk: 'node' });
        const scan = await scanUsage(root, { rules });
        expect(scan.stats.unreadable).toBe(1);
        expect(kept(scan)).toEqual(kept(expected));
      } finally {
        fs.chmodSync(path.join(root, 'locked'), 0o700);
      }
    },
  );
});

/** Where the real find is, for the failing ones to call. */
function findBinary(): string {
  return execFileSync('sh', ['-c', 'command -v find'], { encoding: 'utf8' }).trim();
}
