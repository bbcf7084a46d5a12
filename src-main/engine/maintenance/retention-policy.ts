import type Database from 'better-sqlite3';
import { TendFailure } from '../../../src-shared/errors';
import {
  RetentionPolicySchema,
  type RetentionPolicy,
} from '../../../src-shared/models/maintenance';

interface PolicyRow {
  table_name: string;
  hot_days: number;
  warm_days: number;
  cold_days: number;
  scrub_after_days: number | null;
}

/** The interactions table's retention policy (seed 004: 90 days hot, 2 years warm, 3 cold). */
export function readRetentionPolicy(db: Database.Database): RetentionPolicy {
  const row = db
    .prepare(`SELECT * FROM data_retention_policy WHERE table_name = 'interactions'`)
    .get() as PolicyRow | undefined;
  if (!row) {
    throw new TendFailure(
      'SCHEMA_OUTDATED',
      'assistant.db has no retention policy for interactions; run its schema migration.',
    );
  }
  return RetentionPolicySchema.parse({
    tableName: row.table_name,
    hotDays: row.hot_days,
    warmDays: row.warm_days,
    coldDays: row.cold_days,
    scrubAfterDays: row.scrub_after_days,
  });
}

/** Replaces the interactions table's retention policy. */
export function writeRetentionPolicy(
  db: Database.Database,
  policy: RetentionPolicy,
  now: Date = new Date(),
): RetentionPolicy {
  db.prepare(
    `UPDATE data_retention_policy SET hot_days = ?, warm_days = ?, cold_days = ?,
       scrub_after_days = ?, updated_at = ? WHERE table_name = 'interactions'`,
  ).run(policy.hotDays, policy.warmDays, policy.coldDays, policy.scrubAfterDays, now.toISOString());
  return readRetentionPolicy(db);
}

/** The UTC day `days` before `now`, as YYYY-MM-DD. */
export function dayBefore(now: Date, days: number): string {
  const start = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return new Date(start - days * 86_400_000).toISOString().slice(0, 10);
}
