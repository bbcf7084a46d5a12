import type { Result } from '../../../src-shared/errors';
import type {
  FolderSurvey,
  ProfileId,
  ProfileInfo,
  StoreChecks,
  StoreRestoreOffer,
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
  storeChecks: Loadable<StoreChecks>;
  /** Checks every store of the open folder (profiles:check). */
  loadStoreChecks(): Promise<void>;
  /**
   * Opens the restore wizard on what a store check offers back: its backup chosen, and the
   * scope's id (an entity) or the store's paths preselected, at the "What to restore" step.
   */
  restoreFromOffer(offer: StoreRestoreOffer): void;
}

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
    const result = await call(client, 'profiles:check', {});
    set({
      storeChecks: result.ok
        ? { status: 'ready', value: result.value }
        : { status: 'error', error: result.error, value: valueOf(get().storeChecks) },
    });
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
