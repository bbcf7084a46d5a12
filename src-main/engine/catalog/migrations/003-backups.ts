import type { CatalogMigration } from '../migration';

/**
 * Backups: every archive Tend wrote or found in a destination, its outcome and its last
 * verification. A row is written when a backup starts (state running) so that one killed part
 * way is found at the next start and marked interrupted.
 */
export const migration003Backups: CatalogMigration = {
  version: 3,
  name: 'backups',
  up(db) {
    db.exec(`
      CREATE TABLE backups (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        categories TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('running','completed','failed','cancelled','interrupted')),
        destination TEXT NOT NULL,
        file_name TEXT NOT NULL,
        created_at TEXT NOT NULL,
        finished_at TEXT,
        duration_ms INTEGER,
        archive_bytes INTEGER,
        archive_sha256 TEXT,
        files INTEGER,
        data_bytes INTEGER,
        verify_state TEXT NOT NULL DEFAULT 'unverified'
          CHECK (verify_state IN ('unverified','verified','failed')),
        verified_at TEXT,
        verify_message TEXT,
        warnings TEXT NOT NULL DEFAULT '[]',
        error TEXT,
        job_id TEXT,
        origin TEXT NOT NULL CHECK (origin IN ('created','imported')),
        host TEXT NOT NULL
      ) STRICT;
      CREATE INDEX backups_by_created ON backups (created_at DESC);
      CREATE INDEX backups_by_state ON backups (state);
    `);
  },
};
