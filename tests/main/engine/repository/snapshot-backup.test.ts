/**
 * A backup's walk (snapshot-backup.ts): a database read through a staged copy is copied, and
 * large files sealed, by worker threads while the walk goes on; the snapshot's tree is the
 * same, in name order, and no copy is left behind, whether the backup ends or is cancelled.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, vi } from 'vitest';
import type * as SqliteSnapshot from '../../../../src-main/engine/backup/sqlite-snapshot';
import { snapshotSqlite } from '../../../../src-main/engine/backup/sqlite-snapshot';
import { FileSealer } from '../../../../src-main/engine/repository/file-sealer';
import { backupSnapshot } from '../../../../src-main/engine/repository/snapshot-backup';
import { restoreSnapshot } from '../../../../src-main/engine/repository/snapshot-restore';
import { listSnapshots, TreeReader } from '../../../../src-main/engine/repository/snapshot-reader';
import { tempDir, writeFile } from '../../../support/temp-dir';
import {
  digestTree,
  hasRestic,
  newRepository,
  noise,
  restic,
  tableRows,
  writeSampleTree,
} from './repository-fixtures';

const DB = 'local_data/internal_assistant/assistant.db';

/** Copies being made at once, and the most at any time (the real copy, counted). */
const copying = vi.hoisted(() => ({ now: 0, most: 0 }));
vi.mock('../../../../src-main/engine/backup/sqlite-snapshot', async (importOriginal) => {
  const real = await importOriginal<typeof SqliteSnapshot>();
  return {
    ...real,
    snapshotSqlite: async (...args: Parameters<typeof real.snapshotSqlite>) => {
      copying.now += 1;
      copying.most = Math.max(copying.most, copying.now);
      try {
        await real.snapshotSqlite(...args);
      } finally {
        copying.now -= 1;
      }
    },
  };
});

/** The sample tree with entries on both sides of the database in its folder. */
function sampleTreeAroundDatabase(): string {
  const root = tempDir();
  writeSampleTree(root);
  const folder = path.join(root, 'local_data/internal_assistant');
  writeFile(path.join(folder, 'aaa-before.bin'), noise(700 * 1024, 11));
  writeFile(path.join(folder, 'zzz-after.txt'), 'after the database\n');
  return root;
}

/** Every entry's times an hour back: files written in the second a backup began are read again by the next. */
function hourOld(root: string): void {
  const hourAgo = new Date(Date.now() - 3600_000);
  for (const name of Object.keys(digestTree(root))) {
    fs.utimesSync(path.join(root, name), hourAgo, hourAgo);
  }
}

