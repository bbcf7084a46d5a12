import type { CatalogMigration } from '../migration';

/** Jobs: every long action, its state, progress, result or error. */
export const migration001Jobs: CatalogMigration = {
  version: 1,
  name: 'jobs',
  up(db) {
    db.exec(`
      CREATE TABLE jobs (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        title TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('queued','running','succeeded','failed','cancelled','interrupted')),
        writes_root INTEGER NOT NULL CHECK (writes_root IN (0, 1)),
        owner TEXT NOT NULL,
        progress TEXT NOT NULL,
        created_at TEXT NOT NULL,
        started_at TEXT,
        finished_at TEXT,
        result TEXT,
        error TEXT
      ) STRICT;
      CREATE INDEX jobs_by_created ON jobs (created_at DESC);
      CREATE INDEX jobs_by_state ON jobs (state);
    `);
  },
};
