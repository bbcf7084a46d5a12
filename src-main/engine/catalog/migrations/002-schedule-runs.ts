import type { CatalogMigration } from '../migration';

/** When each schedule last ran, so a run missed while the machine was off can catch up. */
export const migration002ScheduleRuns: CatalogMigration = {
  version: 2,
  name: 'schedule-runs',
  up(db) {
    db.exec(`
      CREATE TABLE schedule_runs (
        schedule_id TEXT PRIMARY KEY,
        last_run_at TEXT NOT NULL,
        last_job_id TEXT
      ) STRICT;
    `);
  },
};
