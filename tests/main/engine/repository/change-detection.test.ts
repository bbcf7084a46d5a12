import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  companionsUnchangedSince,
  racilyRead,
  RACY_WINDOW_NS,
  unchangedSince,
} from '../../../../src-main/engine/repository/change-detection';
import { backupSnapshot } from '../../../../src-main/engine/repository/snapshot-backup';
import { restoreSnapshot } from '../../../../src-main/engine/repository/snapshot-restore';
import type { TreeNode } from '../../../../src-main/engine/repository/tree-node';
import { sameNode } from '../../../../src-main/engine/repository/tree-node';
import { tempDir, writeFile } from '../../../support/temp-dir';
import { newRepository, tableRows, writeSampleTree } from './repository-fixtures';

const ID = 'a'.repeat(64);
const node: TreeNode = {
  name: 'f',
  type: 'file',
  mode: 0o644,
  mtime: 1_000n,
  atime: 1_000n,
  ctime: 2_000n,
  uid: 0,
  gid: 0,
  inode: 7n,
  size: 10,
  content: [ID],
};
const stat = { size: 10n, mtimeNs: 1_000n, ctimeNs: 2_000n, ino: 7n };
const has = { has: () => true };

describe('change detection', () => {
  it.each([
    ['the same size, times and inode', {}, true],
    ['another size', { size: 11n }, false],
    ['another mtime', { mtimeNs: 1_001n }, false],
    ['another ctime', { ctimeNs: 2_001n }, false],
    ['another inode', { ino: 8n }, false],
  ])('unchangedSince: %s → %s', (_, change, expected) => {
    expect(unchangedSince({ ...stat, ...change }, node, has)).toBe(expected);
  });

  it('unchangedSince: a blob missing from the index means reading again', () => {
    expect(unchangedSince(stat, node, { has: () => false })).toBe(false);
  });

  const start = 100n * RACY_WINDOW_NS;
  it.each([
    ['written long before the parent began', start - 2n * RACY_WINDOW_NS, false],
    ['written just before the parent began', start - RACY_WINDOW_NS / 2n, true],
    ['written after the parent began', start + 1n, true],
  ])('racilyRead: a file %s → %s', (_, mtime, expected) => {
    expect(racilyRead({ mtime }, start)).toBe(expected);
  });

  const longBefore = start - 2n * RACY_WINDOW_NS;
  const justBefore = start - RACY_WINDOW_NS / 2n;
  const wal = (size: bigint, mtimeNs: bigint, ctimeNs: bigint) => ({ size, mtimeNs, ctimeNs });
  it.each([
    ['no companions', null, null, true],
    ['an empty WAL (checkpointed)', wal(0n, start + 1n, start + 1n), null, true],
    [
      'a WAL with frames, untouched since long before',
      wal(4120n, longBefore, longBefore),
      null,
      true,
    ],
    ['a WAL written just before the parent began', wal(4120n, justBefore, justBefore), null, false],
    ['a WAL written after the parent began', wal(4120n, start + 1n, start + 1n), null, false],
    [
      'a WAL with an old mtime but a new ctime (put back)',
      wal(4120n, longBefore, start + 1n),
      null,
      false,
    ],
    ['a rollback journal', null, wal(512n, longBefore, longBefore), false],
    ['an empty rollback journal (truncate mode, committed)', null, wal(0n, start, start), true],
  ])('companionsUnchangedSince: %s → %s', (_, walStat, journal, expected) => {
    expect(companionsUnchangedSince(walStat, journal, start)).toBe(expected);
  });

  it.each([
    ['the same node', {}, true],
    ['only the access time moved', { atime: 5_000n }, true],
    ['another mtime', { mtime: 1_001n }, false],
    ['other content', { content: ['b'.repeat(64)] }, false],
    ['another mode', { mode: 0o600 }, false],
  ])('sameNode: %s → %s', (_, change, expected) => {
    expect(sameNode(node, { ...node, ...change } as TreeNode)).toBe(expected);
  });
});

/** Sets every entry's times an hour back, as a tree that has not been touched for a while. */
function ageTree(root: string): void {
  const past = new Date(Date.now() - 3600_000);
  const walk = (dir: string) => {
    for (const name of fs.readdirSync(dir)) {
      const full = path.join(dir, name);
      const entry = fs.lstatSync(full);
      if (entry.isDirectory()) walk(full);
      if (!entry.isSymbolicLink()) fs.utimesSync(full, past, past);
    }
  };
  walk(root);
}

