/**
 * The analytics system's stores (seed 004): the hot and the warm database, each checked by
 * SQLite and for the seed's tables, and the cold tier's compressed archives.
 */
import path from 'node:path';
import { filesStore } from '../../stores/files/files-store';
import { checkDatabase } from '../../stores/sqlite/sqlite-check';
import { withReadOnlyDatabase } from '../../stores/sqlite/sqlite-open';
import { sqliteStore } from '../../stores/sqlite/sqlite-store';
import { storeCheck, type StoreFinding } from '../../stores/store-finding';
import type { InstanceCheck, ProfileStore } from '../profile';
import { defineStore, summarised } from '../profile-store';
import { analyticsPaths, historicalTables, hotTables } from './analytics-paths';

/** Rows of each of `tables` present in a database; absent tables are left out. */
function rowCounts(file: string, tables: ReadonlyArray<string>): Map<string, number> {
  return withReadOnlyDatabase(file, (db) => {
    const present = new Set(
      (
        db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all() as Array<{
          name: string;
        }>
      ).map((row) => row.name),
    );
    const counts = new Map<string, number>();
    for (const table of tables) {
      if (!present.has(table)) continue;
      const row = db.prepare(`SELECT count(*) AS n FROM "${table}"`).get() as { n: number };
      counts.set(table, row.n);
    }
    return counts;
  });
}

/**
 * A tier's database passes SQLite's check and has the seed's tables; the summary gives the
 * rows of the first two.
 */
export async function checkTierDatabase(
  file: string,
  tables: ReadonlyArray<string>,
): Promise<InstanceCheck> {
  const label = path.basename(file);
  const sqlite = await checkDatabase(file, { label });
  if (!sqlite.ok) return summarised(sqlite);
  const counts = rowCounts(file, tables);
  const missing = tables.filter((table) => !counts.has(table));
  const findings: StoreFinding[] = [...sqlite.findings];
  if (missing.length > 0) {
    findings.push({
      code: 'SQLITE_TABLES_MISSING',
      severity: 'problem',
      path: label,
      message: `${label} has no ${missing.join(', ')}: the analytics system cannot read or write it as it is.`,
      action: `Restore ${label} from a backup made before the tables went.`,
    });
  }
  const check = storeCheck({ ...sqlite.facts, rows: Object.fromEntries(counts) }, findings);
  if (!check.ok) return summarised(check);
  const shown = [...counts]
    .slice(0, 2)
    .map(([table, rows]) => `${rows} rows in ${table}`)
    .join(', ');
  return { ...check, summary: `sound; ${shown}` };
}

/** Tier 1: the hot database (WAL mode; snapshotted with its WAL). */
const hotDb = defineStore({
  id: 'hot-db',
  title: 'the hot tier (comprehensive_metrics.db)',
  kind: sqliteStore,
  paths: [analyticsPaths.hotDb],
  shape: 'file',
  category: 'irreplaceable',
  locate: ({ absolute }) => ({ file: absolute }),
  validation: `PRAGMA quick_check, and the seed's tables are there (${hotTables.join(', ')}).`,
  label: () => 'comprehensive_metrics.db',
  validate: ({ absolute }) => checkTierDatabase(absolute, hotTables),
});

/** Tier 2: the warm database of monthly aggregates. */
const historicalDb = defineStore({
  id: 'historical-db',
  title: 'the warm tier (historical_metrics.db)',
  kind: sqliteStore,
  paths: [analyticsPaths.historicalDb],
  shape: 'file',
  category: 'irreplaceable',
  locate: ({ absolute }) => ({ file: absolute }),
  validation: `PRAGMA quick_check, and the seed's tables are there (${historicalTables.join(', ')}).`,
  label: () => 'historical_metrics.db',
  validate: ({ absolute }) => checkTierDatabase(absolute, historicalTables),
});

/** Tier 3: compressed JSON archives (yearly summaries, compliance exports, dumps). */
const archive = defineStore({
  id: 'archive',
  title: 'the cold tier (analytics/archive)',
  kind: filesStore,
  paths: [analyticsPaths.archive],
  shape: 'folder',
  category: 'irreplaceable',
  locate: ({ absolute }) => ({ dir: absolute }),
  validation: 'Every byte of every file is read back.',
  label: () => 'analytics archive',
});

/** The analytics system's stores. */
export const analyticsStores: ReadonlyArray<ProfileStore> = [hotDb, historicalDb, archive];
