/**
 * Another app's database opened for a maintenance job (the analytics tiers): refused while any
 * other connection has it open, held so the app cannot write while the job runs, and left in
 * the journal mode the app keeps.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  isWalFile,
  openForeignExclusive,
} from '../../../../src-main/engine/stores/sqlite/sqlite-open';
import { tempDir } from '../../../support/temp-dir';

function appDatabase(wal: boolean): string {
  const file = path.join(tempDir(), 'metrics.db');
  const db = new Database(file);
  if (wal) db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1)');
  db.close();
  return file;
}

describe('openForeignExclusive', () => {
  it('refuses a WAL database another connection has open, even idle', () => {
    const file = appDatabase(true);
    const app = new Database(file);
    try {
      app.prepare('SELECT count(*) FROM t').get();
      expect(() => openForeignExclusive(file)).toThrow(
        expect.objectContaining({ code: 'MAINTENANCE_APP_RUNNING' }),
      );
    } finally {
      app.close();
    }
    expect(isWalFile(file)).toBe(true);
  });

  it.each([
    ['WAL', true],
    ['rollback-journal', false],
  ])('holds a %s database for the job and leaves its journal mode', (_name, wal) => {
    const file = appDatabase(wal);
    const db = openForeignExclusive(file);
    try {
      db.prepare('INSERT INTO t VALUES (2)').run();
      const app = new Database(file, { timeout: 0 });
      try {
        expect(() => app.prepare('INSERT INTO t VALUES (3)').run()).toThrow(/locked|busy/i);
      } finally {
        app.close();
      }
    } finally {
      db.close();
    }
    expect(isWalFile(file)).toBe(wal);
    const after = new Database(file, { readonly: true });
    try {
      expect(after.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 2 });
    } finally {
      after.close();
    }
  });

  it('names a missing file', () => {
    expect(() => openForeignExclusive(path.join(tempDir(), 'none.db'))).toThrow(
      expect.objectContaining({ code: 'FILE_UNREADABLE' }),
    );
  });
});
