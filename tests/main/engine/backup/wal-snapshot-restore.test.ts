/**
 * A database in WAL mode is backed up together with its WAL (issue 10, redesign item 4): rows
 * an app committed that are still only in its WAL (the app has the database open, checkpoints
 * off) are in the backup and come back with a restore, while the backup neither checkpoints
 * nor truncates the app's WAL nor writes its database file.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { withReadOnlyDatabase } from '../../../../src-main/engine/stores/sqlite/sqlite-open';
import { tempDir } from '../../../support/temp-dir';
import { appDemoPerTest, backUp, restore } from '../profiles/app-profiles-support';

const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

const notesIn = (file: string): number =>
  withReadOnlyDatabase(file, (db) => {
    const table = db
      .prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'app_notes'")
      .get();
    if (!table) return 0;
    return (db.prepare('SELECT count(*) AS n FROM app_notes').get() as { n: number }).n;
  });

describe('a backup of a database in WAL mode', () => {
  const openWebui = appDemoPerTest('open-webui');

  it('holds the rows only its WAL has, restores them, and leaves the app’s WAL alone', async () => {
    const { root, engine } = await openWebui();
    const file = path.join(root, 'webui.db');
    // The app has its database open in WAL mode and has not checkpointed what it wrote.
    const app = new Database(file);
    app.pragma('journal_mode = WAL');
    app.pragma('wal_autocheckpoint = 0');
    app.exec('CREATE TABLE app_notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
    const insert = app.prepare('INSERT INTO app_notes (body) VALUES (?)');
    app.transaction(() => {
      for (let i = 0; i < 30; i++) insert.run(`note ${i}`);
    })();
    // The rows are only in the WAL: the database file alone does not have them.
    const fileAlone = path.join(tempDir(), 'alone.db');
    fs.copyFileSync(file, fileAlone);
    expect(notesIn(fileAlone)).toBe(0);
    const before = {
      db: sha(file),
      wal: sha(`${file}-wal`),
      walBytes: fs.statSync(`${file}-wal`).size,
    };
    expect(before.walBytes).toBeGreaterThan(0);

    const backup = await backUp(engine, 'full');
    // Not checkpointed, not truncated, the database file not written.
    expect({
      db: sha(file),
      wal: sha(`${file}-wal`),
      walBytes: fs.statSync(`${file}-wal`).size,
    }).toEqual(before);
    expect(app.pragma('journal_mode', { simple: true })).toBe('wal');
    insert.run('after the backup');
    app.close();

    // The app's file is lost; the restore brings back what the WAL held at the backup.
    fs.rmSync(file);
    const report = await restore(engine, backup.id);
    expect(
      report.checks.every((check) => check.ok),
      JSON.stringify(report.checks),
    ).toBe(true);
    expect(notesIn(file)).toBe(30);
    // Restored in the mode the app had it in (header bytes 18 and 19 are 2 for WAL).
    expect([...fs.readFileSync(file).subarray(18, 20)]).toEqual([2, 2]);
    expect(fs.readdirSync(root).filter((name) => /-(wal|shm)$/.test(name))).toEqual([]);
  });
});
