import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrateCatalog } from '../../../../../src-main/engine/catalog/catalog';
import { catalogMigrations } from '../../../../../src-main/engine/catalog/migrations';

describe('catalog migration 004: usage history', () => {
  it('adds snapshots, their categories and alerts on top of the earlier migrations', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrateCatalog(
      db,
      catalogMigrations.filter((m) => m.version < 4),
    );
    db.prepare(
      `INSERT INTO jobs (id, kind, title, state, writes_root, owner, progress, created_at)
       VALUES ('j', 'usage-scan', 't', 'succeeded', 0, 'h:1', '{}', '2026-01-01')`,
    ).run();
    expect(
      migrateCatalog(
        db,
        catalogMigrations.filter((m) => m.version <= 4),
      ),
    ).toBe(4);

    const id = db
      .prepare(
        `INSERT INTO usage_snapshots (taken_at, apparent_bytes, allocated_bytes, files, free_bytes, total_disk_bytes)
         VALUES ('2026-11-20T03:00:00Z', 10, 8192, 2, 100, 1000)`,
      )
      .run().lastInsertRowid;
    const category = db.prepare(`INSERT INTO usage_snapshot_categories VALUES (?, ?, 10, 8192, 2)`);
    category.run(id, 'disposable');
    expect(() => category.run(id, 'disposable')).toThrow(/UNIQUE|PRIMARY/);
    expect(() => category.run(id, 'photos')).toThrow(/CHECK/);
    db.prepare('DELETE FROM usage_snapshots WHERE id = ?').run(id);
    expect(db.prepare('SELECT count(*) AS n FROM usage_snapshot_categories').get()).toEqual({
      n: 0,
    });
    db.prepare(
      `INSERT INTO usage_alerts (key, raised_at, alert) VALUES ('free-space', 'x', '{}')`,
    ).run();
    expect(db.prepare('SELECT count(*) AS n FROM jobs').get()).toEqual({ n: 1 });
  });
});
