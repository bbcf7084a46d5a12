import { withClient, type PostgresConnection } from './connection';

/** One table's share of the database, for the Overview beside the folders. */
export interface TableUsage {
  schema: string;
  name: string;
  /** The table's own pages (main fork, free-space and visibility maps). */
  tableBytes: number;
  /** Its TOAST table and TOAST index: long values stored out of line. */
  toastBytes: number;
  /** All its indexes. */
  indexBytes: number;
  totalBytes: number;
  /** The planner's estimate (pg_class.reltuples); -1 when never analyzed. */
  estimatedRows: number;
}

/** A database's size by table. */
export interface DatabaseUsage {
  database: string;
  /** pg_database_size: everything, catalogs included. */
  databaseBytes: number;
  /** Largest first. */
  tables: TableUsage[];
}

/**
 * A database's size by table, with TOAST and indexes apart (the seed's pg_total_relation_size
 * query, split so a person sees whether long messages or indexes take the room).
 */
export async function databaseUsage(connection: PostgresConnection): Promise<DatabaseUsage> {
  return withClient(connection, 'usage', async (client) => {
    const size = await client.query<{ bytes: string }>(
      'SELECT pg_database_size(current_database())::bigint AS bytes',
    );
    const tables = await client.query<{
      schema: string;
      name: string;
      table_bytes: string;
      toast_bytes: string;
      index_bytes: string;
      total_bytes: string;
      estimated_rows: number;
    }>(
      `SELECT n.nspname AS schema, c.relname AS name,
              (pg_relation_size(c.oid, 'main') + pg_relation_size(c.oid, 'fsm')
                 + pg_relation_size(c.oid, 'vm') + pg_relation_size(c.oid, 'init'))::bigint AS table_bytes,
              COALESCE(pg_total_relation_size(NULLIF(c.reltoastrelid, 0)), 0)::bigint AS toast_bytes,
              pg_indexes_size(c.oid)::bigint AS index_bytes,
              pg_total_relation_size(c.oid)::bigint AS total_bytes,
              c.reltuples::float8 AS estimated_rows
         FROM pg_class c
         JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'm')
          AND n.nspname NOT IN ('pg_catalog', 'information_schema')
          AND n.nspname NOT LIKE 'pg\\_toast%'
        ORDER BY pg_total_relation_size(c.oid) DESC, 1, 2`,
    );
    return {
      database: connection.params.database,
      databaseBytes: Number(size.rows[0]!.bytes),
      tables: tables.rows.map((row) => ({
        schema: row.schema,
        name: row.name,
        tableBytes: Number(row.table_bytes),
        toastBytes: Number(row.toast_bytes),
        indexBytes: Number(row.index_bytes),
        totalBytes: Number(row.total_bytes),
        estimatedRows: Math.round(row.estimated_rows),
      })),
    };
  });
}
