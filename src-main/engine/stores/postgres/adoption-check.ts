import { findTools, parseMajorVersion, type PostgresTools, type ToolSearch } from './client-tools';
import { describeConnection } from './connection-url';
import { withClient, type PostgresConnection } from './connection';
import { listUserTables } from './table-rows';

/** What Tend learns about a database when a person adopts it. */
export interface DatabaseFacts {
  /** `database "impactbot" on localhost:5432 as postgres`: no secret. */
  target: string;
  database: string;
  /** As the server reports it, e.g. `15.18 (Debian 15.18-0+deb12u1)`. */
  serverVersion: string;
  serverMajor: number;
  /** `pg_database_size`, bytes. */
  databaseBytes: number;
  /** The application's tables (as backups count them). */
  tableCount: number;
  /** The pg_dump and pg_restore Tend will run, able to dump this server. */
  tools: PostgresTools;
}

/**
 * Checks a connection on adoption: it signs in, reads the server's version, the database's
 * size and table count, and finds a pg_dump that can dump it. Each problem is a TendFailure:
 * PG_PASSWORD_UNAVAILABLE, PG_AUTH_FAILED, PG_UNREACHABLE, PG_DATABASE_MISSING,
 * PG_TOOLS_MISSING, or PG_TOOLS_TOO_OLD naming both versions. Nothing is written anywhere.
 */
export async function inspectDatabase(
  connection: PostgresConnection,
  search: ToolSearch = {},
): Promise<DatabaseFacts> {
  const facts = await withClient(connection, 'adoption check', async (client) => {
    const version = await client.query<{ server_version: string; bytes: string }>(
      `SELECT current_setting('server_version') AS server_version,
              pg_database_size(current_database())::bigint AS bytes`,
    );
    const row = version.rows[0]!;
    const tables = await listUserTables(client);
    return {
      serverVersion: row.server_version,
      databaseBytes: Number(row.bytes),
      tableCount: tables.length,
    };
  });
  const tools = await findTools(facts.serverVersion, search);
  return {
    target: describeConnection(connection.params),
    database: connection.params.database,
    serverVersion: facts.serverVersion,
    serverMajor: parseMajorVersion(facts.serverVersion)?.major ?? 0,
    databaseBytes: facts.databaseBytes,
    tableCount: facts.tableCount,
    tools,
  };
}
