import type { Result } from '../../../src-shared/errors';
import type { JobRecord } from '../../../src-shared/models/jobs';
import type { DatabaseUsageInfo, PostgresStatus } from '../../../src-shared/models/postgres';
import { call } from './call';
import { idle, reloading, type Loadable } from './loadable';
import type { SliceCreator } from './slice';

/**
 * A postgres-app folder's database (issue 11): whether the folder has one and Tend is
 * connected, its usage by table (Overview), and the backup before an update (Backups).
 */
export interface PostgresSlice {
  postgresStatus: Loadable<PostgresStatus>;
  databaseUsage: Loadable<DatabaseUsageInfo>;
  loadPostgresStatus(): Promise<void>;
  /** Reads the status, then the usage when Tend is connected to a database. */
  loadDatabaseUsage(): Promise<void>;
  /** Starts the pre-update backup (database and files); its job is followed like any other. */
  backUpBeforeUpdate(): Promise<Result<JobRecord>>;
}

export const createPostgresSlice: SliceCreator<PostgresSlice> = (set, get, client) => ({
  postgresStatus: idle,
  databaseUsage: idle,

  async loadPostgresStatus() {
    set({ postgresStatus: reloading(get().postgresStatus) });
    const result = await call(client, 'pg:status', {});
    set({
      postgresStatus: result.ok
        ? { status: 'ready', value: result.value }
        : { status: 'error', error: result.error, value: null },
    });
  },

  async loadDatabaseUsage() {
    await get().loadPostgresStatus();
    const status = get().postgresStatus;
    if (status.status !== 'ready' || !status.value.connected) {
      set({ databaseUsage: idle });
      return;
    }
    set({ databaseUsage: reloading(get().databaseUsage) });
    const result = await call(client, 'pg:usage', {});
    set({
      databaseUsage: result.ok
        ? { status: 'ready', value: result.value }
        : { status: 'error', error: result.error, value: null },
    });
  },

  async backUpBeforeUpdate() {
    const result = await call(client, 'pg:guard', {});
    if (result.ok) get().jobProgressed(result.value);
    return result;
  },
});
