/**
 * The integrity check of a staged database in its typed worker: its verdict for a sound, a
 * damaged and a missing file, read-only, with no `-wal`/`-shm` left beside a WAL-mode file.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { integrityCheckInWorker } from '../../../../src-main/engine/restore/integrity-worker';
import { tempDir } from '../../../support/temp-dir';

function database(file: string, journal: 'wal' | 'delete'): void {
  const db = new Database(file);
  db.pragma(`journal_mode = ${journal}`);
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT); CREATE INDEX t_body ON t (body);');
  const insert = db.prepare('INSERT INTO t (body) VALUES (?)');
  db.transaction(() => {
    for (let i = 0; i < 2000; i++) insert.run(`row ${i} ${'x'.repeat(i % 50)}`);
  })();
  db.close();
}

describe('the integrity check worker', () => {
  it.each(['wal', 'delete'] as const)(
    'passes a sound %s database and leaves its folder as it was',
    async (journal) => {
      const dir = tempDir();
      const file = path.join(dir, 'app.db');
      database(file, journal);
      const bytes = fs.readFileSync(file);
      expect(await integrityCheckInWorker(file, 'data/app.db')).toEqual({
        name: 'integrity_check data/app.db',
        ok: true,
        detail: 'ok',
      });
      expect(fs.readdirSync(dir)).toEqual(['app.db']);
      expect(fs.readFileSync(file).equals(bytes)).toBe(true);
    },
  );

  it('fails a damaged database with what SQLite found', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'app.db');
    database(file, 'delete');
    const db = new Database(file);
    // Drop the index's rows behind SQLite's back: the table and its index disagree.
    const root = (
      db.prepare("SELECT rootpage FROM sqlite_schema WHERE name = 't_body'").get() as {
        rootpage: number;
      }
    ).rootpage;
    db.close();
    const bytes = fs.readFileSync(file);
    const pageSize = bytes.readUInt16BE(16);
    // An empty leaf index page where the index's root was.
    bytes.fill(0, (root - 1) * pageSize, root * pageSize);
    bytes[(root - 1) * pageSize] = 0x0a;
    bytes.writeUInt16BE(pageSize, (root - 1) * pageSize + 5);
    fs.writeFileSync(file, bytes);
    const check = await integrityCheckInWorker(file, 'app.db');
    expect(check.ok).toBe(false);
    expect(check.detail).toMatch(/missing from index t_body|wrong # of entries/);
  });

  it('fails a file that is not there, saying so', async () => {
    const check = await integrityCheckInWorker(path.join(tempDir(), 'gone.db'), 'gone.db');
    expect(check).toMatchObject({ name: 'integrity_check gone.db', ok: false });
    expect(check.detail).toMatch(/no database/);
  });
});
