import type pg from 'pg';
import { TendFailure } from '../../../../src-shared/errors';
import type { PostgresTools } from './client-tools';
import { onDatabase, openClient, toolEnvironment, type PostgresConnection } from './connection';
import { redactSecrets } from './connection-url';
import {
  createDatabaseSql,
  propertiesSql,
  readDatabaseProperties,
  type DatabaseProperties,
} from './database-properties';
import { listSettledSessions, type ConnectedSession } from './database-sessions';
import type { DatabaseDumpRecord } from './dump-record';
import { pgFailure } from './pg-errors';
import { validateRestoredDatabase, type RestoreValidation } from './restore-validate';
import { sessionsConnectedFailure, swapDatabases } from './swap-databases';
import {
  commentSql,
  dropDatabase,
  listServerDatabases,
  markerComment,
  tendDatabaseName,
  tendDatabasesIn,
} from './tend-databases';
import { describeExit, runTool } from './tool-process';

/** The steps of a restore by swap, as progress names them. */
export type SwapRestoreStep = 'preparing' | 'restoring' | 'validating' | 'swapping' | 'done';

/** Progress of a restore by swap. */
export interface SwapRestoreProgress {
  step: SwapRestoreStep;
  /** Tables whose data pg_restore has loaded, of those in the backup. */
  tablesDone: number;
  tablesTotal: number;
}

/** What a restore by swap needs. */
export interface SwapRestoreOptions {
  /** The live database (its name is the one the app connects to). */
  connection: PostgresConnection;
  tools: PostgresTools;
  /** A custom-format dump on disk (extracted from the archive and its hash checked). */
  dumpFile: string;
  /** The backup's record of the dump: the row counts validation compares. */
  expected: Pick<DatabaseDumpRecord, 'tables'>;
  /** A query that must run and return at least one row in the restored database. */
  validationQuery?: string;
  /** End the app's sessions on the live database instead of refusing while there are any. */
  endSessions?: boolean;
  /** pg_restore `--jobs` (parallel loads and index builds); default 1. */
  jobs?: number;
  signal?: AbortSignal;
  onProgress?: (progress: SwapRestoreProgress) => void;
  now?: () => Date;
}

/** What a restore by swap did. */
export interface SwapRestoreResult {
  database: string;
  /** The old live database, kept for undo; null when there was no live database. */
  undoDatabase: string | null;
  validation: RestoreValidation;
  /** Milliseconds the database name took no connections. */
  unavailableMs: number;
  endedSessions: ConnectedSession[];
  /** Older undo databases of this database, still on the server until dropped. */
  olderUndoDatabases: string[];
}

/** Drops a scratch database, and says in the failure if it could not (recovery will). */
async function dropScratch(
  connection: PostgresConnection,
  scratch: string,
  failure: TendFailure,
): Promise<TendFailure> {
  try {
    const admin = await openClient(onDatabase(connection, connection.maintenanceDatabase), {
      purpose: 'restore cleanup',
    });
    try {
      await dropDatabase(admin, scratch);
    } finally {
      await admin.end().catch(() => {});
    }
    return failure;
  } catch {
    return new TendFailure(
      failure.code,
      `${failure.message} The scratch database "${scratch}" could not be dropped now; ` +
        'Tend drops it the next time it checks this database (recoverInterruptedRestores).',
      { ...(typeof failure.details === 'object' ? failure.details : {}), scratchLeft: scratch },
    );
  }
}

function restoreFailure(
  error: unknown,
  connection: PostgresConnection,
  doing: string,
): TendFailure {
  return pgFailure(error, connection.params, connection.password, doing);
}

/** pg_restore into `scratch`, with progress from its verbose log. */
async function runRestore(
  options: SwapRestoreOptions,
  scratch: string,
  report: (tablesDone: number) => void,
): Promise<void> {
  const { connection, tools, signal } = options;
  const args = [
    '--exit-on-error',
    '--no-password',
    '--verbose',
    `--dbname=${scratch}`,
    ...(options.jobs && options.jobs > 1 ? [`--jobs=${Math.trunc(options.jobs)}`] : []),
    options.dumpFile,
  ];
  let tablesDone = 0;
  const running = runTool(tools.pgRestore, args, {
    env: toolEnvironment(onDatabase(connection, scratch)),
    signal,
    onStderrLine: (line) => {
      if (/processing data for table/.test(line)) {
        tablesDone += 1;
        report(tablesDone);
      }
    },
  });
  const exit = await running.exited;
  if (signal?.aborted) throw new TendFailure('CANCELLED', 'The restore was cancelled.');
  if (exit.code !== 0) {
    const password = connection.password;
    // --verbose fills stderr with progress; the error lines are what a person needs.
    const errors = exit.stderr
      .split('\n')
      .filter((line) => /error|fatal|could not|connection/i.test(line))
      .slice(-6)
      .join('\n');
    const said = redactSecrets(
      errors || exit.stderr.trim().split('\n').slice(-3).join('\n'),
      password ? [password] : [],
    );
    const serverGone =
      /could not connect|connection to server|server closed the connection|terminating connection/i.test(
        said,
      );
    throw new TendFailure(
      serverGone ? 'PG_UNREACHABLE' : 'PG_RESTORE_FAILED',
      `pg_restore ${describeExit(exit)} while loading the backup into "${scratch}"` +
        (said ? `: ${said}` : '.') +
        ' The live database was not touched.',
      { stderr: said },
    );
  }
}

