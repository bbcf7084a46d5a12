import type { Result } from '../../../src-shared/errors';
import type { JobRecord } from '../../../src-shared/models/jobs';
import type {
  LastRestore,
  LatestChoice,
  RestorableBackup,
  RestorePlan,
  RestoreScope,
} from '../../../src-shared/models/restore';
import { call } from './call';
import { idle, reloading, valueOf, type Loadable } from './loadable';
import type { SliceCreator } from './slice';

/** The restore wizard, the one-click confirmation, undo, export and import. */
export interface RestoreSlice {
  restoreBackups: Loadable<ReadonlyArray<RestorableBackup>>;
  lastRestore: Loadable<LastRestore | null>;
  /** The restore job the wizard follows (started from the wizard or the confirmation). */
  restoreJobId: string | null;
  /** Whether the one-click confirmation is open. */
  restoreConfirmOpen: boolean;
  loadRestoreBackups(): Promise<void>;
  loadLastRestore(): Promise<void>;
  planRestore(backup: string, scope: RestoreScope): Promise<Result<RestorePlan>>;
  /** The one-click plan: the latest backup, or the newest verified one; `reason` when none. */
  planLatestRestore(
    which?: LatestChoice,
  ): Promise<Result<{ plan: RestorePlan | null; reason: string | null }>>;
  applyRestore(backup: string, scope: RestoreScope): Promise<Result<JobRecord>>;
  undoRestore(): Promise<Result<JobRecord>>;
  exportBackup(backup: string, target: string): Promise<Result<JobRecord>>;
  importBackup(file: string): Promise<Result<JobRecord>>;
  /** Opens the restore page on the one-click confirmation (tray, Backups page). */
  openRestoreConfirm(): void;
  closeRestoreConfirm(): void;
  /** Forgets the followed job, for a new restore. */
  clearRestoreJob(): void;
}

export const createRestoreSlice: SliceCreator<RestoreSlice> = (set, get, client) => {
  const started = (result: Result<JobRecord>) => {
    if (result.ok) {
      get().jobProgressed(result.value);
      set({ restoreJobId: result.value.id });
    }
    return result;
  };

  return {
    restoreBackups: idle,
    lastRestore: idle,
    restoreJobId: null,
    restoreConfirmOpen: false,

    async loadRestoreBackups() {
      set({ restoreBackups: reloading(get().restoreBackups) });
      const result = await call(client, 'restore:backups', {});
      set({
        restoreBackups: result.ok
          ? { status: 'ready', value: result.value.backups }
          : { status: 'error', error: result.error, value: valueOf(get().restoreBackups) },
      });
    },

    async loadLastRestore() {
      set({ lastRestore: reloading(get().lastRestore) });
      const result = await call(client, 'restore:last', {});
      set({
        lastRestore: result.ok
          ? { status: 'ready', value: result.value.last }
          : { status: 'error', error: result.error, value: null },
      });
    },

    planRestore: (backup, scope) => call(client, 'restore:plan', { backup, scope }),
    planLatestRestore: (which = 'latest') => call(client, 'restore:latest', { which }),

    async applyRestore(backup, scope) {
      return started(await call(client, 'restore:apply', { backup, scope }));
    },

    async undoRestore() {
      return started(await call(client, 'restore:undo', {}));
    },

    async exportBackup(backup, target) {
      const result = await call(client, 'restore:export', { backup, target });
      if (result.ok) get().jobProgressed(result.value);
      return result;
    },

    async importBackup(file) {
      const result = await call(client, 'restore:import', { file });
      if (result.ok) get().jobProgressed(result.value);
      return result;
    },

    openRestoreConfirm() {
      set({ restoreConfirmOpen: true });
      get().navigate('restore');
    },

    closeRestoreConfirm() {
      set({ restoreConfirmOpen: false });
    },

    clearRestoreJob() {
      set({ restoreJobId: null });
    },
  };
};
