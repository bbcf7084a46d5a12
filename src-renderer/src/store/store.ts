import { createStore, type StoreApi } from 'zustand/vanilla';
import type { TendClient } from '../../../src-shared/client';
import { createAppBackupsSlice } from './app-backups-slice';
import { createBackupsSlice } from './backups-slice';
import { createConnectionSlice } from './connection-slice';
import { createFirstRunSlice } from './first-run-slice';
import { createHealthSlice } from './health-slice';
import { createIndexesSlice } from './indexes-slice';
import { createJobsSlice } from './jobs-slice';
import { createMaintenanceSlice } from './maintenance-slice';
import { createMoveSlice } from './move-slice';
import { createNavigationSlice, type PageId } from './navigation-slice';
import { createPostgresSlice } from './postgres-slice';
import { createRepositorySlice } from './repository-slice';
import { createProfilesSlice } from './profiles-slice';
import { createRestoreSlice } from './restore-slice';
import { createRootSlice } from './root-slice';
import { createSettingsSlice } from './settings-slice';
import type { TendState } from './slice';
import { createUnattendedSlice } from './unattended-slice';
import { createUsageSlice } from './usage-slice';

export type { TendState } from './slice';
export type TendStore = StoreApi<TendState>;

/**
 * The renderer's one store, made of slices over one client.
 *
 * A plain (vanilla) store so the slices run under vitest with a fake client; React reads it
 * through `useTend` with selectors.
 */
export function createTendStore(
  raw: TendClient,
  options: { initialPage?: PageId; retryEveryMs?: number } = {},
): TendStore {
  // Every answer passes the connection slice on its way: a host that stopped, or refuses the
  // page's key, is noticed by whichever call meets it first and said once, page-wide.
  let store: TendStore | null = null;
  const client: TendClient = {
    async invoke(channel, input) {
      const result = await raw.invoke(channel, input);
      store?.getState().callAnswered(result);
      return result;
    },
    on: (event, listener) => raw.on(event, listener),
  };
  store = createStore<TendState>()((set, get) => ({
    ...createConnectionSlice({ retryEveryMs: options.retryEveryMs })(set, get, client),
    ...createRootSlice(set, get, client),
    ...createFirstRunSlice(set, get, client),
    ...createUsageSlice(set, get, client),
    ...createBackupsSlice(set, get, client),
    ...createAppBackupsSlice(set, get, client),
    ...createRestoreSlice(set, get, client),
    ...createSettingsSlice(set, get, client),
    ...createJobsSlice(set, get, client),
    ...createIndexesSlice(set, get, client),
    ...createMaintenanceSlice(set, get, client),
    ...createUnattendedSlice(set, get, client),
    ...createHealthSlice(set, get, client),
    ...createPostgresSlice(set, get, client),
    ...createMoveSlice(set, get, client),
    ...createRepositorySlice(set, get, client),
    ...createProfilesSlice(set, get, client),
    ...createNavigationSlice(options.initialPage ?? 'overview')(set, get, client),
  }));
  return store;
}
