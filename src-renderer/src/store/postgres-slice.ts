import type { InputOf, OutputOf } from '../../../src-shared/contract';
import type { Result } from '../../../src-shared/errors';
import type { JobRecord } from '../../../src-shared/models/jobs';
import type {
  DatabaseUsageInfo,
  IntegrityReportInfo,
  MigrationListInfo,
  PostgresCheckInfo,
  PostgresStatus,
} from '../../../src-shared/models/postgres';
import { call } from './call';
import { idle, reloading, type Loadable } from './loadable';
import type { SliceCreator } from './slice';

/**
 * A postgres-app folder's database (issue 11): whether the folder has one and Tend is
 * connected, its usage by table (Overview), the backup before an update (Backups), and the
 * Database page: the check, the backups holding the database, restore by swap, undo, the
 * databases kept for undo, migrations and the integrity check.
 */
export interface PostgresSlice {
  postgresStatus: Loadable<PostgresStatus>;
  databaseUsage: Loadable<DatabaseUsageInfo>;
  postgresCheck: Loadable<PostgresCheckInfo>;
  databaseBackups: Loadable<OutputOf<'pg:backups'>>;
  migrations: Loadable<MigrationListInfo>;
  integrity: Loadable<IntegrityReportInfo>;
  loadPostgresStatus(): Promise<void>;
  /** Reads the status, then the usage when Tend is connected to a database. */
  loadDatabaseUsage(): Promise<void>;
  /** Starts the pre-update backup (database and files); its job is followed like any other. */
  backUpBeforeUpdate(): Promise<Result<JobRecord>>;
  /**
   * Checks a database and saves it as the folder's connection when the check passes; the
   * status is read again then.
   */
  connectDatabase(input: InputOf<'pg:connect'>): Promise<Result<PostgresCheckInfo>>;
  /** The adoption check of the saved connection (it also cleans a stopped restore). */
  loadPostgresCheck(): Promise<void>;
  loadDatabaseBackups(): Promise<void>;
  /** Backs the database up alone, or with the folder's files. */
  backUpDatabase(kind: 'database' | 'full'): Promise<Result<JobRecord>>;
  /** Who is connected to the live database now. */
  loadSessions(): Promise<Result<OutputOf<'pg:sessions'>>>;
  /** Starts a restore by swap. */
  restoreDatabase(input: InputOf<'pg:restore'>): Promise<Result<JobRecord>>;
  /** Swaps the database as it was before the last restore back in; the check is read again. */
  undoDatabaseRestore(endSessions: boolean): Promise<Result<OutputOf<'pg:undo'>>>;
  /** Drops the databases kept for undo; the check is read again. */
  dropOldDatabases(): Promise<Result<OutputOf<'pg:drop-old'>>>;
  /** The migrations of a folder (by default the folder's own `database/migrations`). */
  loadMigrations(folder?: string): Promise<void>;
  /** Applies the pending migrations after a pre-migration backup. */
  applyMigrations(folder?: string): Promise<Result<JobRecord>>;
  checkIntegrity(): Promise<void>;
}

function loaded<T>(result: Result<T>): Loadable<T> {
  return result.ok
    ? { status: 'ready', value: result.value }
    : { status: 'error', error: result.error, value: null };
}

export const createPostgresSlice: SliceCreator<PostgresSlice> = (set, get, client) => {
  /** Starts a job through `channel` and follows it like any other. */
  async function started(result: Result<JobRecord>): Promise<Result<JobRecord>> {
    if (result.ok) get().jobProgressed(result.value);
    return result;
  }

  return {
    postgresStatus: idle,
    databaseUsage: idle,
    postgresCheck: idle,
    databaseBackups: idle,
    migrations: idle,
    integrity: idle,

    async loadPostgresStatus() {
      set({ postgresStatus: reloading(get().postgresStatus) });
      set({ postgresStatus: loaded(await call(client, 'pg:status', {})) });
    },

    async loadDatabaseUsage() {
      await get().loadPostgresStatus();
      const status = get().postgresStatus;
      if (status.status !== 'ready' || !status.value.connected) {
        set({ databaseUsage: idle });
        return;
      }
      set({ databaseUsage: reloading(get().databaseUsage) });
      set({ databaseUsage: loaded(await call(client, 'pg:usage', {})) });
    },

    async backUpBeforeUpdate() {
      return started(await call(client, 'pg:guard', {}));
    },

    async connectDatabase(input) {
      const result = await call(client, 'pg:connect', input);
      if (result.ok) {
        set({ postgresCheck: { status: 'ready', value: result.value } });
        await get().loadPostgresStatus();
      }
      return result;
    },

    async loadPostgresCheck() {
      set({ postgresCheck: reloading(get().postgresCheck) });
      set({ postgresCheck: loaded(await call(client, 'pg:check', {})) });
    },

    async loadDatabaseBackups() {
      set({ databaseBackups: reloading(get().databaseBackups) });
      set({ databaseBackups: loaded(await call(client, 'pg:backups', {})) });
    },

    async backUpDatabase(kind) {
      return started(await call(client, 'pg:backup', { kind }));
    },

    loadSessions: () => call(client, 'pg:sessions', {}),

    async restoreDatabase(input) {
      return started(await call(client, 'pg:restore', input));
    },

    async undoDatabaseRestore(endSessions) {
      const result = await call(client, 'pg:undo', { endSessions });
      if (result.ok) await get().loadPostgresCheck();
      return result;
    },

    async dropOldDatabases() {
      const result = await call(client, 'pg:drop-old', {});
      await get().loadPostgresCheck();
      return result;
    },

    async loadMigrations(folder) {
      set({ migrations: reloading(get().migrations) });
      set({ migrations: loaded(await call(client, 'pg:migrations', folder ? { folder } : {})) });
    },

    async applyMigrations(folder) {
      return started(await call(client, 'pg:migrate', folder ? { folder } : {}));
    },

    async checkIntegrity() {
      set({ integrity: reloading(get().integrity) });
      set({ integrity: loaded(await call(client, 'pg:integrity', {})) });
    },
  };
};