describe('a database read through a staged copy', () => {
  it('is copied beside the walk; the tree keeps name order and restores as the source', async () => {
    const root = sampleTreeAroundDatabase();
    const repoDir = path.join(tempDir(), 'repo');
    const staging = tempDir();
    const repository = await newRepository(repoDir);
    const result = await backupSnapshot(repository, {
      root,
      stagingDir: staging,
      databaseImageLimit: 0,
    });
    expect(result.skipped).toEqual([]);
    expect(fs.readdirSync(staging)).toEqual([]);

    const index = await repository.loadIndex();
    const trees = new TreeReader(repository, index);
    const top = await trees.read(result.tree);
    const localData = await trees.read(top.find((node) => node.name === 'local_data')!.subtree!);
    const assistant = await trees.read(
      localData.find((node) => node.name === 'internal_assistant')!.subtree!,
    );
    expect(assistant.map((node) => node.name)).toEqual([
      'aaa-before.bin',
      'assistant.db',
      'documents',
      'zzz-after.txt',
    ]);

    const out = path.join(tempDir(), 'out');
    await restoreSnapshot(repository, result.snapshotId, { target: out });
    const withoutDb = (digest: Record<string, string>) => {
      delete digest[DB];
      return digest;
    };
    expect(withoutDb(digestTree(out))).toEqual(withoutDb(digestTree(root)));
    expect(tableRows(path.join(out, DB), 'notes')).toEqual(tableRows(path.join(root, DB), 'notes'));
    // The same pages a copy made on its own holds.
    const alone = path.join(tempDir(), 'alone.db');
    await snapshotSqlite(path.join(root, DB), alone);
    expect(fs.readFileSync(path.join(out, DB)).equals(fs.readFileSync(alone))).toBe(true);
    if (hasRestic) {
      const check = restic(repoDir, ['check', '--read-data']);
      expect(check.stderr + check.stdout).toContain('no errors were found');
    }
  });

  it('leaves no copy behind when the backup is cancelled while it is being made', async () => {
    const root = sampleTreeAroundDatabase();
    const staging = tempDir();
    const repository = await newRepository(path.join(tempDir(), 'repo'));
    const controller = new AbortController();
    const backup = backupSnapshot(repository, {
      root,
      stagingDir: staging,
      databaseImageLimit: 0,
      signal: controller.signal,
      // Cancelled at the entry after the database, once its copy has started.
      select: (relative) => {
        if (relative.endsWith('internal_assistant/documents')) controller.abort();
        return true;
      },
    });
    await expect(backup).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(fs.readdirSync(staging)).toEqual([]);
  });

  it('makes at most two copies at once, however many databases a folder and its subfolders hold', async () => {
    const root = tempDir();
    for (const name of ['a.db', 'b.db', 'sub/c.db', 'sub/deeper/d.db']) {
      fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
      const db = new Database(path.join(root, name));
      db.exec(`CREATE TABLE t (x TEXT); INSERT INTO t VALUES ('${name}')`);
      db.close();
    }
    writeFile(path.join(root, 'sub/deeper/e.txt'), 'e\n');
    const staging = tempDir();
    const repository = await newRepository(path.join(tempDir(), 'repo'));
    copying.most = 0;
    const result = await backupSnapshot(repository, {
      root,
      stagingDir: staging,
      databaseImageLimit: 0,
    });
    expect(result.files.new).toBe(5);
    // At most the early copy of a.db, and the copy d.db is read through before the walk is back.
    expect(copying.most).toBeLessThanOrEqual(2);
    expect(fs.readdirSync(staging)).toEqual([]);
    const out = path.join(tempDir(), 'out');
    await restoreSnapshot(repository, result.snapshotId, { target: out });
    for (const name of ['a.db', 'b.db', 'sub/c.db', 'sub/deeper/d.db']) {
      expect(tableRows(path.join(out, name), 't')).toEqual([{ x: name }]);
    }
  });
});

