/**
 * What each domain adds to the life of an open root, one line per domain.
 *
 * Note: domains register here rather than in RootSession or Engine, so a new domain's
 * start-up work (clearing a half-written archive, cleaning staging) or schedules do not
 * touch the classes every other domain also relies on.
 */
import type { Settings } from '../../src-shared/models/settings';
import { backupSchedules, recoverBackups } from './backup/backup-schedules';
import type { EngineServices } from './engine-services';
import { maintenanceRecoveryHook, maintenanceSchedules } from './maintenance/maintenance-schedules';
import { recoverRestoreHook } from './restore/restore-recovery';
import type { RootSession } from './root-session';
import { withBackupConditions } from './schedule/scheduled-backup-gate';
import type { ScheduleEntry } from './schedule/scheduler';
import { usageSchedules } from './usage/usage-schedule';
import { vectorsOpenHook, vectorsScheduleSource } from './vectors/vectors-hooks';

/** Runs when a root opens, before any handler sees it: recovery of interrupted work. */
export type SessionOpenHook = (session: RootSession, engine: EngineServices) => Promise<void>;

/** The scheduled actions a domain wants for the current settings. */
export type ScheduleSource = (
  session: RootSession,
  engine: EngineServices,
  settings: Settings,
) => ReadonlyArray<ScheduleEntry>;

/** Every domain's start-up recovery, in order. */
export const sessionOpenHooks: ReadonlyArray<SessionOpenHook> = [
  // Restore first: a killed restore is put right before anything else reads the root.
  recoverRestoreHook,
  recoverBackups,
  // Before vectors open assistant.db: a schema migration killed half-way is undone first.
  maintenanceRecoveryHook,
  vectorsOpenHook,
];

/** Every domain's schedules. */
export const scheduleSources: ReadonlyArray<ScheduleSource> = [
  // Scheduled backups wait on a low battery and skip (named) a disk that is not plugged in.
  withBackupConditions(backupSchedules),
  vectorsScheduleSource,
  maintenanceSchedules,
  usageSchedules,
];
