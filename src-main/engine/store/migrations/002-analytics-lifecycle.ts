import type { AssistantMigration } from './assistant-migration';

/**
 * Version 2: what the analytics lifecycle needs (seed 004).
 *
 * - `interactions.scrubbed_at`: when the privacy scrub replaced a row's identifiers, so a
 *   scrub never hashes a hash twice and the preview counts only what is left to do;
 * - `data_retention_policy`: the days each table keeps rows hot, warm and cold, and the age
 *   after which the scrub applies, edited from Settings;
 * - `interaction_days`: the hot tier's daily figures, kept exact by triggers in the same
 *   transaction as every insert, delete or change of a row, so the dashboard reads a few
 *   hundred rows instead of scanning every interaction (seed 004's goal: under a second; ours:
 *   under 50 ms for a year). Filled from the rows already there.
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

      CREATE TABLE interaction_days (
        day TEXT PRIMARY KEY,
        interactions INTEGER NOT NULL,
        successes INTEGER NOT NULL,
        response_ms_sum REAL NOT NULL,
        ratings INTEGER NOT NULL,
        rating_sum INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
      INSERT INTO interaction_days
        SELECT substr(timestamp, 1, 10), count(*), sum(success), sum(response_time_ms),
          count(user_rating), coalesce(sum(user_rating), 0)
        FROM interactions GROUP BY 1;

      CREATE TRIGGER interaction_days_insert AFTER INSERT ON interactions BEGIN
        INSERT INTO interaction_days VALUES (substr(NEW.timestamp, 1, 10), 1, NEW.success,
          NEW.response_time_ms, NEW.user_rating IS NOT NULL, coalesce(NEW.user_rating, 0))
        ON CONFLICT (day) DO UPDATE SET
          interactions = interactions + 1,
          successes = successes + excluded.successes,
          response_ms_sum = response_ms_sum + excluded.response_ms_sum,
          ratings = ratings + excluded.ratings,
          rating_sum = rating_sum + excluded.rating_sum;
      END;

      CREATE TRIGGER interaction_days_delete AFTER DELETE ON interactions BEGIN
        UPDATE interaction_days SET
          interactions = interactions - 1,
          successes = successes - OLD.success,
          response_ms_sum = response_ms_sum - OLD.response_time_ms,
          ratings = ratings - (OLD.user_rating IS NOT NULL),
          rating_sum = rating_sum - coalesce(OLD.user_rating, 0)
        WHERE day = substr(OLD.timestamp, 1, 10);
      END;

      CREATE TRIGGER interaction_days_update
      AFTER UPDATE OF timestamp, success, response_time_ms, user_rating ON interactions BEGIN
        UPDATE interaction_days SET
          interactions = interactions - 1,
          successes = successes - OLD.success,
          response_ms_sum = response_ms_sum - OLD.response_time_ms,
          ratings = ratings - (OLD.user_rating IS NOT NULL),
          rating_sum = rating_sum - coalesce(OLD.user_rating, 0)
        WHERE day = substr(OLD.timestamp, 1, 10);
        INSERT INTO interaction_days VALUES (substr(NEW.timestamp, 1, 10), 1, NEW.success,
          NEW.response_time_ms, NEW.user_rating IS NOT NULL, coalesce(NEW.user_rating, 0))
        ON CONFLICT (day) DO UPDATE SET
          interactions = interactions + 1,
          successes = successes + excluded.successes,
          response_ms_sum = response_ms_sum + excluded.response_ms_sum,
          ratings = ratings + excluded.ratings,
          rating_sum = rating_sum + excluded.rating_sum;
      END;
    `);
  },
};
