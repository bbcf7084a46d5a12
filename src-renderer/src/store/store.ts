import { createStore, type StoreApi } from 'zustand/vanilla';
import type { TendClient } from '../../../src-shared/client';
import { createBackupsSlice } from './backups-slice';
import { createFirstRunSlice } from './first-run-slice';
import { createIndexesSlice } from './indexes-slice';
import { createJobsSlice } from './jobs-slice';
import { createMaintenanceSlice } from './maintenance-slice';
import { createNavigationSlice, type PageId } from './navigation-slice';
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
  client: TendClient,
  options: { initialPage?: PageId } = {},
): TendStore {
  return createStore<TendState>()((set, get) => ({
    ...createRootSlice(set, get, client),
    ...createFirstRunSlice(set, get, client),
    ...createUsageSlice(set, get, client),
    ...createBackupsSlice(set, get, client),
    ...createRestoreSlice(set, get, client),
    ...createSettingsSlice(set, get, client),
    ...createJobsSlice(set, get, client),
    ...createIndexesSlice(set, get, client),
    ...createMaintenanceSlice(set, get, client),
    ...createUnattendedSlice(set, get, client),
    ...createNavigationSlice(options.initialPage ?? 'overview')(set, get, client),
  }));
}
