import { withClient, type PostgresConnection } from './connection';
import { findInvalidObjects } from './restore-validate';
import { countTableRows, type TableRowCount } from './table-rows';

/** What `tend migrate check` reports (the seed's `migration-workflow.sh check`). */
export interface IntegrityReport {
  ok: boolean;
  tableCount: number;
  /** Exact rows of every table. */
  tables: TableRowCount[];
  /** Constraints not validated (`NOT VALID`): existing rows may break them. */
  invalidConstraints: string[];
  /** Indexes left invalid or not ready (a failed or interrupted build). */
  invalidIndexes: string[];
}

/**
 * Checks a database's integrity without changing it: every constraint validated, every
 * index valid and ready, and each table's exact row count. Runs in one read-only
 * REPEATABLE READ transaction, so the counts are of one moment.
 */
export async function checkDatabaseIntegrity(
  connection: PostgresConnection,
): Promise<IntegrityReport> {
  return withClient(connection, 'integrity check', async (client) => {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    try {
      const tables = await countTableRows(client);
      const { invalidConstraints, invalidIndexes } = await findInvalidObjects(client);
      return {
        ok: invalidConstraints.length === 0 && invalidIndexes.length === 0,
        tableCount: tables.length,
        tables,
        invalidConstraints,
        invalidIndexes,
      };
    } finally {
      await client.query('ROLLBACK').catch(() => {});
    }
  });
}
