import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrateCatalog } from '../../../../../src-main/engine/catalog/catalog';
import { catalogMigrations } from '../../../../../src-main/engine/catalog/migrations';
import { migration006Maintenance } from '../../../../../src-main/engine/catalog/migrations/006-maintenance';

describe('catalog migration 006: maintenance', () => {
  it('adds schedule state and run links on top of the earlier catalog, keeping its rows', () => {
    const db = new Database(':memory:');
    const earlier = catalogMigrations.filter((m) => m.version < 6);
    migrateCatalog(db, earlier);
    db.prepare(`INSERT INTO schedule_runs VALUES ('archival', '2026-11-20T03:00:00Z', 'j')`).run();
    expect(migrateCatalog(db, [...earlier, migration006Maintenance])).toBe(6);
    expect(db.prepare('SELECT count(*) AS n FROM schedule_runs').get()).toEqual({ n: 1 });

    db.prepare(`INSERT INTO schedule_state VALUES ('archival', 1, '2026-11-20')`).run();
    expect(() =>
      db.prepare(`INSERT INTO schedule_state VALUES ('scrub', 2, '2026-11-20')`).run(),
    ).toThrow(/CHECK/);
    const link = db.prepare(
      `INSERT INTO schedule_job_runs VALUES (?, 'archival', ?, '2026-11-20')`,
    );
    link.run('j1', 'manual');
    expect(() => link.run('j2', 'by-magic')).toThrow(/CHECK/);
    expect(() => link.run('j1', 'schedule')).toThrow(/UNIQUE/);
  });
});
