import type pg from 'pg';
import { z } from 'zod';

/** One table's exact row count, as the manifest keeps it and validation compares it. */
export const TableRowCountSchema = z.object({
  schema: z.string(),
  name: z.string(),
  rows: z.number().int().nonnegative(),
});
export type TableRowCount = z.infer<typeof TableRowCountSchema>;

/** A table by schema and name. */
export interface TableName {
  schema: string;
  name: string;
}

/**
 * The application's tables that hold rows: ordinary tables and partitions, outside the
 * system schemas, not created by an extension (whose rows the extension writes on restore,
 * so counting them would compare the extension's versions, not the backup).
 */
export const USER_TABLES_SQL = `
  SELECT n.nspname AS schema, c.relname AS name
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE c.relkind = 'r'
     AND n.nspname NOT IN ('pg_catalog', 'information_schema')
     AND n.nspname NOT LIKE 'pg\\_toast%'
     AND n.nspname NOT LIKE 'pg\\_temp\\_%'
     AND NOT EXISTS (
       SELECT 1 FROM pg_depend d
        WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
   ORDER BY 1, 2`;

/** The user tables of the connected database, sorted by schema and name. */
export async function listUserTables(client: pg.Client): Promise<TableName[]> {
  const result = await client.query<{ schema: string; name: string }>(USER_TABLES_SQL);
  return result.rows.map((row) => ({ schema: row.schema, name: row.name }));
}

/** `"schema"."name"`, quoted for SQL. */
export function qualifiedName(client: pg.Client, table: TableName): string {
  return `${client.escapeIdentifier(table.schema)}.${client.escapeIdentifier(table.name)}`;
}

/**
 * Exact row counts of every user table, in one statement so they see one snapshot (and, in a
 * REPEATABLE READ transaction, the transaction's).
 */
export async function countTableRows(client: pg.Client): Promise<TableRowCount[]> {
  const tables = await listUserTables(client);
  if (tables.length === 0) return [];
  const sql = tables
    .map(
      (table, index) =>
        `SELECT ${index} AS i, count(*)::bigint AS n FROM ${qualifiedName(client, table)}`,
    )
    .join(' UNION ALL ');
  const result = await client.query<{ i: number; n: string }>(sql);
  const counts = new Map(result.rows.map((row) => [Number(row.i), Number(row.n)]));
  return tables.map((table, index) => ({ ...table, rows: counts.get(index) ?? 0 }));
}

/** `schema.name` for messages. */
export function tableLabel(table: TableName): string {
  return table.schema === 'public' ? table.name : `${table.schema}.${table.name}`;
}
