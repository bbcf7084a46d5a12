import type pg from 'pg';
import { countTableRows, tableLabel, type TableRowCount } from './table-rows';

/** One table whose rows differ from the backup's count (or that is missing or extra). */
export interface RowCountMismatch {
  table: string;
  expected: number | null;
  found: number | null;
}

/** What validating a restored database found. */
export interface RestoreValidation {
  ok: boolean;
  /** Every table's rows in the restored database. */
  tables: TableRowCount[];
  mismatches: RowCountMismatch[];
  /** Constraints not validated (`NOT VALID`): rows may break them. */
  invalidConstraints: string[];
  /** Indexes left invalid or not ready (a failed build). */
  invalidIndexes: string[];
  /** The person's query: rows it returned, or its error. */
  query: { sql: string; rows: number; error: string | null } | null;
  /** One line a problem, for the message. */
  problems: string[];
}

/**
 * Compares row counts per table with the backup's (a missing or extra table counts as a
 * mismatch). Pure, so the rules are tested directly.
 */
export function compareRowCounts(
  expected: ReadonlyArray<TableRowCount>,
  found: ReadonlyArray<TableRowCount>,
): RowCountMismatch[] {
  const key = (table: TableRowCount) => `${table.schema}\u0000${table.name}`;
  const foundByKey = new Map(found.map((table) => [key(table), table]));
  const expectedKeys = new Set(expected.map(key));
  const mismatches: RowCountMismatch[] = [];
  for (const table of expected) {
    const restored = foundByKey.get(key(table));
    if (!restored || restored.rows !== table.rows) {
      mismatches.push({
        table: tableLabel(table),
        expected: table.rows,
        found: restored?.rows ?? null,
      });
    }
  }
  for (const table of found) {
    if (!expectedKeys.has(key(table))) {
      mismatches.push({ table: tableLabel(table), expected: null, found: table.rows });
    }
  }
  return mismatches;
}

/** "messages: 2000 in the backup, 1998 restored" and the like. */
export function describeMismatch(mismatch: RowCountMismatch): string {
  if (mismatch.found === null) return `${mismatch.table}: in the backup, missing after the restore`;
  if (mismatch.expected === null)
    return `${mismatch.table}: not in the backup, present after the restore`;
  return `${mismatch.table}: ${mismatch.expected} rows in the backup, ${mismatch.found} restored`;
}

/** Constraints on user tables that are not validated. */
const INVALID_CONSTRAINTS_SQL = `
  SELECT format('%s on %s', c.conname, c.conrelid::regclass) AS what
    FROM pg_constraint c
    JOIN pg_namespace n ON n.oid = c.connamespace
   WHERE NOT c.convalidated AND n.nspname NOT IN ('pg_catalog', 'information_schema')
   ORDER BY 1`;

/** Indexes that are invalid or not ready. */
const INVALID_INDEXES_SQL = `
  SELECT i.indexrelid::regclass::text AS what
    FROM pg_index i
    JOIN pg_class c ON c.oid = i.indexrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE (NOT i.indisvalid OR NOT i.indisready)
     AND n.nspname NOT IN ('pg_catalog', 'information_schema')
   ORDER BY 1`;

/** Constraints not validated and indexes not valid, in the connected database. */
export async function findInvalidObjects(
  client: pg.Client,
): Promise<{ invalidConstraints: string[]; invalidIndexes: string[] }> {
  const constraints = await client.query<{ what: string }>(INVALID_CONSTRAINTS_SQL);
  const indexes = await client.query<{ what: string }>(INVALID_INDEXES_SQL);
  return {
    invalidConstraints: constraints.rows.map((row) => row.what),
    invalidIndexes: indexes.rows.map((row) => row.what),
  };
}

/**
 * Validates a restored database before it goes live: row counts per table against the
 * backup's, every constraint validated, every index valid, and the person's query (run in a
 * read-only transaction; it must succeed and return at least one row).
 */
export async function validateRestoredDatabase(
  client: pg.Client,
  expected: ReadonlyArray<TableRowCount>,
  query?: string,
): Promise<RestoreValidation> {
  const tables = await countTableRows(client);
  const mismatches = compareRowCounts(expected, tables);
  const { invalidConstraints, invalidIndexes } = await findInvalidObjects(client);
  let queryResult: RestoreValidation['query'] = null;
  if (query && query.trim()) {
    try {
      await client.query('BEGIN READ ONLY');
      const result = await client.query(query);
      const rows = Array.isArray(result) ? (result.at(-1)?.rowCount ?? 0) : (result.rowCount ?? 0);
      queryResult = { sql: query, rows, error: rows > 0 ? null : 'it returned no rows' };
    } catch (error) {
      queryResult = {
        sql: query,
        rows: 0,
        error: error instanceof Error ? error.message : String(error),
      };
    } finally {
      await client.query('ROLLBACK').catch(() => {});
    }
  }
  const problems = [
    ...mismatches.map(describeMismatch),
    ...invalidConstraints.map((what) => `constraint ${what} is not valid`),
    ...invalidIndexes.map((what) => `index ${what} is not valid`),
    ...(queryResult?.error ? [`the check query failed: ${queryResult.error}`] : []),
  ];
  return {
    ok: problems.length === 0,
    tables,
    mismatches,
    invalidConstraints,
    invalidIndexes,
    query: queryResult,
    problems,
  };
}
