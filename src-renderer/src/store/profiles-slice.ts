import type { Result } from '../../../src-shared/errors';
import { isFinished, type JobRecord } from '../../../src-shared/models/jobs';
import {
  StoreChecksSchema,
  type FolderSurvey,
  type ProfileId,
  type ProfileInfo,
  type StoreChecks,
  type StoreRestoreOffer,
} from '../../../src-shared/models/profiles';
import type { FolderFindings } from '../../../src-shared/models/root';
import { call } from './call';
import { idle, reloading, valueOf, type Loadable } from './loadable';
import { emptyRestoreDraft } from './restore-slice';
import type { SliceCreator } from './slice';

/**
 * The profiles: every kind of folder Tend knows (for the first run's choice), what a folder
 * holds read as one (before it is adopted), and the checks of the open folder's stores.
 */
export interface ProfilesSlice {
  profileList: Loadable<ReadonlyArray<ProfileInfo>>;
  loadProfiles(): Promise<void>;
  /** What Tend finds in a folder (root:inspect): its markers, its top, a refusal. Reads only. */
  inspectFolder(path: string): Promise<Result<FolderFindings>>;
  /** What a folder holds, read as `profile` (the detected one unless given). Reads only. */
  surveyFolder(path: string, profile?: ProfileId): Promise<Result<FolderSurvey>>;
  /** The findings of the newest store check that finished; null before the first one. */
  storeChecks: Loadable<StoreChecks | null>;
  /**
   * Reads the newest store check from the catalog (profiles:last-check): its findings, and a
   * check still running is followed. When the folder was never checked, starts a check.
   */
  loadStoreChecks(): Promise<void>;
  /** Starts a store check job (profiles:check) at the place `STORE_CHECK_PLACE`. */
  runStoreChecks(): Promise<void>;
  /** A store-check job ended: its findings become the ones shown. */
  storeCheckEnded(job: JobRecord): void;
  /**
   * Opens the restore wizard on what a store check offers back: its backup chosen, and the
   * scope's id (an entity) or the store's paths preselected, at the "What to restore" step.
   */
  restoreFromOffer(offer: StoreRestoreOffer): void;
}

/** The place a store check is started from (jobs slice's placed jobs). */
export const STORE_CHECK_PLACE = 'store-check';

export const createProfilesSlice: SliceCreator<ProfilesSlice> = (set, get, client) => ({
  profileList: idle,
  storeChecks: idle,

  async loadProfiles() {
    set({ profileList: reloading(get().profileList) });
    const result = await call(client, 'profiles:list', {});
    set({
      profileList: result.ok
        ? { status: 'ready', value: result.value.profiles }
        : { status: 'error', error: result.error, value: valueOf(get().profileList) },
    });
  },

  inspectFolder: (path) => call(client, 'root:inspect', { path }),

  surveyFolder: (path, profile) =>
    call(client, 'profiles:survey', profile === undefined ? { path } : { path, profile }),

  async loadStoreChecks() {
    set({ storeChecks: reloading(get().storeChecks) });
    const result = await call(client, 'profiles:last-check', {});
    if (!result.ok) {
      set({
        storeChecks: { status: 'error', error: result.error, value: valueOf(get().storeChecks) },
      });
      return;
    }
    const { job, checks } = result.value;
    set({ storeChecks: { status: 'ready', value: checks } });
    if (job) {
      get().placeJob(STORE_CHECK_PLACE, job.id);
      if (isFinished(job.state)) get().jobFinished(job);
      else get().jobProgressed(job);
    }
    const running = job !== null && !isFinished(job.state);
    if (checks === null && !running) await get().runStoreChecks();
  },

  async runStoreChecks() {
    const result = await get().startJobAt(STORE_CHECK_PLACE, () =>
      call(client, 'profiles:check', {}),
    );
    if (result === null) return;
    if (!result.ok) {
      set({
        storeChecks: { status: 'error', error: result.error, value: valueOf(get().storeChecks) },
      });
      return;
    }
    if (isFinished(result.value.state)) get().jobFinished(result.value);
    else get().jobProgressed(result.value);
  },

  storeCheckEnded(job) {
    if (job.kind !== 'store-check' || job.state !== 'succeeded') return;
    const parsed = StoreChecksSchema.safeParse(job.result);
    if (parsed.success) set({ storeChecks: { status: 'ready', value: parsed.data } });
  },

  restoreFromOffer(offer) {
    get().resetRestoreDraft();
    get().editRestoreDraft({
      ...emptyRestoreDraft,
      step: 1,
      backupPath: offer.archivePath,
      ...(offer.scope
        ? { scopeKind: 'scope', scope: offer.scope.scope, scopeItem: offer.scope.id }
        : { scopeKind: 'paths', paths: offer.paths.join('\n') }),
    });
    get().navigate('restore');
    // The wizard finds the backup in its list: one made since the list was read must be in it.
    void get().loadRestoreBackups();
    // The "everything" plan lists the scopes' ids the backup holds, as choosing it does.
    void call(client, 'restore:plan', {
      backup: offer.archivePath,
      scope: { kind: 'everything' },
    }).then((result) => {
      if (result.ok) get().restoreOverviewLoaded(offer.archivePath, result.value);
    });
  },
});
