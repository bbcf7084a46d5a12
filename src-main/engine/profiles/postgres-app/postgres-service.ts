/**
 * What a person does with a postgres-app folder's database, over the store library
 * (stores/postgres): set and check the connection, back it up (alone, with the uploads, or
 * before an update), list, restore by swap, undo, drop the undo databases, apply migrations
 * after a pre-migration backup, check integrity, and read its usage. The CLI (`tend pg`,
 * `tend guard`) calls this; every long step is a job of the root's job runner.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { TendFailure } from '../../../../src-shared/errors';
import type { BackupRecord } from '../../../../src-shared/models/backups';
import type { JobRecord } from '../../../../src-shared/models/jobs';
import { backupServiceFor } from '../../backup/backup-service';
import type { EngineServices } from '../../engine-services';
import { dataLockHeld } from '../../jobs/data-lock';
import { readSidecar } from '../../restore/backup-manifest-reader';
import type { RootSession } from '../../root-session';
import { inspectDatabase, type DatabaseFacts } from '../../stores/postgres/adoption-check';
import {
  resolveConnection,
  type PasswordSource,
  type PostgresConnection,
} from '../../stores/postgres/connection';
import { databaseUsage, type DatabaseUsage } from '../../stores/postgres/database-usage';
import { DatabaseDumpRecordSchema } from '../../stores/postgres/dump-record';
import {
  checkDatabaseIntegrity,
  type IntegrityReport,
} from '../../stores/postgres/integrity-check';
import {
  applyMigrations,
  migrationStatus,
  type ApplyMigrationsResult,
  type MigrationStatus,
} from '../../stores/postgres/migration-runner';
import { describeRedisCache, type CacheStoreDescriptor } from '../../stores/postgres/redis-cache';
import { restoreBySwap, type SwapRestoreResult } from '../../stores/postgres/restore-by-swap';
import {
  recoverInterruptedRestores,
  type RestoreRecoveryReport,
} from '../../stores/postgres/restore-recovery';
import {
  dropUndoDatabase,
  listUndoDatabases,
  undoRestoreBySwap,
  type SwapUndoResult,
} from '../../stores/postgres/restore-undo';
import type { TendDatabase } from '../../stores/postgres/tend-databases';
import { dumpsIn, extractMembers } from './archive-dump';
import { isPostgresUrl, namedUrls, type NamedUrl } from './compose-urls';
import { captureDatabase } from './database-capture';
import { POSTGRES_APP_PROFILE_ID } from './postgres-app-profile';
import {
  readPostgresSettings,
  requirePostgresSettings,
  writePostgresSettings,
} from './postgres-settings';

/** What `tend pg check` says: the adoption check, and what sits beside the database. */
export interface PostgresCheck {
  readonly url: string;
  readonly facts: Omit<DatabaseFacts, 'tools'> & {
    readonly pgDump: { readonly path: string; readonly version: string };
  };
  /** Redis, as the folder names it: listed, never backed up. */
  readonly caches: ReadonlyArray<CacheStoreDescriptor>;
  readonly undoDatabases: ReadonlyArray<TendDatabase>;
  /** What the start-up recovery found of a restore that stopped part way (and cleaned). */
  readonly recovery: RestoreRecoveryReport;
}

/** A backup of the folder, and the database dump it holds (null: files only). */
export interface PostgresBackup {
  readonly backup: BackupRecord;
  readonly database: string | null;
}

/** What `tend pg restore` did, and how to undo it. */
export interface PostgresRestoreResult extends SwapRestoreResult {
  readonly backup: string;
  readonly undoCommand: string | null;
}

/** Backup kinds whose archive holds the database. */
export const DATABASE_BACKUP_KINDS = ['database', 'full', 'pre-update'] as const;
export type DatabaseBackupKind = (typeof DATABASE_BACKUP_KINDS)[number];

/** The postgres-app side of one open root. */
export class PostgresService {
  constructor(
    private readonly session: RootSession,
    private readonly engine: EngineServices,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    if (session.profile.id !== POSTGRES_APP_PROFILE_ID) {
      throw new TendFailure(
        'PROFILE_UNSUPPORTED',
        `${session.path} is managed as ${session.profile.name}, not as a PostgreSQL-backed bot. Adopt it with that profile: tend adopt ${session.path} --profile ${POSTGRES_APP_PROFILE_ID}.`,
        { profile: session.profile.id },
      );
    }
  }

