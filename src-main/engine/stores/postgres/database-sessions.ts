import type pg from 'pg';
import { onDatabase, withClient, type PostgresConnection } from './connection';

/** One session connected to a database, as Tend shows it before a swap. */
export interface ConnectedSession {
  pid: number;
  user: string | null;
  /** What the client called itself (`application_name`), often the app's name. */
  application: string;
  /** The client's address, or null over a Unix socket. */
  clientAddress: string | null;
  /** ISO time the session started. */
  since: string | null;
  /** `active`, `idle`, `idle in transaction` … */
  state: string | null;
}

/** How long a refusal waits for sessions that are already going away. */
export const SESSION_SETTLE_MS = 1_000;

/**
 * The sessions connected to `database`, other than the caller's own, once those that are
 * closing have gone: a client that has just disconnected stays in pg_stat_activity until its
 * backend exits, a few milliseconds later (more on a busy machine), and must not be taken for
 * the app. Waits at most `settleMs` for the list to empty; an app's session stays and is listed.
 */
export async function listSettledSessions(
  client: pg.Client,
  database: string,
  settleMs = SESSION_SETTLE_MS,
): Promise<ConnectedSession[]> {
  const deadline = Date.now() + settleMs;
  let sessions = await listConnectedSessions(client, database);
  while (sessions.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    sessions = await listConnectedSessions(client, database);
  }
  return sessions;
}

/** The sessions connected to `database`, other than the caller's own. */
export async function listConnectedSessions(
  client: pg.Client,
  database: string,
): Promise<ConnectedSession[]> {
  const result = await client.query<{
    pid: number;
    usename: string | null;
    application_name: string | null;
    client_addr: string | null;
    backend_start: Date | null;
    state: string | null;
  }>(
    `SELECT pid, usename, application_name, host(client_addr) AS client_addr, backend_start, state
       FROM pg_stat_activity
      WHERE datname = $1 AND pid <> pg_backend_pid()
      ORDER BY backend_start`,
    [database],
  );
  return result.rows.map((row) => ({
    pid: row.pid,
    user: row.usename,
    application: row.application_name ?? '',
    clientAddress: row.client_addr,
    since: row.backend_start ? row.backend_start.toISOString() : null,
    state: row.state,
  }));
}

/** "3 sessions (pid 41 impact-bot from 172.18.0.5, …)", for messages. */
export function describeSessions(sessions: ReadonlyArray<ConnectedSession>): string {
  const shown = sessions.slice(0, 5).map((session) => {
    const name = session.application ? ` ${session.application}` : '';
    const from = session.clientAddress ? ` from ${session.clientAddress}` : '';
    return `pid ${session.pid}${name}${from}`;
  });
  const more = sessions.length > shown.length ? `, and ${sessions.length - shown.length} more` : '';
  const count = `${sessions.length} session${sessions.length === 1 ? '' : 's'}`;
  return `${count} (${shown.join(', ')}${more})`;
}

/**
 * Ends every other session on `database` with pg_terminate_backend and waits until they have
 * gone (at most `timeoutMs`); returns the sessions that were ended.
 */
export async function endConnectedSessions(
  client: pg.Client,
  database: string,
  timeoutMs = 10_000,
): Promise<ConnectedSession[]> {
  const sessions = await listConnectedSessions(client, database);
  if (sessions.length === 0) return [];
  await client.query(
    `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
      WHERE datname = $1 AND pid <> pg_backend_pid()`,
    [database],
  );
  const deadline = Date.now() + timeoutMs;
  while ((await listConnectedSessions(client, database)).length > 0) {
    if (Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return sessions;
}

/**
 * The sessions connected to the connection's database, seen from the maintenance database
 * (so Tend's own look is not among them): what the restore wizard shows before a swap.
 */
export async function listAppSessions(connection: PostgresConnection): Promise<ConnectedSession[]> {
  return withClient(onDatabase(connection, connection.maintenanceDatabase), 'sessions', (client) =>
    listSettledSessions(client, connection.params.database),
  );
}
