/**
 * The backup's copy of a live SQLite database goes through stores/sqlite's rule: read-only.
 * The source is never written (its WAL not checkpointed into it, its journal mode kept), the
 * copy holds what the WAL holds, and no `-wal`/`-shm` is left where there was none.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  describeAssistantDb,
  snapshotSqlite,
} from '../../../../src-main/engine/backup/sqlite-snapshot';
import { tempDir } from '../../../support/temp-dir';

const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

function rowsOf(file: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('the SQLite snapshot of a backup', () => {
  it('copies a WAL database with its WAL and writes nothing to it', async () => {
    const dir = tempDir();
    const source = path.join(dir, 'app.db');
    // Another app has it open, with commits still in its WAL (no checkpoint yet).
    const app = new Database(source);
    app.pragma('journal_mode = WAL');
    app.pragma('wal_autocheckpoint = 0');
    app.exec('CREATE TABLE t (x INTEGER)');
    app.prepare('INSERT INTO t VALUES (?)').run(1);
    app.prepare('INSERT INTO t VALUES (?)').run(2);
    const before = { db: sha(source), wal: sha(`${source}-wal`) };

    const copy = path.join(dir, 'copy.db');
    await snapshotSqlite(source, copy);
    expect(rowsOf(copy)).toBe(2);
    // Not checkpointed: the database file and its WAL are as the app left them.
    expect({ db: sha(source), wal: sha(`${source}-wal`) }).toEqual(before);
    app.close();
  });

  it('does not checkpoint the WAL an app left when it stopped into its database', async () => {
    const dir = tempDir();
    const open = path.join(dir, 'open');
    fs.mkdirSync(open);
    const app = new Database(path.join(open, 'app.db'));
    app.pragma('journal_mode = WAL');
    app.pragma('wal_autocheckpoint = 0');
    app.exec('CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1); INSERT INTO t VALUES (2);');
    // The app stopped without closing (a crash): its database and WAL as they were.
    const stopped = path.join(dir, 'stopped');
    fs.cpSync(open, stopped, { recursive: true });
    app.close();
    const source = path.join(stopped, 'app.db');
    const before = { db: sha(source), wal: sha(`${source}-wal`) };

    const copy = path.join(dir, 'copy.db');
    await snapshotSqlite(source, copy);
    expect(rowsOf(copy)).toBe(2);
    expect({ db: sha(source), wal: sha(`${source}-wal`) }).toEqual(before);
  });

  it('leaves no -wal or -shm beside a WAL database nobody has open, and keeps its mode', async () => {
    const dir = tempDir();
    const source = path.join(dir, 'app.db');
    const app = new Database(source);
    app.pragma('journal_mode = WAL');
    app.exec('CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1);');
    app.close();
    expect(fs.readdirSync(dir)).toEqual(['app.db']);
    const bytes = sha(source);

    await snapshotSqlite(source, path.join(dir, 'copy.db'));
    expect(describeAssistantDb(source).collections).toEqual([]);
    expect(fs.readdirSync(dir).sort()).toEqual(['app.db', 'copy.db']);
    expect(sha(source)).toBe(bytes);
  });

  it('keeps a rollback-journal database in its mode', async () => {
    const dir = tempDir();
    const source = path.join(dir, 'app.db');
    const app = new Database(source);
    app.exec('CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1);');
    app.close();
    const bytes = sha(source);
    await snapshotSqlite(source, path.join(dir, 'copy.db'));
    expect(sha(source)).toBe(bytes);
    expect(fs.readdirSync(dir).sort()).toEqual(['app.db', 'copy.db']);
    const check = new Database(source, { readonly: true });
    expect(check.pragma('journal_mode', { simple: true })).toBe('delete');
    check.close();
  });
});
