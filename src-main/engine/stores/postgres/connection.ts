import fs from 'node:fs/promises';
import type pg from 'pg';
import { z } from 'zod';
import { TendFailure } from '../../../../src-shared/errors';
import { describeConnection, parseDatabaseUrl, type ConnectionParams } from './connection-url';
import { pgFailure } from './pg-errors';
import { findPgpassPassword, parsePgpass } from './pgpass-file';

/**
 * Where the password comes from: nowhere (trust or peer sign-in), an environment variable, or
 * a `.pgpass`-style file the person names. Tend's settings hold only this pointer, never the
 * password.
 */
export const PasswordSourceSchema = z.discriminatedUnion('from', [
  z.object({ from: z.literal('none') }),
  z.object({
    from: z.literal('env'),
    variable: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name'),
  }),
  z.object({ from: z.literal('file'), path: z.string().min(1) }),
]);
export type PasswordSource = z.infer<typeof PasswordSourceSchema>;

/** The postgres-app profile's connection setting. */
export const PostgresConnectionSettingsSchema = z.object({
  /** `postgresql://user@host:port/database`, without a password. */
  url: z.string().min(1),
  password: PasswordSourceSchema,
  /**
   * The database Tend connects to for CREATE, RENAME and DROP DATABASE (which cannot run
   * connected to the database they change). Default `postgres`.
   */
  maintenanceDatabase: z.string().min(1).optional(),
});
export type PostgresConnectionSettings = z.infer<typeof PostgresConnectionSettingsSchema>;

/** A resolved connection: where, as whom, and the password read for this run only. */
export interface PostgresConnection {
  readonly params: ConnectionParams;
  /** Held in memory for this run; never logged, never written. */
  readonly password: string | null;
  readonly maintenanceDatabase: string;
}

/** The application_name Tend's own sessions carry, so they are never counted as the app's. */
export const TEND_APPLICATION_NAME = 'tend';

async function readPasswordFile(file: string, params: ConnectionParams): Promise<string> {
  let stat;
  try {
    stat = await fs.stat(file);
  } catch (error) {
    throw new TendFailure(
      'PG_PASSWORD_UNAVAILABLE',
      `The password file ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? error}).`,
    );
  }
  if (!stat.isFile()) {
    throw new TendFailure('PG_PASSWORD_UNAVAILABLE', `The password file ${file} is not a file.`);
  }
  // libpq ignores a password file others can read; so does Tend, and says so.
  if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0) {
    throw new TendFailure(
      'PG_PASSWORD_UNAVAILABLE',
      `The password file ${file} can be read by other users; run \`chmod 600 ${file}\` first.`,
    );
  }
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    throw new TendFailure(
      'PG_PASSWORD_UNAVAILABLE',
      `The password file ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? error}).`,
    );
  }
  const password = findPgpassPassword(parsePgpass(text), params);
  if (password === null) {
    throw new TendFailure(
      'PG_PASSWORD_UNAVAILABLE',
      `The password file ${file} has no line for ${describeConnection(params)} ` +
        `(expected host:port:database:user:password, with * for any).`,
    );
  }
  return password;
}

/**
 * Reads the URL and the password (from the environment or the named file) for one run.
 * A bad URL is INVALID_INPUT; a password that cannot be found is PG_PASSWORD_UNAVAILABLE.
 */
export async function resolveConnection(
  settings: PostgresConnectionSettings,
  env: NodeJS.ProcessEnv = process.env,
): Promise<PostgresConnection> {
  const parsed = PostgresConnectionSettingsSchema.safeParse(settings);
  if (!parsed.success) {
    throw new TendFailure(
      'INVALID_INPUT',
      `The connection setting is not valid: ${parsed.error.message}`,
    );
  }
  const params = parseDatabaseUrl(parsed.data.url);
  const source = parsed.data.password;
  let password: string | null = null;
  switch (source.from) {
    case 'none':
      break;
    case 'env': {
      const value = env[source.variable];
      if (value === undefined || value === '') {
        throw new TendFailure(
          'PG_PASSWORD_UNAVAILABLE',
          `The environment variable ${source.variable} that should hold the password for ` +
            `${describeConnection(params)} is not set.`,
        );
      }
      password = value;
      break;
    }
    case 'file':
      password = await readPasswordFile(source.path, params);
      break;
  }
  return {
    params,
    password,
    maintenanceDatabase: parsed.data.maintenanceDatabase ?? 'postgres',
  };
}

/** The same server and sign-in, another database (a scratch copy, the maintenance one). */
export function onDatabase(connection: PostgresConnection, database: string): PostgresConnection {
  return { ...connection, params: { ...connection.params, database } };
}

/** Options for one client session. */
export interface OpenClientOptions {
  /** Shown in pg_stat_activity after `tend`, e.g. `tend backup`. */
  purpose?: string;
  /** Milliseconds to wait for the server to answer; default 10 s. */
  connectTimeoutMs?: number;
}

function sslOption(params: ConnectionParams): pg.ClientConfig['ssl'] {
  switch (params.sslMode) {
    case 'disable':
    case 'prefer':
      // node-postgres has no "try TLS, fall back": prefer connects without, as most local
      // servers (and the seed's Docker one) have no certificate.
      return false;
    case 'require':
      return { rejectUnauthorized: false };
    case 'verify-full':
      return { rejectUnauthorized: true };
  }
}

/**
 * Opens one session, with errors turned into TendFailures (PG_AUTH_FAILED, PG_UNREACHABLE,
 * PG_DATABASE_MISSING, PG_PASSWORD_UNAVAILABLE). The caller ends it.
 */
export async function openClient(
  connection: PostgresConnection,
  options: OpenClientOptions = {},
): Promise<pg.Client> {
  const { params, password } = connection;
  // Loaded when first used: the driver costs every command's start-up otherwise.
  const { default: driver } = await import('pg');
  const client = new driver.Client({
    host: params.host,
    port: params.port,
    database: params.database,
    user: params.user,
    ...(password === null ? {} : { password }),
    ssl: sslOption(params),
    application_name: options.purpose
      ? `${TEND_APPLICATION_NAME} ${options.purpose}`
      : TEND_APPLICATION_NAME,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
  });
  // A server that goes away mid-session emits 'error' on the client; the pending query rejects
  // with the same error, which is where it is reported.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    throw pgFailure(error, params, password, 'connecting');
  }
  return client;
}

/** Runs `work` with a session that is always ended after. */
export async function withClient<T>(
  connection: PostgresConnection,
  purpose: string,
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = await openClient(connection, { purpose });
  try {
    return await work(client);
  } catch (error) {
    throw pgFailure(error, connection.params, connection.password, purpose);
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * The environment for pg_dump and pg_restore: Tend's own PG* variables only (inherited ones
 * could point them elsewhere), the password in PGPASSWORD so it never shows in a process list.
 */
export function toolEnvironment(
  connection: PostgresConnection,
  base: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(base)) {
    if (!key.startsWith('PG')) env[key] = value;
  }
  const { params, password } = connection;
  env.PGHOST = params.host;
  env.PGPORT = String(params.port);
  env.PGUSER = params.user;
  env.PGDATABASE = params.database;
  env.PGSSLMODE = params.sslMode;
  env.PGAPPNAME = TEND_APPLICATION_NAME;
  env.PGCONNECT_TIMEOUT = '10';
  // Never let a tool fall back to the person's own ~/.pgpass for another server.
  env.PGPASSFILE = '/dev/null';
  if (password !== null) env.PGPASSWORD = password;
  return env;
}
