import { execFileSync } from 'node:child_process';
import { nativeCategoryRules as rules } from '../../../support/native-root';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanUsage, type UsageScan } from '../../../../src-main/engine/usage/scanner';
import { findFolder, sumFigures } from '../../../../src-main/engine/usage/usage-tree';
import { tempDir, writeFile } from '../../../support/temp-dir';

function du(target: string, flag: '-sb' | '-sB1'): number {
  return Number(
    execFileSync('du', [flag, '--exclude=.tend', target], { encoding: 'utf8' }).split('\t')[0],
  );
}

/** The update equals a fresh scan of the same tree, and du, in every figure. */
async function expectExact(root: string, update: UsageScan): Promise<void> {
  const fresh = await scanUsage(root, { rules });
  expect(Array.from(update.root.total)).toEqual(Array.from(fresh.root.total));
  expect(update.root.folders).toBe(fresh.root.folders);
  expect(update.largest).toEqual(fresh.largest);
  const totals = sumFigures(update.root.total);
  expect(totals.apparentBytes).toBe(du(root, '-sb'));
  expect(totals.allocatedBytes).toBe(du(root, '-sB1'));
}

/** As `expectExact`, with a largest-files list of `largest`. */
async function expectExactLargest(root: string, update: UsageScan, largest: number) {
  const fresh = await scanUsage(root, { rules, largest });
  expect(Array.from(update.root.total)).toEqual(Array.from(fresh.root.total));
  expect(update.root.folders).toBe(fresh.root.folders);
  expect(update.largest).toEqual(fresh.largest);
  expect(sumFigures(update.root.total).apparentBytes).toBe(du(root, '-sb'));
  expect(sumFigures(update.root.total).allocatedBytes).toBe(du(root, '-sB1'));
}

/** 8 areas × 10 folders × 5 files. */
function buildTree(root: string): void {
  for (let area = 0; area < 8; area++) {
    for (let folder = 0; folder < 10; folder++) {
      for (let file = 0; file < 5; file++) {
        writeFile(
          path.join(
            root,
            `local_data/internal_assistant/documents/a${area}/f${folder}/${file}.txt`,
          ),
          'x'.repeat(area * 100 + folder * 10 + file),
        );
      }
    }
  }
  writeFile(path.join(root, '.tend/catalog.db'), Buffer.alloc(5000));
}

const docs = 'local_data/internal_assistant/documents';

