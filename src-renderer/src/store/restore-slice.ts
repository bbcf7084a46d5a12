import type { Result } from '../../../src-shared/errors';
import type { Category } from '../../../src-shared/models/categories';
import { isFinished, type JobRecord } from '../../../src-shared/models/jobs';
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

/** The wizard's steps: backup, what, preview, confirm and run, report. */
export type RestoreStep = 0 | 1 | 2 | 3 | 4;

/**
 * Where a person is in the restore wizard, kept in the store so that leaving the page and
 * coming back finds it as it was left.
 */
export interface RestoreDraft {
  readonly step: RestoreStep;
  readonly backupPath: string | null;
  readonly scopeKind: RestoreScope['kind'];
  readonly categories: ReadonlyArray<Category>;
  readonly collection: string;
  /** For a scope of the profile (an entity, a workspace): which scope, and which of its ids. */
  readonly scope: string;
  readonly scopeItem: string;
  readonly paths: string;
  /** The "everything" plan of the chosen backup: the collections it holds. */
  readonly overview: RestorePlan | null;
  /** The preview of the chosen scope. */
  readonly plan: RestorePlan | null;
  readonly confirmed: boolean;
}

/** A wizard with nothing chosen. */
export const emptyRestoreDraft: RestoreDraft = {
  step: 0,
  backupPath: null,
  scopeKind: 'everything',
  categories: ['irreplaceable'],
  collection: '',
  scope: '',
  scopeItem: '',
  paths: '',
  overview: null,
  plan: null,
  confirmed: false,
};

/** Whether a job is a restore of the data folder (or its undo), not an export elsewhere. */
export function isRootRestore(job: JobRecord): boolean {
  return job.kind === 'restore' && job.writesRoot;
}

/** The restore wizard, the one-click confirmation, undo, export and import. */
export interface RestoreSlice {
  restoreBackups: Loadable<ReadonlyArray<RestorableBackup>>;
  lastRestore: Loadable<LastRestore | null>;
  /**
   * The restore job the wizard follows: started here, from the one-click confirmation, or
   * found running (after a reload, or started by the tray or another window).
   */
  restoreJobId: string | null;
  restoreDraft: RestoreDraft;
  editRestoreDraft(change: Partial<RestoreDraft>): void;
  /** Starts the wizard again from its first step. */
  resetRestoreDraft(): void;
  /** The "everything" plan of a backup arrived; kept only if that backup is still chosen. */
  restoreOverviewLoaded(backupPath: string, overview: RestorePlan): void;
  /** Called by the jobs slice for every job it hears of: a running restore is followed. */
  restoreJobSeen(job: JobRecord): void;
  /** Follows restore news while the page is shown; returns the stop. */
  watchRestore(): () => void;
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
    restoreDraft: emptyRestoreDraft,

    editRestoreDraft(change) {
      set({ restoreDraft: { ...get().restoreDraft, ...change } });
    },

    resetRestoreDraft() {
      set({ restoreDraft: emptyRestoreDraft, restoreJobId: null });
    },

    restoreOverviewLoaded(backupPath, overview) {
      const draft = get().restoreDraft;
      if (draft.backupPath === backupPath) set({ restoreDraft: { ...draft, overview } });
    },

    restoreJobSeen(job) {
      if (!isRootRestore(job) || isFinished(job.state)) return;
      const followed = get().restoreJobId;
      if (followed === job.id) return;
      // A restore that runs now takes the wizard over, unless it already follows one that
      // still runs (the data lock lets only one run at a time anyway).
      if (followed !== null && get().runningJobs[followed]) return;
      set({ restoreJobId: job.id });
    },

    watchRestore() {
      const offs = [
        client.on('job:finished', (job) => {
          if (!isRootRestore(job)) return;
          void get().loadLastRestore();
          void get().loadRestoreBackups();
        }),
        client.on('root:changed', () => {
          set({
            restoreBackups: idle,
            lastRestore: idle,
            restoreJobId: null,
            restoreDraft: emptyRestoreDraft,
          });
        }),
      ];
      return () => offs.forEach((off) => off());
    },

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
