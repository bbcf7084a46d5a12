import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrateCatalog } from '../../../../../src-main/engine/catalog/catalog';
import { catalogMigrations } from '../../../../../src-main/engine/catalog/migrations';

describe('catalog migration 002: schedule runs', () => {
  it('adds schedule_runs on top of a version 1 catalog with jobs in it', () => {
    const db = new Database(':memory:');
    migrateCatalog(db, catalogMigrations.slice(0, 1));
    db.prepare(
      `INSERT INTO jobs (id, kind, title, state, writes_root, owner, progress, created_at)
       VALUES ('j', 'demo', 't', 'succeeded', 1, 'h:1', '{}', '2026-01-01')`,
    ).run();
    expect(migrateCatalog(db, catalogMigrations.slice(0, 2))).toBe(2);
    db.prepare(`INSERT INTO schedule_runs VALUES ('daily', '2026-11-20T03:00:00Z', 'j')`).run();
    expect(() =>
      db.prepare(`INSERT INTO schedule_runs VALUES ('daily', '2026-11-21T03:00:00Z', NULL)`).run(),
    ).toThrow(/UNIQUE/);
    expect(db.prepare('SELECT count(*) AS n FROM jobs').get()).toEqual({ n: 1 });
  });
});
