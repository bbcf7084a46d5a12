import type { AssistantMigration } from './assistant-migration';

/**
 * Version 2: what the analytics lifecycle needs (seed 004).
 *
 * - `interactions.scrubbed_at`: when the privacy scrub replaced a row's identifiers, so a
 *   scrub never hashes a hash twice and the preview counts only what is left to do;
 * - `data_retention_policy`: the days each table keeps rows hot, warm and cold, and the age
 *   after which the scrub applies, edited from Settings;
 * - a covering index for the dashboard's daily figures, so a range over the hot tier reads
 *   the index only, never the rows with their query text.
 */
export const assistantMigration002AnalyticsLifecycle: AssistantMigration = {
  version: 2,
  name: 'analytics-lifecycle',
  up(db) {
    db.exec(`
      ALTER TABLE interactions ADD COLUMN scrubbed_at TEXT;
      CREATE TABLE data_retention_policy (
        table_name TEXT PRIMARY KEY,
        hot_days INTEGER NOT NULL CHECK (hot_days >= 1),
        warm_days INTEGER NOT NULL CHECK (warm_days >= hot_days),
        cold_days INTEGER NOT NULL CHECK (cold_days >= warm_days),
        scrub_after_days INTEGER CHECK (scrub_after_days IS NULL OR scrub_after_days >= 1),
        updated_at TEXT NOT NULL
      ) STRICT;
      INSERT INTO data_retention_policy (table_name, hot_days, warm_days, cold_days, scrub_after_days, updated_at)
        VALUES ('interactions', 90, 730, 1095, 30, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
      CREATE INDEX interactions_daily ON interactions (timestamp, success, response_time_ms, user_rating);
    `);
  },
};
