import type { StoreApi } from 'zustand';
import type { TendClient } from '../../../src-shared/client';
import type { AppBackupsSlice } from './app-backups-slice';
import type { BackupsSlice } from './backups-slice';
import type { ConnectionSlice } from './connection-slice';
import type { FirstRunSlice } from './first-run-slice';
import type { HealthSlice } from './health-slice';
import type { IndexesSlice } from './indexes-slice';
import type { JobsSlice } from './jobs-slice';
import type { MaintenanceSlice } from './maintenance-slice';
import type { MoveSlice } from './move-slice';
import type { NavigationSlice } from './navigation-slice';
import type { PostgresSlice } from './postgres-slice';
import type { RepositorySlice } from './repository-slice';
import type { ProfilesSlice } from './profiles-slice';
import type { RestoreSlice } from './restore-slice';
import type { RootSlice } from './root-slice';
import type { SettingsSlice } from './settings-slice';
import type { UnattendedSlice } from './unattended-slice';
import type { UsageSlice } from './usage-slice';

/** The whole renderer state: every slice side by side. */
export type TendState = RootSlice &
  FirstRunSlice &
  UsageSlice &
  BackupsSlice &
  AppBackupsSlice &
  RestoreSlice &
  SettingsSlice &
  JobsSlice &
  IndexesSlice &
  MaintenanceSlice &
  UnattendedSlice &
  HealthSlice &
  PostgresSlice &
  MoveSlice &
  RepositorySlice &
  ProfilesSlice &
  NavigationSlice &
  ConnectionSlice;

/**
 * Builds one slice. Slices see the whole state through `get`, so one slice can react to
 * another's news (a finished demo job opens Overview) without a second store.
 */
export type SliceCreator<T> = (
  set: StoreApi<TendState>['setState'],
  get: StoreApi<TendState>['getState'],
  client: TendClient,
) => T;
