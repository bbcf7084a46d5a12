import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrateCatalog } from '../../../../../src-main/engine/catalog/catalog';
import { catalogMigrations } from '../../../../../src-main/engine/catalog/migrations';

describe('catalog migration 003: backups', () => {
  it('adds the backups table on top of a version 2 catalog, keeping its rows', () => {
    const db = new Database(':memory:');
    const upTo = (version: number) => catalogMigrations.filter((m) => m.version <= version);
    migrateCatalog(db, upTo(2));
    db.prepare(
      `INSERT INTO schedule_runs VALUES ('backup:daily-critical', '2026-11-20T03:00:00Z', NULL)`,
    ).run();
    expect(migrateCatalog(db, upTo(3))).toBe(3);
    const insert = db.prepare(
      `INSERT INTO backups (id, kind, categories, state, destination, file_name, created_at, origin, host)
       VALUES (?, 'critical', '[]', ?, '/b', 'f', '2026-11-20', 'created', 'h')`,
    );
    insert.run('tend-20261120-030000-critical', 'running');
    expect(() => insert.run('tend-20261120-030000-critical', 'completed')).toThrow(/UNIQUE/);
    expect(() => insert.run('other', 'half-done')).toThrow(/CHECK/);
    expect(db.prepare('SELECT verify_state, warnings FROM backups').get()).toEqual({
      verify_state: 'unverified',
      warnings: '[]',
    });
    expect(db.prepare('SELECT count(*) AS n FROM schedule_runs').get()).toEqual({ n: 1 });
  });
});