describe('large files sealed by a worker thread', () => {
  it('stores them as the walk would, in name order among small files, and later only what changed', async () => {
    const root = tempDir();
    // 30 MiB of large files: the first 16 MiB are read on the walk's thread, the rest sealed.
    for (const [name, seed] of [
      ['a/1-large.bin', 1],
      ['a/2-small.txt', 2],
      ['a/b/3-large.bin', 3],
      ['a/b/4-small.txt', 4],
      ['a/c/5-large.bin', 5],
      ['a/c/6-large.bin', 6],
      ['a/d.txt', 7],
      ['e/7-large.bin', 8],
    ] as const) {
      writeFile(
        path.join(root, name),
        name.includes('large') ? noise(6 * 1024 * 1024 + seed, seed) : `${name}\n`,
      );
    }
    hourOld(root);
    const repoDir = path.join(tempDir(), 'repo');
    const repository = await newRepository(repoDir);
    const seal = vi.spyOn(FileSealer.prototype, 'seal');
    try {
      const first = await backupSnapshot(repository, { root });
      expect(seal.mock.calls.map(([file]) => path.relative(root, file))).toEqual([
        'a/c/5-large.bin',
        'a/c/6-large.bin',
        'e/7-large.bin',
      ]);
      expect(first.files.new).toBe(8);
      const out = path.join(tempDir(), 'out');
      await restoreSnapshot(repository, first.snapshotId, { target: out });
      expect(digestTree(out)).toEqual(digestTree(root));

      // 64 KiB changed in the middle of three: the third is sealed, its parent's chunks only
      // hashed, and the chunks around each change are all that is stored again.
      seal.mockClear();
      for (const name of ['a/1-large.bin', 'a/b/3-large.bin', 'a/c/6-large.bin']) {
        const bytes = fs.readFileSync(path.join(root, name));
        noise(64 * 1024, 99).copy(bytes, 3 * 1024 * 1024);
        fs.writeFileSync(path.join(root, name), bytes);
      }
      const second = await backupSnapshot(repository, { root });
      expect(second.files).toEqual({ new: 0, changed: 3, unchanged: 5 });
      expect(seal.mock.calls.map(([file]) => path.relative(root, file))).toEqual([
        'a/c/6-large.bin',
      ]);
      expect(second.bytesRead).toBe(3 * 6 * 1024 * 1024 + 1 + 3 + 6);
      expect(second.bytesAddedPlain).toBeLessThan(12 * 1024 * 1024);
      const out2 = path.join(tempDir(), 'out');
      await restoreSnapshot(repository, second.snapshotId, { target: out2 });
      expect(digestTree(out2)).toEqual(digestTree(root));
    } finally {
      seal.mockRestore();
    }
    if (hasRestic) {
      const check = restic(repoDir, ['check', '--read-data']);
      expect(check.stderr + check.stdout).toContain('no errors were found');
    }
  });
});

describe('a backup cancelled while a sealer thread works', () => {
  it('ends with the sealer stopped and nothing stored for the files it had', async () => {
    const root = tempDir();
    for (let i = 0; i < 4; i++) writeFile(path.join(root, `a/${i}.bin`), noise(6 << 20, i + 1));
    writeFile(path.join(root, 'b.txt'), 'after\n');
    const repository = await newRepository(path.join(tempDir(), 'repo'));
    const controller = new AbortController();
    const stop = vi.spyOn(FileSealer.prototype, 'stop');
    try {
      const backup = backupSnapshot(repository, {
        root,
        signal: controller.signal,
        // Cancelled once the walk is past the folder whose last large files went to the sealer.
        select: (relative) => {
          if (relative === 'b.txt') controller.abort();
          return true;
        },
      });
      await expect(backup).rejects.toMatchObject({ code: 'CANCELLED' });
      expect(stop).toHaveBeenCalled();
    } finally {
      stop.mockRestore();
    }
    expect(await listSnapshots(repository)).toEqual([]);
  });
});

describe('a database found before the walk', () => {
  it('keeps the stat taken before its copy began, so a change made since shows in the next backup', async () => {
    const root = tempDir();
    writeSampleTree(root);
    hourOld(root);
    const db = path.join(root, DB);
    const before = fs.statSync(db, { bigint: true });
    const repository = await newRepository(path.join(tempDir(), 'repo'));
    let seen = 0;
    const first = await backupSnapshot(repository, {
      root,
      stagingDir: tempDir(),
      databaseImageLimit: 0,
      // The first look for databases asks once of each folder, the walk again: the database's
      // times change when the walk comes to the first folder, long before it comes to it.
      select: (relative) => {
        if (relative === 'config' && ++seen === 2) {
          fs.utimesSync(db, new Date('2001-01-01'), new Date('2001-01-01'));
        }
        return true;
      },
    });
    expect(seen).toBe(2);
    const index = await repository.loadIndex();
    const trees = new TreeReader(repository, index);
    let nodes = await trees.read(first.tree);
    for (const name of ['local_data', 'internal_assistant']) {
      nodes = await trees.read(nodes.find((node) => node.name === name)!.subtree!);
    }
    expect(nodes.find((node) => node.name === 'assistant.db')!.mtime).toBe(before.mtimeNs);

    const second = await backupSnapshot(repository, { root, databaseImageLimit: 0 });
    expect(second.files.changed).toBe(1);
  });
});