  /** The connection of the saved setting, with the password read for this run. */
  async connection(): Promise<PostgresConnection> {
    return resolveConnection(await requirePostgresSettings(this.session.state), this.env);
  }

  /** The URLs the folder's `.env` and compose files name (passwords cut out). */
  namedUrls(): Promise<NamedUrl[]> {
    return namedUrls(this.session.path);
  }

  /**
   * Checks a connection and saves it as the folder's setting only when the check passes:
   * a wrong password, an unreachable server or a missing database writes nothing.
   */
  async connect(url: string, password: PasswordSource): Promise<PostgresCheck> {
    const settings = { url, password };
    const connection = await resolveConnection(settings, this.env);
    const check = await this.checkWith(url, connection);
    await writePostgresSettings(this.session.state, settings);
    return check;
  }

  /** The adoption check of the saved connection (reads only, but cleans a stopped restore). */
  async check(): Promise<PostgresCheck> {
    const settings = await requirePostgresSettings(this.session.state);
    return this.checkWith(settings.url, await resolveConnection(settings, this.env));
  }

  private async checkWith(url: string, connection: PostgresConnection): Promise<PostgresCheck> {
    const { tools, ...facts } = await inspectDatabase(connection);
    // Another Tend restoring this database right now holds the folder's data lock.
    const recovery = await recoverInterruptedRestores(connection, {
      restoreRunning: () => dataLockHeld(this.session.state.locks),
    });
    const caches = (await this.namedUrls())
      .filter((named) => !isPostgresUrl(named.url))
      .map((named) => describeRedisCache(named.url));
    return {
      url,
      facts: { ...facts, pgDump: { path: tools.pgDump, version: tools.version } },
      caches: caches.length > 0 ? caches.slice(0, 1) : [describeRedisCache(null)],
      undoDatabases: await listUndoDatabases(connection),
      recovery,
    };
  }

  /**
   * Starts a backup job: the database alone (`database`), with the folder's files (`full`), or
   * before an update (`pre-update`, the same as full). The setting is checked first, so a
   * missing one is heard at once, not from a failed job.
   */
  async startBackup(kind: DatabaseBackupKind, destination?: string): Promise<JobRecord> {
    await requirePostgresSettings(this.session.state);
    const backups = backupServiceFor(this.session, this.engine);
    await backups.checkDestination({ kind, destination });
    return backups.start({
      kind,
      destination,
      extraFiles: captureDatabase(() => this.connection()),
    });
  }

  /** Every completed backup of the folder, newest first, with the database each holds. */
  async listBackups(): Promise<PostgresBackup[]> {
    const backups = backupServiceFor(this.session, this.engine);
    const listed: PostgresBackup[] = [];
    for (const backup of backups.list()) {
      if (backup.state !== 'completed') continue;
      const sidecar = await readSidecar(backups.archivePath(backup)).catch(() => null);
      const dump = sidecar ? dumpsIn(sidecar)[0] : undefined;
      listed.push({
        backup,
        database: dump ? decodeURIComponent(path.posix.basename(dump.dump.path, '.dump')) : null,
      });
    }
    return listed;
  }

  /** The databases a restore or an undo kept (`<name>_tend_undo_<time>`). */
  async undoDatabases(): Promise<TendDatabase[]> {
    return listUndoDatabases(await this.connection());
  }

