import type { CatalogMigration } from '../migration';

/**
 * Index health runs, compactions and SQLite upkeep runs: what the Indexes page shows and what
 * decides when the weekly integrity check is due.
 */
export const migration005IndexHealth: CatalogMigration = {
  version: 5,
  name: 'index-health',
  up(db) {
    db.exec(`
      CREATE TABLE index_health (
        id INTEGER PRIMARY KEY,
        collection TEXT NOT NULL,
        checked_at TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('ok', 'warning', 'bad')),
        recall REAL CHECK (recall IS NULL OR (recall >= 0 AND recall <= 1)),
        -- The whole IndexHealth as JSON: checks with reasons, counts, compaction started.
        report TEXT NOT NULL,
        job_id TEXT
      ) STRICT;
      CREATE INDEX index_health_by_collection ON index_health (collection, checked_at DESC);

      CREATE TABLE index_compactions (
        id INTEGER PRIMARY KEY,
        collection TEXT NOT NULL,
        reason TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT NOT NULL,
        vectors_before INTEGER,
        vectors_after INTEGER NOT NULL CHECK (vectors_after >= 0),
        bytes_before INTEGER,
        bytes_after INTEGER NOT NULL CHECK (bytes_after >= 0),
        seconds REAL NOT NULL CHECK (seconds >= 0),
        job_id TEXT
      ) STRICT;
      CREATE INDEX index_compactions_by_collection
        ON index_compactions (collection, finished_at DESC);

      CREATE TABLE db_upkeep (
        id INTEGER PRIMARY KEY,
        database TEXT NOT NULL CHECK (database IN ('assistant', 'catalog')),
        ran_at TEXT NOT NULL,
        bytes_before INTEGER NOT NULL,
        bytes_after INTEGER NOT NULL,
        checkpointed_frames INTEGER NOT NULL,
        wal_bytes_before INTEGER NOT NULL,
        free_pages_before INTEGER NOT NULL,
        page_count INTEGER NOT NULL,
        vacuumed INTEGER NOT NULL CHECK (vacuumed IN (0, 1)),
        -- NULL when the weekly integrity check was not due on this run.
        integrity TEXT,
        job_id TEXT
      ) STRICT;
      CREATE INDEX db_upkeep_by_database ON db_upkeep (database, ran_at DESC);
    `);
  },
};
