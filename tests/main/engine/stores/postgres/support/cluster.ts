/**
 * The PostgreSQL test harness: a throwaway cluster per test file (initdb into a temp folder,
 * `pg_ctl start` on a free loopback port, about a second), stopped and removed after, and the
 * helpers every postgres test shares. Where the server programs are missing the suites are
 * skipped with the reason in their name, never passed silently.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import {
  resolveConnection,
  type PostgresConnection,
} from '../../../../../../src-main/engine/stores/postgres/connection';
import {
  findServerBinaries,
  startScratchCluster,
  type ScratchCluster,
} from '../../../../../../src-main/engine/stores/postgres/scratch-cluster';
import {
  generateSeedTables,
  SMALL_SEED_TABLES,
  type SeedTablesCounts,
  type SeedTablesSize,
} from '../../../../../../src-main/engine/stores/postgres/seed-tables';

// TEND_TEST_POSTGRES_LIB points the search elsewhere (to see the skip where the server exists).
const binaries = await findServerBinaries(process.env.TEND_TEST_POSTGRES_LIB || undefined);

/** Why the PostgreSQL suites cannot run here, or null when they can. */
export const postgresSkipReason: string | null = 'missing' in binaries ? binaries.missing : null;

if (postgresSkipReason) {
  console.warn(`PostgreSQL tests SKIPPED: ${postgresSkipReason}`);
}

/** `describe`, or `describe.skip` naming why, when the server programs are missing. */
export function describePostgres(name: string, body: () => void): void {
  if (postgresSkipReason) {
    describe.skip(`${name} [SKIPPED: ${postgresSkipReason}]`, body);
  } else {
    describe(name, body);
  }
}

/** The environment variable the tests hand the password through (never process.env). */
export const PASSWORD_VARIABLE = 'TEND_TEST_PGPASSWORD';

/**
 * A cluster for the enclosing describe: started before its tests, removed after. Call inside
 * `describePostgres`; the getter throws if used before the cluster started.
 */
export function useCluster(): () => ScratchCluster {
  let cluster: ScratchCluster | null = null;
  beforeAll(async () => {
    cluster = await startScratchCluster();
  });
  afterAll(async () => {
    await cluster?.remove();
  });
  return () => {
    if (!cluster) throw new Error('The test cluster has not started.');
    return cluster;
  };
}

/** Tend's view of a database on the cluster: URL without password, password from "the env". */
export async function connectionTo(
  cluster: ScratchCluster,
  database: string,
): Promise<PostgresConnection> {
  return resolveConnection(
    { url: cluster.url(database), password: { from: 'env', variable: PASSWORD_VARIABLE } },
    { [PASSWORD_VARIABLE]: cluster.password },
  );
}

/** A superuser session on `database`, for the test's own setup and checks. */
export async function superuserClient(
  cluster: ScratchCluster,
  database = 'postgres',
): Promise<pg.Client> {
  const client = new pg.Client({
    host: cluster.host,
    port: cluster.port,
    user: cluster.superuser,
    password: cluster.password,
    database,
    application_name: 'test',
  });
  await client.connect();
  return client;
}

/** Runs `work` with a superuser session, ended after. */
export async function withSuperuser<T>(
  cluster: ScratchCluster,
  database: string,
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = await superuserClient(cluster, database);
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates `database` and fills it with the seed's tables. */
export async function createSeedDatabase(
  cluster: ScratchCluster,
  database: string,
  size: SeedTablesSize = SMALL_SEED_TABLES,
): Promise<SeedTablesCounts> {
  await withSuperuser(cluster, 'postgres', (client) =>
    client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`),
  );
  return withSuperuser(cluster, database, (client) => generateSeedTables(client, size));
}

/** Every database on the cluster, sorted. */
export async function listDatabases(cluster: ScratchCluster): Promise<string[]> {
  return withSuperuser(cluster, 'postgres', async (client) => {
    const result = await client.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE NOT datistemplate ORDER BY 1',
    );
    return result.rows.map((row) => row.datname);
  });
}

/** `SELECT count(*) FROM <table>` on `database`. */
export async function countRows(
  cluster: ScratchCluster,
  database: string,
  table: string,
): Promise<number> {
  return withSuperuser(cluster, database, async (client) => {
    const result = await client.query<{ n: string }>(
      `SELECT count(*)::bigint AS n FROM ${client.escapeIdentifier(table)}`,
    );
    return Number(result.rows[0]!.n);
  });
}