describe('an unchanged backup reads nothing, a changed database is read again', () => {
  it('reads no byte of an unchanged tree, the database included, and writes only the snapshot', async () => {
    const root = tempDir();
    writeSampleTree(root);
    ageTree(root);
    const repository = await newRepository(path.join(tempDir(), 'repo'));
    await backupSnapshot(repository, { root });
    const second = await backupSnapshot(repository, { root });
    expect(second.bytesRead).toBe(0);
    expect(second.files.changed + second.files.new).toBe(0);
    expect(second.packsWritten).toBe(0);
  });

  it('a database changed through its WAL (main file untouched) is read again and restores with the change', async () => {
    const root = tempDir();
    writeSampleTree(root);
    const dbFile = path.join(root, 'local_data/internal_assistant/assistant.db');
    const db = new Database(dbFile);
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0');
    db.close();
    ageTree(root);
    const repository = await newRepository(path.join(tempDir(), 'repo'));
    await backupSnapshot(repository, { root });

    const writer = new Database(dbFile);
    writer.pragma('wal_autocheckpoint = 0');
    writer.prepare('INSERT INTO notes (body) VALUES (?)').run('written to the WAL only');
    // The main file keeps its size and times while the row sits in the WAL.
    const before = fs.statSync(dbFile, { bigint: true });
    const second = await backupSnapshot(repository, { root });
    const after = fs.statSync(dbFile, { bigint: true });
    writer.close();
    expect(after.mtimeNs).toBe(before.mtimeNs);
    expect(second.files.changed).toBe(1);

    const out = path.join(tempDir(), 'out');
    await restoreSnapshot(repository, second.snapshotId, { target: out });
    const rows = tableRows(
      path.join(out, 'local_data/internal_assistant/assistant.db'),
      'notes',
    ) as Array<{ body: string }>;
    expect(rows.at(-1)!.body).toBe('written to the WAL only');
  });

  it('a database whose WAL holds frames but is untouched since the parent began is not read again', async () => {
    const root = tempDir();
    writeSampleTree(root);
    const dbFile = path.join(root, 'local_data/internal_assistant/assistant.db');
    // The assistant keeps the database open in WAL mode; its last commits sit in the WAL.
    const writer = new Database(dbFile);
    writer.pragma('journal_mode = WAL');
    writer.pragma('wal_autocheckpoint = 0');
    writer.prepare('INSERT INTO notes (body) VALUES (?)').run('in the WAL');
    try {
      ageTree(root);
      expect(fs.statSync(`${dbFile}-wal`).size).toBeGreaterThan(0);
      const repository = await newRepository(path.join(tempDir(), 'repo'));
      // A parent that began well after the last write (as a backup some seconds later would).
      const first = await backupSnapshot(repository, { root, time: new Date(Date.now() + 10_000) });
      expect(first.bytesRead).toBeGreaterThan(0);
      const second = await backupSnapshot(repository, { root, parent: first.snapshotId });
      expect(second.bytesRead).toBe(0);
      expect(second.files.changed + second.files.new).toBe(0);

      writer.prepare('INSERT INTO notes (body) VALUES (?)').run('a later commit, WAL only');
      const third = await backupSnapshot(repository, { root, parent: second.snapshotId });
      expect(third.files.changed).toBe(1);
      const out = path.join(tempDir(), 'out');
      await restoreSnapshot(repository, third.snapshotId, { target: out });
      const rows = tableRows(
        path.join(out, 'local_data/internal_assistant/assistant.db'),
        'notes',
      ) as Array<{ body: string }>;
      expect(rows.at(-1)!.body).toBe('a later commit, WAL only');
    } finally {
      writer.close();
    }
  });

  it('a file written just before the parent snapshot is read again', async () => {
    const root = tempDir();
    writeFile(path.join(root, 'fresh.txt'), 'one');
    const repository = await newRepository(path.join(tempDir(), 'repo'));
    await backupSnapshot(repository, { root });
    const second = await backupSnapshot(repository, { root });
    expect(second.files.changed).toBe(1);
    expect(second.bytesRead).toBe(3);
  });
});
