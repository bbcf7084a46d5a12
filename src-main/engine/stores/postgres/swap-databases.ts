import type pg from 'pg';
import { TendFailure } from '../../../../src-shared/errors';
import {
  describeSessions,
  endConnectedSessions,
  listConnectedSessions,
  listSettledSessions,
  type ConnectedSession,
} from './database-sessions';
import { commentSql, markerComment, type TendMarker } from './tend-databases';

/** One swap: `incoming` takes the live name, the live database is kept as `outgoing`. */
export interface SwapPlan {
  live: string;
  /** Whether a database named `live` exists now (not after a `down -v`). */
  liveExists: boolean;
  incoming: string;
  /** The name the live database is kept under (an undo database). */
  outgoing: string;
  /** Marker for the outgoing database's comment. */
  outgoingMarker: TendMarker;
  /** The comment the database carries once it is live again (the live one's own). */
  incomingComment: string | null;
  /** End the app's sessions (pg_terminate_backend) instead of refusing while they are there. */
  endSessions: boolean;
}

/** What a swap did. */
export interface SwapResult {
  /** Milliseconds the live name accepted no connections: from closing it to the commit. */
  unavailableMs: number;
  endedSessions: ConnectedSession[];
}

const allowConnections = (client: pg.Client, database: string, allow: boolean) =>
  client.query(
    `ALTER DATABASE ${client.escapeIdentifier(database)} WITH ALLOW_CONNECTIONS ${allow}`,
  );

/** PG_SESSIONS_CONNECTED, listing who is connected and what to do about it. */
export function sessionsConnectedFailure(
  live: string,
  sessions: ReadonlyArray<ConnectedSession>,
): TendFailure {
  return new TendFailure(
    'PG_SESSIONS_CONNECTED',
    `The database "${live}" has ${describeSessions(sessions)} connected. Stop the app ` +
      '(for example `docker-compose stop` of its services, not `down -v`) or ask Tend to end ' +
      'the sessions, then try again.',
    { sessions },
  );
}

/**
 * Swaps databases by renaming them in one short step, run from a session on the maintenance
 * database: the live database stops taking connections, its sessions are ended (or the swap
 * refused while there are any), then one transaction renames live → outgoing and incoming →
 * live and reopens the outgoing one to connections. Either both renames happen or neither;
 * on any failure the live database takes connections again as before.
 */
export async function swapDatabases(admin: pg.Client, plan: SwapPlan): Promise<SwapResult> {
  const { live, incoming, outgoing } = plan;
  const id = (name: string) => admin.escapeIdentifier(name);
  const leftOnIncoming = await listSettledSessions(admin, incoming);
  if (leftOnIncoming.length > 0) {
    throw new TendFailure(
      'PG_SESSIONS_CONNECTED',
      `The database "${incoming}" that should become "${live}" has ${describeSessions(leftOnIncoming)} ` +
        'connected; Tend closes its own before a swap, so another program found it.',
      { sessions: leftOnIncoming },
    );
  }
  const started = performance.now();
  let closed = false;
  let endedSessions: ConnectedSession[] = [];
  try {
    if (plan.liveExists) {
      await allowConnections(admin, live, false);
      closed = true;
      // Asked to end them, nothing is waited for: the window without connections stays short.
      const sessions = plan.endSessions
        ? await listConnectedSessions(admin, live)
        : await listSettledSessions(admin, live);
      if (sessions.length > 0) {
        if (!plan.endSessions) throw sessionsConnectedFailure(live, sessions);
        endedSessions = await endConnectedSessions(admin, live);
        const still = await listConnectedSessions(admin, live);
        if (still.length > 0) throw sessionsConnectedFailure(live, still);
      }
    }
    await admin.query('BEGIN');
    try {
      if (plan.liveExists) {
        await admin.query(`ALTER DATABASE ${id(live)} RENAME TO ${id(outgoing)}`);
        await admin.query(commentSql(admin, outgoing, markerComment(plan.outgoingMarker)));
      }
      await admin.query(`ALTER DATABASE ${id(incoming)} RENAME TO ${id(live)}`);
      await admin.query(commentSql(admin, live, plan.incomingComment));
      await admin.query(`ALTER DATABASE ${id(live)} WITH ALLOW_CONNECTIONS true`);
      if (plan.liveExists) {
        await admin.query(`ALTER DATABASE ${id(outgoing)} WITH ALLOW_CONNECTIONS true`);
      }
      await admin.query('COMMIT');
    } catch (error) {
      await admin.query('ROLLBACK').catch(() => {});
      throw error;
    }
    closed = false;
    return { unavailableMs: performance.now() - started, endedSessions };
  } finally {
    if (closed) await allowConnections(admin, live, true).catch(() => {});
  }
}
