import type { CatalogMigration } from '../migration';

/**
 * Maintenance: which schedules the person paused, and which job each scheduled or manual run
 * started, so the Maintenance page shows every schedule's history without its owner's help.
 */
export const migration006Maintenance: CatalogMigration = {
  version: 6,
  name: 'maintenance',
  up(db) {
    db.exec(`
      CREATE TABLE schedule_state (
        schedule_id TEXT PRIMARY KEY,
        paused INTEGER NOT NULL CHECK (paused IN (0, 1)),
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE TABLE schedule_job_runs (
        job_id TEXT PRIMARY KEY,
        schedule_id TEXT NOT NULL,
        trigger TEXT NOT NULL CHECK (trigger IN ('schedule', 'catch-up', 'manual')),
        started_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX schedule_job_runs_by_schedule ON schedule_job_runs (schedule_id, started_at DESC);
    `);
  },
};
