import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  applyAssistantMigrations,
  assistantMigrations,
} from '../../../../../src-main/engine/store/migrations';
import { assistantMigration001Initial } from '../../../../../src-main/engine/store/migrations/001-initial';

describe('assistant migration 002: analytics lifecycle', () => {
  it('keeps every interaction, adds scrubbed_at, the retention policy and the daily index', () => {
    const db = new Database(':memory:');
    applyAssistantMigrations(db, [assistantMigration001Initial]);
    const insert = db.prepare(
      `INSERT INTO interactions (session_id, timestamp, user_role, query, query_type, response_time_ms,
         response_length, success, user_rating, ip, created_at)
       VALUES ('s', ?, 'dev', 'q', 'general', 12.5, 10, 1, NULL, NULL, ?)`,
    );
    insert.run('2026-01-01T10:00:00.000Z', '2026-01-01T10:00:01.000Z');
    insert.run('2026-01-02T10:00:00.000Z', '2026-01-02T10:00:01.000Z');

    expect(applyAssistantMigrations(db, assistantMigrations)).toBe(2);
    expect(db.prepare('SELECT count(*) AS n FROM interactions').get()).toEqual({ n: 2 });
    expect(
      db.prepare('SELECT count(*) AS n FROM interactions WHERE scrubbed_at IS NULL').get(),
    ).toEqual({ n: 2 });
    expect(
      db
        .prepare(
          'SELECT hot_days, warm_days, cold_days, scrub_after_days FROM data_retention_policy',
        )
        .get(),
    ).toEqual({ hot_days: 90, warm_days: 730, cold_days: 1095, scrub_after_days: 30 });
    expect(() =>
      db.prepare(`UPDATE data_retention_policy SET warm_days = 10, hot_days = 90`).run(),
    ).toThrow(/CHECK/);
    // The daily figures were filled from the rows there, and triggers keep them exact.
    const days = () =>
      db.prepare('SELECT * FROM interaction_days WHERE interactions > 0 ORDER BY day').all();
    const grouped = () =>
      db
        .prepare(
          `SELECT substr(timestamp, 1, 10) AS day, count(*) AS interactions, sum(success) AS successes,
             sum(response_time_ms) AS response_ms_sum, count(user_rating) AS ratings,
             coalesce(sum(user_rating), 0) AS rating_sum
           FROM interactions GROUP BY 1 ORDER BY 1`,
        )
        .all();
    expect(days()).toEqual(grouped());
    insert.run('2026-01-02T11:00:00.000Z', '2026-01-02T11:00:01.000Z');
    db.prepare(`UPDATE interactions SET user_rating = 5, success = 0 WHERE id = 1`).run();
    db.prepare(`UPDATE interactions SET timestamp = '2026-01-03T09:00:00.000Z' WHERE id = 2`).run();
    db.prepare(`DELETE FROM interactions WHERE id = 1`).run();
    expect(days()).toEqual(grouped());
  });
});