/** Validates the scratch database in a session of its own, closed before the swap. */
async function validateScratch(
  options: SwapRestoreOptions,
  scratch: string,
): Promise<RestoreValidation> {
  const client = await openClient(onDatabase(options.connection, scratch), {
    purpose: 'restore validation',
  });
  try {
    return await validateRestoredDatabase(client, options.expected.tables, options.validationQuery);
  } catch (error) {
    throw restoreFailure(error, options.connection, 'validating the restored database');
  } finally {
    await client.end().catch(() => {});
  }
}

async function createScratch(
  admin: pg.Client,
  scratch: string,
  live: string,
  liveProperties: DatabaseProperties | null,
  at: Date,
): Promise<void> {
  await admin.query(createDatabaseSql(admin, scratch, liveProperties));
  // The marker first: from here on, recovery can tell this database is Tend's to drop.
  await admin.query(
    commentSql(admin, scratch, markerComment({ kind: 'restore', live, at: at.toISOString() })),
  );
  if (liveProperties) {
    for (const statement of propertiesSql(admin, scratch, liveProperties)) {
      await admin.query(statement);
    }
  }
}

/**
 * Restores a database without ever dropping the live one first: pg_restore into a new
 * database `<name>_tend_restore_<stamp>`, validate it (row counts per table against the
 * backup's, constraints and indexes valid, the person's query), then swap it in by renaming
 * (see swapDatabases) and keep the old live database as `<name>_tend_undo_<stamp>` for undo.
 *
 * Sessions on the live database are refused up front (PG_SESSIONS_CONNECTED, listing them)
 * unless `endSessions`. Any failure before the swap (pg_restore, validation, the server
 * going away, cancel) leaves the live database untouched and drops the scratch database; if
 * the server is gone, `recoverInterruptedRestores` drops it at the next start.
 */
export async function restoreBySwap(options: SwapRestoreOptions): Promise<SwapRestoreResult> {
  const { connection, signal } = options;
  const live = connection.params.database;
  const at = (options.now ?? (() => new Date()))();
  const tablesTotal = options.expected.tables.length;
  const progress = (step: SwapRestoreStep, tablesDone = 0) =>
    options.onProgress?.({ step, tablesDone, tablesTotal });
  progress('preparing');

  const adminConnection = onDatabase(connection, connection.maintenanceDatabase);
  const admin = await openClient(adminConnection, { purpose: 'restore' });
  let scratch: string | null = null;
  try {
    const databases = await listServerDatabases(admin).catch((error: unknown) => {
      throw restoreFailure(error, adminConnection, 'listing databases');
    });
    const names = new Set(databases.map((database) => database.name));
    const liveExists = names.has(live);
    const liveProperties = liveExists ? await readDatabaseProperties(admin, live) : null;
    if (liveExists && !options.endSessions) {
      // Refuse before the long part; the swap checks again.
      const sessions = await listSettledSessions(admin, live);
      if (sessions.length > 0) throw sessionsConnectedFailure(live, sessions);
    }
    if (signal?.aborted) throw new TendFailure('CANCELLED', 'The restore was cancelled.');
    scratch = tendDatabaseName(live, 'restore', at, (name) => names.has(name));
    await createScratch(admin, scratch, live, liveProperties, at).catch((error: unknown) => {
      throw restoreFailure(error, adminConnection, `creating the scratch database "${scratch}"`);
    });

    progress('restoring');
    await runRestore(options, scratch, (done) => progress('restoring', done));

    progress('validating', tablesTotal);
    const validation = await validateScratch(options, scratch);
    if (!validation.ok) {
      throw new TendFailure(
        'RESTORE_VALIDATION_FAILED',
        `The restored copy of "${live}" failed validation, so the live database was left as ` +
          `it was: ${validation.problems.slice(0, 5).join('; ')}` +
          (validation.problems.length > 5 ? `; and ${validation.problems.length - 5} more.` : '.'),
        { validation },
      );
    }
    if (signal?.aborted) throw new TendFailure('CANCELLED', 'The restore was cancelled.');

    progress('swapping', tablesTotal);
    const undo = tendDatabaseName(live, 'undo', at, (name) => names.has(name));
    const swap = await swapDatabases(admin, {
      live,
      liveExists,
      incoming: scratch,
      outgoing: undo,
      outgoingMarker: {
        kind: 'undo',
        live,
        at: at.toISOString(),
        liveComment: liveProperties?.comment ?? null,
      },
      incomingComment: liveProperties?.comment ?? null,
      endSessions: options.endSessions ?? false,
    }).catch((error: unknown) => {
      throw restoreFailure(error, adminConnection, 'swapping the restored database in');
    });
    scratch = null;
    const older = tendDatabasesIn(await listServerDatabases(admin), live)
      .filter((database) => database.kind === 'undo' && database.name !== undo)
      .map((database) => database.name);
    progress('done', tablesTotal);
    return {
      database: live,
      undoDatabase: liveExists ? undo : null,
      validation,
      unavailableMs: swap.unavailableMs,
      endedSessions: swap.endedSessions,
      olderUndoDatabases: older,
    };
  } catch (error) {
    const failure = restoreFailure(error, connection, 'restoring');
    throw scratch ? await dropScratch(connection, scratch, failure) : failure;
  } finally {
    await admin.end().catch(() => {});
  }
}
