/**
 * A backup's walk (snapshot-backup.ts): a database read through a staged copy is copied while
 * the walk reads the folder's other entries, and read after them; the snapshot's tree is the
 * same, in name order, and no copy is left behind, whether the backup ends or is cancelled.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, vi } from 'vitest';
import type * as SqliteSnapshot from '../../../../src-main/engine/backup/sqlite-snapshot';
import { snapshotSqlite } from '../../../../src-main/engine/backup/sqlite-snapshot';
import { backupSnapshot } from '../../../../src-main/engine/repository/snapshot-backup';
import { restoreSnapshot } from '../../../../src-main/engine/repository/snapshot-restore';
import { TreeReader } from '../../../../src-main/engine/repository/snapshot-reader';
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
