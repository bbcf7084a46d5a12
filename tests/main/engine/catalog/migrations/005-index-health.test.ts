import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrateCatalog } from '../../../../../src-main/engine/catalog/catalog';
import { catalogMigrations } from '../../../../../src-main/engine/catalog/migrations';

describe('catalog migration 005: index health', () => {
  it('adds index_health, index_compactions and db_upkeep on top of the earlier catalog', () => {
    const db = new Database(':memory:');
    migrateCatalog(
      db,
      catalogMigrations.filter((migration) => migration.version < 5),
    );
    db.prepare(
      `INSERT INTO jobs (id, kind, title, state, writes_root, owner, progress, created_at)
       VALUES ('j', 'vectors-health', 't', 'succeeded', 0, 'h:1', '{}', '2026-01-01')`,
    ).run();
    expect(
      migrateCatalog(
        db,
        catalogMigrations.filter((migration) => migration.version <= 5),
      ),
    ).toBe(5);
    db.prepare(
      `INSERT INTO index_health (collection, checked_at, status, recall, report, job_id)
       VALUES ('notes', '2026-11-20T03:00:00Z', 'ok', 0.98, '{}', 'j')`,
    ).run();
    expect(() =>
      db
        .prepare(
          `INSERT INTO index_health (collection, checked_at, status, recall, report)
           VALUES ('notes', '2026-11-20T03:00:00Z', 'fine', 0.5, '{}')`,
        )
        .run(),
    ).toThrow(/CHECK/);
    expect(() =>
      db
        .prepare(
          `INSERT INTO index_health (collection, checked_at, status, recall, report)
           VALUES ('notes', '2026-11-20T03:00:00Z', 'ok', 1.5, '{}')`,
        )
        .run(),
    ).toThrow(/CHECK/);
    db.prepare(
      `INSERT INTO index_compactions (collection, reason, started_at, finished_at, vectors_before,
         vectors_after, bytes_before, bytes_after, seconds)
       VALUES ('notes', 'asked for', 'a', 'b', NULL, 10, NULL, 100, 0.5)`,
    ).run();
    db.prepare(
      `INSERT INTO db_upkeep (database, ran_at, bytes_before, bytes_after, checkpointed_frames,
         wal_bytes_before, free_pages_before, page_count, vacuumed, integrity)
       VALUES ('catalog', 'now', 10, 5, 3, 4, 1, 2, 1, 'ok')`,
    ).run();
    expect(() =>
      db
        .prepare(
          `INSERT INTO db_upkeep (database, ran_at, bytes_before, bytes_after, checkpointed_frames,
             wal_bytes_before, free_pages_before, page_count, vacuumed)
           VALUES ('other', 'now', 1, 1, 0, 0, 0, 1, 0)`,
        )
        .run(),
    ).toThrow(/CHECK/);
    expect(db.prepare('SELECT count(*) AS n FROM jobs').get()).toEqual({ n: 1 });
  });
});
