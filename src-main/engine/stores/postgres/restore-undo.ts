import { TendFailure } from '../../../../src-shared/errors';
import { onDatabase, withClient, type PostgresConnection } from './connection';
import { readDatabaseProperties } from './database-properties';
import type { ConnectedSession } from './database-sessions';
import { swapDatabases } from './swap-databases';
import {
  dropDatabase,
  listServerDatabases,
  tendDatabaseName,
  tendDatabasesIn,
  type TendDatabase,
} from './tend-databases';

/** The undo databases Tend keeps for the connection's database, newest first. */
export async function listUndoDatabases(connection: PostgresConnection): Promise<TendDatabase[]> {
  const admin = onDatabase(connection, connection.maintenanceDatabase);
  return withClient(admin, 'listing undo databases', async (client) =>
    tendDatabasesIn(await listServerDatabases(client), connection.params.database).filter(
      (database) => database.kind === 'undo',
    ),
  );
}

/** What an undo did. */
export interface SwapUndoResult {
  database: string;
  /** The undo database that is live again. */
  restoredFrom: string;
  /** The database that was live (the restored one), kept in turn as an undo database. */
  keptAs: string;
  unavailableMs: number;
  endedSessions: ConnectedSession[];
}

/**
 * Undoes the last restore by swap: the newest undo database takes the live name again, and
 * the database that was live is kept as an undo database in its turn (so nothing is lost,
 * and undoing again redoes). RESTORE_NOTHING_TO_UNDO when there is no undo database;
 * PG_SESSIONS_CONNECTED while the app is connected, unless `endSessions`.
 */
export async function undoRestoreBySwap(options: {
  connection: PostgresConnection;
  endSessions?: boolean;
  now?: () => Date;
}): Promise<SwapUndoResult> {
  const { connection } = options;
  const live = connection.params.database;
  const at = (options.now ?? (() => new Date()))();
  const admin = onDatabase(connection, connection.maintenanceDatabase);
  return withClient(admin, 'undoing a restore', async (client) => {
    const databases = await listServerDatabases(client);
    const undo = tendDatabasesIn(databases, live).find((database) => database.kind === 'undo');
    if (!undo) {
      throw new TendFailure(
        'RESTORE_NOTHING_TO_UNDO',
        `There is no earlier copy of "${live}" to go back to: no restore by swap kept one, or ` +
          'it was dropped.',
      );
    }
    const names = new Set(databases.map((database) => database.name));
    const liveExists = names.has(live);
    const liveProperties = liveExists ? await readDatabaseProperties(client, live) : null;
    const keptAs = tendDatabaseName(live, 'undo', at, (name) => names.has(name));
    const swap = await swapDatabases(client, {
      live,
      liveExists,
      incoming: undo.name,
      outgoing: keptAs,
      outgoingMarker: {
        kind: 'undo',
        live,
        at: at.toISOString(),
        liveComment: liveProperties?.comment ?? null,
      },
      incomingComment: undo.marker.liveComment ?? null,
      endSessions: options.endSessions ?? false,
    });
    return {
      database: live,
      restoredFrom: undo.name,
      keptAs,
      unavailableMs: swap.unavailableMs,
      endedSessions: swap.endedSessions,
    };
  });
}

/**
 * Drops one undo database, only when the person says so, and only one Tend made for this
 * database (name and marker both); anything else is INVALID_INPUT and left alone.
 */
export async function dropUndoDatabase(
  connection: PostgresConnection,
  name: string,
): Promise<void> {
  const admin = onDatabase(connection, connection.maintenanceDatabase);
  await withClient(admin, 'dropping an undo database', async (client) => {
    const ours = tendDatabasesIn(await listServerDatabases(client), connection.params.database);
    if (!ours.some((database) => database.kind === 'undo' && database.name === name)) {
      throw new TendFailure(
        'INVALID_INPUT',
        `"${name}" is not an undo database Tend keeps for "${connection.params.database}"; ` +
          'Tend drops only its own.',
      );
    }
    await dropDatabase(client, name);
  });
}
