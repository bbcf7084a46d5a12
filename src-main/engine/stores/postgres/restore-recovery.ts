import { onDatabase, withClient, type PostgresConnection } from './connection';
import {
  dropDatabase,
  listServerDatabases,
  readMarker,
  tendDatabaseKind,
  tendDatabasesIn,
} from './tend-databases';

/** What the recovery at start found and did. */
export interface RestoreRecoveryReport {
  /** Scratch databases of restores that never finished, now dropped. */
  droppedScratch: Array<{ name: string; bytes: number }>;
  /** The live database, when a swap stopped after closing it to connections and it was reopened. */
  reopened: string | null;
  /** Databases named like Tend's but without its marker: reported, never dropped. */
  leftAlone: string[];
}

/**
 * Run at start (or when the server is back): a restore that stopped part way (the server
 * stopped, Tend was killed) left its scratch database `<name>_tend_restore_<stamp>`; this
 * drops it, and reopens the live database to connections if the stop came in the middle of a
 * swap. The live database's contents are never touched: a swap is one transaction, so it is
 * either wholly done or not at all.
 *
 * `restoreRunning` is asked after the databases are listed: while another Tend (the open app,
 * a command) holds the folder, the scratch database listed may be its restore at work, and
 * nothing is dropped or reopened.
 */
export async function recoverInterruptedRestores(
  connection: PostgresConnection,
  options: { restoreRunning?: () => Promise<boolean> } = {},
): Promise<RestoreRecoveryReport> {
  const live = connection.params.database;
  const admin = onDatabase(connection, connection.maintenanceDatabase);
  return withClient(admin, 'recovering an interrupted restore', async (client) => {
    const databases = await listServerDatabases(client);
    const scratch = tendDatabasesIn(databases, live).filter(
      (database) => database.kind === 'restore',
    );
    const report: RestoreRecoveryReport = { droppedScratch: [], reopened: null, leftAlone: [] };
    report.leftAlone = databases
      .filter(
        (database) => tendDatabaseKind(database.name) !== null && !readMarker(database.comment),
      )
      .map((database) => database.name);
    if (scratch.length === 0 || (await options.restoreRunning?.())) return report;
    const liveDatabase = databases.find((database) => database.name === live);
    if (liveDatabase && !liveDatabase.allowConnections) {
      await client.query(
        `ALTER DATABASE ${client.escapeIdentifier(live)} WITH ALLOW_CONNECTIONS true`,
      );
      report.reopened = live;
    }
    for (const database of scratch) {
      await dropDatabase(client, database.name);
      report.droppedScratch.push({ name: database.name, bytes: database.bytes });
    }
    return report;
  });
}