  /**
   * Starts a restore job: the dump is taken out of the archive (checked against the
   * manifest), restored into a scratch database, validated, and swapped in by renaming; the
   * live database is kept as the undo. The live database is never dropped first.
   */
  async startRestore(
    ref: string,
    options: { endSessions?: boolean; validationQuery?: string } = {},
  ): Promise<JobRecord> {
    const backups = backupServiceFor(this.session, this.engine);
    const backup = backups.get(ref);
    const connection = await this.connection();
    const archive = backups.archivePath(backup);
    const sidecar = await readSidecar(archive);
    const dump = sidecar ? dumpsIn(sidecar)[0] : undefined;
    if (!dump) {
      throw new TendFailure(
        'INVALID_INPUT',
        `Backup ${backup.id} holds no database dump (it is a ${backup.kind} backup of files). Choose a database, full or pre-update backup: tend pg list.`,
      );
    }
    return this.session.jobs.start({
      kind: 'restore',
      title: `Restore the database from ${backup.id} (by swap)`,
      writesRoot: true,
      run: async (context) => {
        const temp = path.join(this.session.state.backupTemp, `pg-restore-${context.jobId}`);
        await fs.mkdir(temp, { recursive: true });
        try {
          context.progress({ message: `Taking the dump out of ${backup.fileName}` });
          const dumpFile = path.join(temp, 'database.dump');
          const recordFile = path.join(temp, 'database.dump.json');
          await extractMembers(
            archive,
            [
              { entry: dump.dump, target: dumpFile },
              { entry: dump.record, target: recordFile },
            ],
            context.signal,
          );
          const record = DatabaseDumpRecordSchema.parse(
            JSON.parse(await fs.readFile(recordFile, 'utf8')),
          );
          await recoverInterruptedRestores(connection);
          const { tools } = await inspectDatabase(connection);
          const result = await restoreBySwap({
            connection,
            tools,
            dumpFile,
            expected: record,
            validationQuery: options.validationQuery,
            endSessions: options.endSessions,
            signal: context.signal,
            onProgress: (progress) =>
              context.progress({
                message: `${progress.step}: ${progress.tablesDone} of ${progress.tablesTotal} tables`,
                filesDone: progress.tablesDone,
                filesTotal: progress.tablesTotal,
              }),
          });
          const restored: PostgresRestoreResult = {
            ...result,
            backup: backup.id,
            undoCommand: result.undoDatabase
              ? `tend pg undo --root ${quoteArg(this.session.path)}`
              : null,
          };
          return restored;
        } finally {
          await fs.rm(temp, { recursive: true, force: true });
        }
      },
    });
  }

  /** Swaps the newest undo database back in (the restored one is kept as an undo in turn). */
  async undo(options: { endSessions?: boolean } = {}): Promise<SwapUndoResult> {
    return undoRestoreBySwap({ connection: await this.connection(), ...options });
  }

  /** Drops every undo database Tend made for this database; their names. */
  async dropUndoDatabases(): Promise<string[]> {
    const connection = await this.connection();
    const dropped: string[] = [];
    for (const database of await listUndoDatabases(connection)) {
      await dropUndoDatabase(connection, database.name);
      dropped.push(database.name);
    }
    return dropped;
  }

  /**
   * Starts a migration job: the pending numbered files of `folder`, after a `pre-migration`
   * backup of the database, each in its own transaction; a failing one is rolled back whole
   * and the database is left as it was before it.
   */
  async startMigrations(folder: string, destination?: string): Promise<JobRecord> {
    const connection = await this.connection();
    const backups = backupServiceFor(this.session, this.engine);
    await backups.checkDestination({ kind: 'pre-migration', destination });
    return this.session.jobs.start({
      kind: 'migration',
      title: `Apply the migrations in ${folder}`,
      writesRoot: true,
      run: async (context) => {
        let backupId: string | null = null;
        const result: ApplyMigrationsResult = await applyMigrations({
          connection,
          folder,
          signal: context.signal,
          onProgress: ({ applied, total, current }) =>
            context.progress({
              filesDone: applied,
              filesTotal: total,
              currentPath: current,
              message: current ? `Applying ${current}` : undefined,
            }),
          beforeApply: async () => {
            context.progress({ message: 'Backing the database up before the migration' });
            const backup = await backups.writeWithin(context, {
              kind: 'pre-migration',
              categories: [],
              destination,
              extraFiles: captureDatabase(async () => connection),
            });
            backupId = backup.id;
          },
        });
        return { ...result, backup: backupId };
      },
    });
  }

  /** The integrity check, and where the migrations of `folder` stand (when one is named). */
  async checkIntegrity(
    folder?: string,
  ): Promise<{ integrity: IntegrityReport; migrations: MigrationStatus | null }> {
    const connection = await this.connection();
    return {
      integrity: await checkDatabaseIntegrity(connection),
      migrations: folder ? await migrationStatus(connection, folder) : null,
    };
  }

  /** The database's size by table, TOAST and indexes. */
  async usage(): Promise<DatabaseUsage> {
    return databaseUsage(await this.connection());
  }

  /** Whether a connection is saved for this folder. */
  async isConnected(): Promise<boolean> {
    return (await readPostgresSettings(this.session.state)) !== null;
  }
}

/** An argument as a shell takes it. */
export function quoteArg(text: string): string {
  return /^[A-Za-z0-9_./:@%+=-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}

/** The root's postgres-app service; PROFILE_UNSUPPORTED for a root of another profile. */
export function postgresServiceFor(session: RootSession, engine: EngineServices): PostgresService {
  return new PostgresService(session, engine);
}
