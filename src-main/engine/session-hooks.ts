/**
 * What each domain adds to the life of an open root, one line per domain.
 *
 * Note: domains register here rather than in RootSession or Engine, so a new domain's
 * start-up work (clearing a half-written archive, cleaning staging) or schedules do not
 * touch the classes every other domain also relies on. Each line loads its domain's module
 * only when the hook runs or the schedules are built: a one-shot command that opens a root
 * pays for the recoveries, never for the schedules of every domain.
 */
import type { Settings } from '../../src-shared/models/settings';
import type { EngineServices } from './engine-services';
import type { RootSession } from './root-session';
import type { ScheduleEntry } from './schedule/scheduler';

/** Runs when a root opens, before any handler sees it: recovery of interrupted work. */
export type SessionOpenHook = (session: RootSession, engine: EngineServices) => Promise<void>;

/** The scheduled actions a domain wants for the current settings. */
export type ScheduleSource = (
  session: RootSession,
  engine: EngineServices,
  settings: Settings,
) => ReadonlyArray<ScheduleEntry>;

/** Loads a domain's hook or schedule source from its module, when it is needed. */
export type Deferred<T> = () => Promise<T>;

/** Every domain's start-up recovery, in order. */
export const sessionOpenHooks: ReadonlyArray<Deferred<SessionOpenHook>> = [
  // Restore first: a killed restore is put right before anything else reads the root.
  async () => (await import('./restore/restore-recovery')).recoverRestoreHook,
  async () => (await import('./backup/backup-schedules')).recoverBackups,
  // Before vectors open assistant.db: a schema migration killed half-way is undone first.
  async () => (await import('./maintenance/maintenance-schedules')).maintenanceRecoveryHook,
  async () => (await import('./vectors/vectors-hooks')).vectorsOpenHook,
];

/** Every domain's schedules. */
export const scheduleSources: ReadonlyArray<Deferred<ScheduleSource>> = [
  // Scheduled backups wait on a low battery and skip (named) a disk that is not plugged in.
  async () => {
    const [{ withBackupConditions }, { backupSchedules }] = await Promise.all([
      import('./schedule/scheduled-backup-gate'),
      import('./backup/backup-schedules'),
    ]);
    return withBackupConditions(backupSchedules);
  },
  async () => (await import('./vectors/vectors-hooks')).vectorsScheduleSource,
  async () => (await import('./maintenance/maintenance-schedules')).maintenanceSchedules,
  async () => (await import('./usage/usage-schedule')).usageSchedules,
];

/** Runs every domain's start-up recovery on a root that just opened, one after the other. */
export async function runSessionOpenHooks(
  session: RootSession,
  engine: EngineServices,
): Promise<void> {
  for (const load of sessionOpenHooks) {
    const hook = await load();
    await hook(session, engine);
  }
}

/** Every domain's schedule source, loaded, in the order of `scheduleSources`. */
export async function loadScheduleSources(): Promise<ScheduleSource[]> {
  return Promise.all(scheduleSources.map((load) => load()));
}

/** Every domain's scheduled entries for a root and its settings. */
export async function scheduleEntriesFor(
  session: RootSession,
  engine: EngineServices,
  settings: Settings,
): Promise<ScheduleEntry[]> {
  const sources = await loadScheduleSources();
  return sources.flatMap((source) => source(session, engine, settings));
}
