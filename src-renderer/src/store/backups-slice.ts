import type { Result } from '../../../src-shared/errors';
import type {
  BackupRecord,
  DestinationInfo,
  PrunePlan,
  RetentionPolicy,
  VerifyDepth,
} from '../../../src-shared/models/backups';
import type { JobRecord } from '../../../src-shared/models/jobs';
import { call } from './call';
import { idle, reloading, type Loadable } from './loadable';
import type { SliceCreator } from './slice';

/** The kinds a person starts from the page. */
export type ManualBackupKind = 'critical' | 'full';

/** The Backups page: history, destination, retention preview, and the jobs started there. */
export interface BackupsSlice {
  backups: Loadable<ReadonlyArray<BackupRecord>>;
  backupDestination: Loadable<DestinationInfo>;
  prunePlan: Loadable<PrunePlan>;
  loadBackups(): Promise<void>;
  loadBackupDestination(): Promise<void>;
  createBackup(kind: ManualBackupKind): Promise<Result<JobRecord>>;
  verifyBackup(id: string, depth: VerifyDepth): Promise<Result<JobRecord>>;
  deleteBackup(id: string): Promise<Result<BackupRecord>>;
  /** What retention would delete, under the saved policy or under numbers being edited. */
  previewPrune(policy?: RetentionPolicy): Promise<void>;
  prune(): Promise<Result<PrunePlan>>;
  /** Follows backup news while the page is shown; returns the stop. */
  watchBackups(): () => void;
}

const backupJobKinds = new Set(['backup', 'verify', 'prune', 'restore']);

export const createBackupsSlice: SliceCreator<BackupsSlice> = (set, get, client) => {
  const started = (result: Result<JobRecord>) => {
    if (result.ok) get().jobProgressed(result.value);
    return result;
  };

  return {
    backups: idle,
    backupDestination: idle,
    prunePlan: idle,

    async loadBackups() {
      set({ backups: reloading(get().backups) });
      const result = await call(client, 'backups:list', {});
      if (result.ok && result.value.runningJob) get().jobProgressed(result.value.runningJob);
      set({
        backups: result.ok
          ? { status: 'ready', value: result.value.backups }
          : { status: 'error', error: result.error, value: null },
      });
    },

    async loadBackupDestination() {
      set({ backupDestination: reloading(get().backupDestination) });
      const result = await call(client, 'backups:destination', {});
      set({
        backupDestination: result.ok
          ? { status: 'ready', value: result.value }
          : { status: 'error', error: result.error, value: null },
      });
    },

    async createBackup(kind) {
      return started(await call(client, 'backups:create', { kind }));
    },

    async verifyBackup(id, depth) {
      return started(await call(client, 'backups:verify', { id, depth }));
    },

    async deleteBackup(id) {
      const result = await call(client, 'backups:delete', { id });
      if (result.ok) void get().loadBackups();
      return result;
    },

    async previewPrune(policy) {
      set({ prunePlan: reloading(get().prunePlan) });
      const result = await call(client, 'backups:prune-plan', policy ? { policy } : {});
      set({
        prunePlan: result.ok
          ? { status: 'ready', value: result.value }
          : { status: 'error', error: result.error, value: null },
      });
    },

    async prune() {
      const result = await call(client, 'backups:prune', {});
      if (result.ok) {
        void get().loadBackups();
        void get().previewPrune();
      }
      return result;
    },

    watchBackups() {
      const offs = [
        client.on('backups:changed', () => void get().loadBackups()),
        client.on('job:finished', (job) => {
          if (backupJobKinds.has(job.kind)) {
            void get().loadBackups();
            void get().loadBackupDestination();
          }
        }),
        client.on('settings:changed', () => {
          void get().loadBackupDestination();
          void get().loadBackups();
        }),
        client.on('root:changed', () => {
          set({ backups: idle, backupDestination: idle, prunePlan: idle });
          void get().loadBackups();
          void get().loadBackupDestination();
        }),
      ];
      return () => offs.forEach((off) => off());
    },
  };
};
