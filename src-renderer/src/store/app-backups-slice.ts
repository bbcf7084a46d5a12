import type { Result } from '../../../src-shared/errors';
import type { AppBackupList } from '../../../src-shared/models/backups';
import type { JobRecord } from '../../../src-shared/models/jobs';
import { call } from './call';
import { idle, reloading, type Loadable } from './loadable';
import type { SliceCreator } from './slice';

/** The backups the app made itself (the memory system's), and importing one into the history. */
export interface AppBackupsSlice {
  appBackups: Loadable<AppBackupList>;
  loadAppBackups(): Promise<void>;
  /** Starts the import of one of them as a job (its result is the history's backup). */
  importAppBackup(file: string): Promise<Result<JobRecord>>;
}

export const createAppBackupsSlice: SliceCreator<AppBackupsSlice> = (set, get, client) => ({
  appBackups: idle,

  async loadAppBackups() {
    set({ appBackups: reloading(get().appBackups) });
    const result = await call(client, 'backups:app-list', {});
    set({
      appBackups: result.ok
        ? { status: 'ready', value: result.value }
        : { status: 'error', error: result.error, value: null },
    });
  },

  async importAppBackup(file) {
    const result = await call(client, 'backups:app-import', { file, dryRun: false });
    if (!result.ok) return result;
    const job = result.value.job;
    if (!job) {
      return {
        ok: false,
        error: { code: 'INTERNAL', message: 'The import started no job.' },
      };
    }
    get().jobProgressed(job);
    return { ok: true, value: job };
  },
});
