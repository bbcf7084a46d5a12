import type Database from 'better-sqlite3';
import { openOwnDatabase } from '../stores/sqlite/sqlite-open';
import { TendFailure } from '../../../src-shared/errors';

const HISTORY_VERSION = 1;

/**
 * The warm tier's schema (seed 004's "historical database", beside assistant.db).
 *
 * Aggregates are kept per day, query type and role, so the dashboard's daily figures read
 * the warm tier as they read the hot one; `interaction_monthly` sums them by month. Every
 * moved batch is recorded, so an interrupted run is finished (never repeated) by the next.
 */
const HISTORY_SCHEMA = `
CREATE TABLE interaction_daily (
  day TEXT NOT NULL,
  query_type TEXT NOT NULL,
  user_role TEXT NOT NULL,
  interactions INTEGER NOT NULL CHECK (interactions > 0),
  successes INTEGER NOT NULL,
  response_ms_sum REAL NOT NULL,
  response_length_sum INTEGER NOT NULL,
  ratings INTEGER NOT NULL,
  rating_sum INTEGER NOT NULL,
  PRIMARY KEY (day, query_type, user_role)
) STRICT, WITHOUT ROWID;

CREATE VIEW interaction_monthly AS
  SELECT substr(day, 1, 7) AS month, query_type, user_role,
    sum(interactions) AS interactions, sum(successes) AS successes,
    sum(response_ms_sum) AS response_ms_sum, sum(response_length_sum) AS response_length_sum,
    sum(ratings) AS ratings, sum(rating_sum) AS rating_sum
  FROM interaction_daily GROUP BY 1, 2, 3;

-- One batch of hot rows moved out: its aggregates went in with the row, its rows leave
-- assistant.db in a second transaction ('pending-delete' until then).
CREATE TABLE archived_batches (
  id TEXT PRIMARY KEY,
  month TEXT NOT NULL,
  range_start TEXT NOT NULL,
  range_end TEXT NOT NULL,
  first_id INTEGER NOT NULL,
  last_id INTEGER NOT NULL,
  rows INTEGER NOT NULL,
  cold_file TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending-delete', 'done')),
  archived_at TEXT NOT NULL
) STRICT;

-- hot_from: the hot tier answers for days >= it, the warm tier for days before it.
-- warm_from: the warm tier answers for days >= it, the cold tier for days before it.
CREATE TABLE tier_bounds (
  name TEXT PRIMARY KEY CHECK (name IN ('hot_from', 'warm_from')),
  day TEXT NOT NULL
) STRICT;
`;

/** The warm tier's database. */
export type HistoryDb = Database.Database;

/** Opens (or creates, in WAL) the historical database, its journal mode kept. */
export function openHistoryDb(file: string): HistoryDb {
  // Tend writes this file (the warm tier), but it lives in the data folder and the analytics
  // profile's app writes it too: a new one starts in WAL, an existing one keeps its mode.
  const db = openOwnDatabase(file, { create: true, keepJournalMode: true });
  try {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > HISTORY_VERSION) {
      throw new TendFailure(
        'SCHEMA_NEWER',
        `${file} was written by a newer Tend (version ${version}). Update Tend.`,
      );
    }
    if (version === 0) {
      db.transaction(() => {
        db.exec(HISTORY_SCHEMA);
        db.pragma(`user_version = ${HISTORY_VERSION}`);
      })();
    }
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** The day bounds between the tiers, or null before the first archival. */
export function readTierBounds(db: HistoryDb): { hotFrom: string | null; warmFrom: string | null } {
  const rows = db.prepare('SELECT name, day FROM tier_bounds').all() as Array<{
    name: string;
    day: string;
  }>;
  const find = (name: string) => rows.find((row) => row.name === name)?.day ?? null;
  return { hotFrom: find('hot_from'), warmFrom: find('warm_from') };
}

/** Moves a bound forward (never back: a day once moved out of a tier is not in it any more). */
export function raiseTierBound(db: HistoryDb, name: 'hot_from' | 'warm_from', day: string): void {
  db.prepare(
    `INSERT INTO tier_bounds (name, day) VALUES (?, ?)
     ON CONFLICT(name) DO UPDATE SET day = max(tier_bounds.day, excluded.day)`,
  ).run(name, day);
}
