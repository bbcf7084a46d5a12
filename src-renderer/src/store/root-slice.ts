import type { InputOf } from '../../../src-shared/contract';
import type { TendError, Result } from '../../../src-shared/errors';
import type { PickedPath } from '../../../src-shared/models/paths';
import type { ProfileId } from '../../../src-shared/models/profiles';
import type { RootInfo } from '../../../src-shared/models/root';
import { call } from './call';
import { idle, reloading, type Loadable } from './loadable';
import type { SliceCreator, TendState } from './slice';

/** Where the app stands with its data root. */
export type RootState =
  | { readonly status: 'loading' }
  /** root:info answered NO_ROOT: the first-run page asks for one. */
  | { readonly status: 'none' }
  /** `error` is the last refresh's failure, shown beside the still-valid info. */
  | { readonly status: 'open'; readonly info: RootInfo; readonly error: TendError | null }
  | { readonly status: 'error'; readonly error: TendError };

/** The open data root, the recent ones, and the actions that choose one. */
export interface RootSlice {
  root: RootState;
  recentRoots: Loadable<ReadonlyArray<string>>;
  loadRoot(): Promise<void>;
  /**
   * Opens a root: a typed path, or a picker's handle. With `adopt`, a folder where Tend found
   * nothing of an assistant's is managed anyway (the person saw the findings and chose it).
   */
  openRoot(
    path: string,
    options?: { adopt?: boolean; profile?: ProfileId },
  ): Promise<Result<RootInfo>>;
  createRoot(path: string): Promise<Result<RootInfo>>;
  /**
   * Asks the desktop shell for a folder; the web host answers with an error to show. The
   * answer's handle is what to pass back in a path field.
   */
  pickFolder(purpose: InputOf<'root:pick-folder'>['purpose']): Promise<Result<PickedPath>>;
  /** Asks the desktop shell for a file to import or export; the same as `pickFolder`. */
  pickFile(request: InputOf<'root:pick-file'>): Promise<Result<PickedPath>>;
  loadRecentRoots(): Promise<void>;
  /** A root was opened (here or elsewhere): show it, and forget what belonged to the old one. */
  rootChanged(info: RootInfo): void;
}

/** What depends on the open root and must be asked again when it changes. */
function resetForNewRoot(): Partial<TendState> {
  return {
    usage: idle,
    settings: idle,
    settingsProblem: null,
    runningJobs: {},
    // Another folder's figures must not show, even for the moment its own take to read.
    health: idle,
    repositoryStatus: idle,
    repositorySnapshots: idle,
    analytics: idle,
    // Whether the folder has a database, and that database's figures, are the folder's own.
    postgresStatus: idle,
    databaseUsage: idle,
    postgresCheck: idle,
    databaseBackups: idle,
    migrations: idle,
    integrity: idle,
    storeChecks: idle,
  };
}

export const createRootSlice: SliceCreator<RootSlice> = (set, get, client) => {
  function opened(info: RootInfo): void {
    const current = get().root;
    const samePath = current.status === 'open' && current.info.path === info.path;
    set({ root: { status: 'open', info, error: null }, ...(samePath ? {} : resetForNewRoot()) });
  }

  return {
    root: { status: 'loading' },
    recentRoots: idle,

    async loadRoot() {
      const before = get().root;
      if (before.status !== 'open') set({ root: { status: 'loading' } });
      const result = await call(client, 'root:info', {});
      if (result.ok) {
        opened(result.value);
      } else if (result.error.code === 'NO_ROOT') {
        set({ root: { status: 'none' }, ...resetForNewRoot() });
        get().beginFirstRun();
      } else {
        const now = get().root;
        set({
          root:
            now.status === 'open'
              ? { ...now, error: result.error }
              : { status: 'error', error: result.error },
        });
      }
    },

    async openRoot(path, options = {}) {
      const input = {
        path,
        ...(options.adopt ? { adopt: true } : {}),
        ...(options.profile ? { profile: options.profile } : {}),
      };
      const result = await call(client, 'root:open', input);
      if (result.ok) {
        opened(result.value);
        get().endFirstRun();
      }
      return result;
    },

    async createRoot(path) {
      const result = await call(client, 'root:create', { path });
      if (result.ok) {
        opened(result.value);
        get().endFirstRun();
      }
      return result;
    },

    pickFolder: (purpose) => call(client, 'root:pick-folder', { purpose }),

    pickFile: (request) => call(client, 'root:pick-file', request),

    async loadRecentRoots() {
      set({ recentRoots: reloading(get().recentRoots) });
      const result = await call(client, 'root:recent', {});
      set({
        recentRoots: result.ok
          ? { status: 'ready', value: result.value.paths }
          : { status: 'error', error: result.error, value: null },
      });
    },

    rootChanged(info) {
      opened(info);
      get().rootOpenedElsewhere();
    },
  };
};