describe('scanUsage with the folders a watcher saw change', () => {
  it('lists only those folders (and their parents) and gives the figures of a fresh scan', async () => {
    const root = tempDir();
    buildTree(root);
    // A tick of the coarse clock that stamps the folders (see scanner.test.ts, rescan).
    await new Promise((resolve) => setTimeout(resolve, 30));
    const first = await scanUsage(root, { rules });

    fs.appendFileSync(path.join(root, docs, 'a1/f1/0.txt'), 'grown'.repeat(1000));
    writeFile(path.join(root, docs, 'a2/f3/new.bin'), Buffer.alloc(70_000, 1));
    fs.rmSync(path.join(root, docs, 'a3/f4'), { recursive: true });
    fs.renameSync(path.join(root, docs, 'a4/f5'), path.join(root, docs, 'a4/renamed'));
    writeFile(path.join(root, docs, 'a5/fresh/deep/one.txt'), 'deep');
    const changed = new Set([
      `${docs}/a1/f1`,
      `${docs}/a2/f3`,
      `${docs}/a3`,
      `${docs}/a3/f4`,
      `${docs}/a4`,
      `${docs}/a4/f5`,
      `${docs}/a4/renamed`,
      `${docs}/a5`,
      `${docs}/a5/fresh`,
    ]);

    const update = await scanUsage(root, { rules, previous: first, changed, racyMs: 0 });
    expect(update.stats.mode).toBe('update');
    // The other folders were taken whole: far fewer entries looked at than a rescan's 400+.
    expect(update.stats.entriesChecked).toBeLessThan(100);
    expect(update.stats.foldersReused).toBeGreaterThan(60);
    await expectExact(root, update);

    // And again from the update: the tree it made is itself a good previous.
    fs.rmSync(path.join(root, docs, 'a2/f3/new.bin'));
    const again = await scanUsage(root, {
      rules,
      previous: update,
      changed: new Set([`${docs}/a2/f3`]),
    });
    expect(again.stats.mode).toBe('update');
    await expectExact(root, again);
  });

  it('lists a subfolder of a changed folder whose own entry moved, though not named', async () => {
    const root = tempDir();
    buildTree(root);
    const first = await scanUsage(root, { rules });
    writeFile(path.join(root, docs, 'a6/f6/unseen.txt'), 'the watcher named only a6');
    const update = await scanUsage(root, {
      rules,
      previous: first,
      changed: new Set([`${docs}/a6`]),
    });
    expect(update.stats.mode).toBe('update');
    await expectExact(root, update);
  });

  it('patches a folder whose files were only written in place: those files alone are lstat-ed', async () => {
    const root = tempDir();
    buildTree(root);
    const first = await scanUsage(root, { rules, largest: 10 });
    // One grows into the largest files, one shrinks out of them, one grows a little.
    fs.appendFileSync(path.join(root, docs, 'a1/f1/0.txt'), Buffer.alloc(90_000, 2));
    fs.truncateSync(path.join(root, docs, first.largest[0]!.path.slice(docs.length + 1)), 1);
    fs.appendFileSync(path.join(root, docs, 'a3/f3/2.txt'), 'more');
    const changedFiles = new Set([
      `${docs}/a1/f1/0.txt`,
      first.largest[0]!.path,
      `${docs}/a3/f3/2.txt`,
      // A folder named as written in place (an attribute change): its folder is listed.
      `${docs}/a5/f5`,
    ]);
    const update = await scanUsage(root, {
      rules,
      previous: first,
      largest: 10,
      changed: new Set(),
      changedFiles,
    });
    expect(update.stats.mode).toBe('update');
    // The three files, the subfolders of the folders on their way and the folder named as
    // a file (5 files): a rescan looks at 480 entries.
    expect(update.stats.entriesChecked).toBeLessThan(60);
    const fresh = await scanUsage(root, { rules, largest: 10 });
    expect(Array.from(update.root.total)).toEqual(Array.from(fresh.root.total));
    expect(update.largest).toEqual(fresh.largest);
    expect(sumFigures(update.root.total).apparentBytes).toBe(du(root, '-sb'));
    expect(sumFigures(update.root.total).allocatedBytes).toBe(du(root, '-sB1'));
  });

  it('applies files written in place where they stand: one lstat each, no folder looked at', async () => {
    const root = tempDir();
    buildTree(root);
    const first = await scanUsage(root, { rules, largest: 10 });
    fs.appendFileSync(path.join(root, docs, 'a1/f1/0.txt'), Buffer.alloc(90_000, 2));
    fs.appendFileSync(path.join(root, docs, 'a3/f3/2.txt'), 'more');
    fs.truncateSync(path.join(root, docs, 'a6/f2/4.txt'), 3);
    const changedFiles = new Set([
      `${docs}/a1/f1/0.txt`,
      `${docs}/a3/f3/2.txt`,
      `${docs}/a6/f2/4.txt`,
    ]);
    const update = await scanUsage(root, {
      rules,
      previous: first,
      largest: 10,
      changed: new Set(),
      changedFiles,
    });
    expect(update.stats.mode).toBe('update');
    expect(update.stats.entriesChecked).toBe(3);
    expect(update.stats.foldersListed).toBe(0);
    const fresh = await scanUsage(root, { rules, largest: 10 });
    expect(Array.from(update.root.total)).toEqual(Array.from(fresh.root.total));
    expect(update.root.folders).toBe(fresh.root.folders);
    expect(update.largest).toEqual(fresh.largest);
    expect(update.largest[0]!.path).toBe(`${docs}/a1/f1/0.txt`);
    expect(sumFigures(update.root.total).apparentBytes).toBe(du(root, '-sb'));
    expect(sumFigures(update.root.total).allocatedBytes).toBe(du(root, '-sB1'));
    // Each folder on the way holds its new figures too (the map drills into them).
    for (const folder of [docs, `${docs}/a1`, `${docs}/a1/f1`, `${docs}/a6/f2`]) {
      expect(Array.from(findFolder(update.root, folder)!.total)).toEqual(
        Array.from(findFolder(fresh.root, folder)!.total),
      );
    }

    // Again, with a file created elsewhere in the same window: that folder alone is listed.
    fs.appendFileSync(path.join(root, docs, 'a1/f1/0.txt'), 'again');
    writeFile(path.join(root, docs, 'a7/f9/new.txt'), 'created');
    const mixed = await scanUsage(root, {
      rules,
      previous: update,
      largest: 10,
      changed: new Set([`${docs}/a7/f9`]),
      changedFiles: new Set([`${docs}/a1/f1/0.txt`]),
    });
    expect(mixed.stats.mode).toBe('update');
    expect(mixed.stats.foldersListed).toBe(1);
    // The file written in place, the named folder's own entry and its six entries.
    expect(mixed.stats.entriesChecked).toBe(8);
    await expectExactLargest(root, mixed, 10);
  });

  it('lists the folder instead when a file said to be written in place is not one it held', async () => {
    const root = tempDir();
    buildTree(root);
    const first = await scanUsage(root, { rules, largest: 10 });
    // A new file the watcher reported only as written (its creation coalesced away), and a
    // file in a folder the last scan never saw.
    writeFile(path.join(root, docs, 'a2/f2/unseen.bin'), Buffer.alloc(80_000, 3));
    writeFile(path.join(root, docs, 'a4/new-folder/x.txt'), 'x');
    fs.appendFileSync(path.join(root, docs, 'a0/f0/1.txt'), 'grown');
    const update = await scanUsage(root, {
      rules,
      previous: first,
      largest: 10,
      changed: new Set([`${docs}/a4`, `${docs}/a4/new-folder`]),
      changedFiles: new Set([`${docs}/a2/f2/unseen.bin`, `${docs}/a0/f0/1.txt`]),
    });
    expect(update.stats.mode).toBe('update');
    expect(update.stats.foldersListed).toBeGreaterThanOrEqual(2);
    await expectExactLargest(root, update, 10);
    expect(update.largest[0]!.path).toBe(`${docs}/a2/f2/unseen.bin`);
  });

  it('rescans instead when a file written in place shrinks out of a full largest list', async () => {
    const root = tempDir();
    buildTree(root);
    const first = await scanUsage(root, { rules, largest: 5 });
    const biggest = first.largest[0]!.path;
    fs.truncateSync(path.join(root, biggest), 0);
    const update = await scanUsage(root, {
      rules,
      previous: first,
      largest: 5,
      changed: new Set(),
      changedFiles: new Set([biggest]),
    });
    expect(update.stats.mode).toBe('rescan');
    await expectExactLargest(root, update, 5);
  });

  it('rescans instead where hard links are met: a file counts once wherever it is', async () => {
    const root = tempDir();
    buildTree(root);
    const first = await scanUsage(root, { rules });
    fs.linkSync(path.join(root, docs, 'a7/f9/4.txt'), path.join(root, docs, 'a0/f0/link.txt'));
    const update = await scanUsage(root, {
      rules,
      previous: first,
      changed: new Set([`${docs}/a0/f0`]),
    });
    expect(update.stats.mode).toBe('rescan');
    expect(update.hasLinks).toBe(true);
    await expectExact(root, update);
    // With links in the tree, later updates rescan too.
    fs.rmSync(path.join(root, docs, 'a0/f0/link.txt'));
    const next = await scanUsage(root, {
      rules,
      previous: update,
      changed: new Set([`${docs}/a0/f0`]),
    });
    expect(next.stats.mode).toBe('rescan');
    await expectExact(root, next);
  });

  it('rescans instead when the largest files it kept can no longer be trusted', async () => {
    const root = tempDir();
    buildTree(root);
    // The list holds the 5 largest; the largest one goes, so the sixth must come in.
    const first = await scanUsage(root, { rules, largest: 5 });
    const biggest = first.largest[0]!.path;
    fs.rmSync(path.join(root, biggest));
    const update = await scanUsage(root, {
      rules,
      previous: first,
      largest: 5,
      changed: new Set([path.dirname(biggest)]),
    });
    expect(update.stats.mode).toBe('rescan');
    const fresh = await scanUsage(root, { rules, largest: 5 });
    expect(update.largest).toEqual(fresh.largest);
    expect(Array.from(update.root.total)).toEqual(Array.from(fresh.root.total));
  });
});
