import type { Result } from '../../../src-shared/errors';
import type { JobRecord } from '../../../src-shared/models/jobs';
import type {
  ConflictChoice,
  ConflictResolution,
  LegacyMigrationPlan,
  LegacyMigrationStatus,
  RecordFormat,
  RecordKind,
  RetentionPolicy,
  ScheduleRun,
  ScheduleStatus,
  SchemaStatus,
  ScrubReport,
  TierSummary,
} from '../../../src-shared/models/maintenance';
import { call } from './call';
import { idle, reloading, type Loadable } from './loadable';
import type { SliceCreator } from './slice';

/** The filters of the run history. */
export interface RunHistoryFilter {
  readonly scheduleId: string | null;
  readonly failuresOnly: boolean;
}

/** The Maintenance page: every scheduled job, its runs, the data lifecycle and migrations. */
export interface MaintenanceSlice {
  maintenanceSchedules: Loadable<ReadonlyArray<ScheduleStatus>>;
  maintenanceRuns: Loadable<ReadonlyArray<ScheduleRun>>;
  maintenanceRunFilter: RunHistoryFilter;
  maintenanceTiers: Loadable<TierSummary>;
  maintenanceSchema: Loadable<SchemaStatus>;
  legacyStatus: Loadable<LegacyMigrationStatus>;
  legacyPlan: Loadable<LegacyMigrationPlan>;
  retentionPolicy: Loadable<RetentionPolicy>;
  /** What the privacy scrub would change now (asked on demand: it reads every row due). */
  scrubPreview: Loadable<ScrubReport>;
  loadScrubPreview(): Promise<void>;
  loadRetentionPolicy(): Promise<void>;
  saveRetentionPolicy(policy: RetentionPolicy): Promise<Result<RetentionPolicy>>;
  /** Asks for everything the page shows. */
  loadMaintenance(): Promise<void>;
  loadMaintenanceRuns(filter?: RunHistoryFilter): Promise<void>;
  runScheduleNow(id: string): Promise<Result<{ job: JobRecord | null }>>;
  setSchedulePaused(id: string, paused: boolean): Promise<Result<ScheduleStatus>>;
  loadLegacyPlan(
    resolution: ConflictResolution,
    choices: Readonly<Record<string, ConflictChoice>>,
  ): Promise<void>;
  /** Starts a maintenance job; the job appears in the running jobs. */
  startMaintenanceJob(
    action:
      | {
          kind: 'legacy-apply';
          resolution: ConflictResolution;
          choices: Record<string, ConflictChoice>;
          dryRun: boolean;
        }
      | { kind: 'legacy-rollback' }
      | { kind: 'schema-migrate' }
      | { kind: 'archive'; dryRun: boolean }
      | { kind: 'scrub'; dryRun: boolean },
  ): Promise<Result<JobRecord>>;
  /**
   * Starts an export to, or an import from, a file. An export replaces an existing file only
   * with `replace` (the person ticked it).
   */
  startRecordsTransfer(
    direction: 'export' | 'import',
    kind: RecordKind,
    format: RecordFormat,
    path: string,
    replace?: boolean,
  ): Promise<Result<JobRecord>>;
  /** Reloads as jobs end and roots change, while the page is shown; returns the stop. */
  watchMaintenance(): () => void;
}

function toLoadable<T>(result: Result<T>): Loadable<T> {
  return result.ok
    ? { status: 'ready', value: result.value }
    : { status: 'error', error: result.error, value: null };
}

export const createMaintenanceSlice: SliceCreator<MaintenanceSlice> = (set, get, client) => ({
  maintenanceSchedules: idle,
  maintenanceRuns: idle,
  maintenanceRunFilter: { scheduleId: null, failuresOnly: false },
  maintenanceTiers: idle,
  maintenanceSchema: idle,
  legacyStatus: idle,
  legacyPlan: idle,
  retentionPolicy: idle,
  scrubPreview: idle,

  async loadScrubPreview() {
    set({ scrubPreview: reloading(get().scrubPreview) });
    set({ scrubPreview: toLoadable(await call(client, 'scrub:preview', {})) });
  },

  async loadRetentionPolicy() {
    set({ retentionPolicy: reloading(get().retentionPolicy) });
    set({ retentionPolicy: toLoadable(await call(client, 'retention:get', {})) });
  },

  async saveRetentionPolicy(policy) {
    const result = await call(client, 'retention:set', { policy });
    if (result.ok) {
      set({ retentionPolicy: { status: 'ready', value: result.value } });
      void get().loadMaintenance();
    }
    return result;
  },

  async loadMaintenance() {
    set({
      maintenanceSchedules: reloading(get().maintenanceSchedules),
      maintenanceTiers: reloading(get().maintenanceTiers),
      maintenanceSchema: reloading(get().maintenanceSchema),
      legacyStatus: reloading(get().legacyStatus),
    });
    const [schedules, tiers, schema, legacy] = await Promise.all([
      call(client, 'schedule:list', {}),
      call(client, 'analytics:tiers', {}),
      call(client, 'schema:status', {}),
      call(client, 'legacy:status', {}),
    ]);
    set({
      maintenanceSchedules: toLoadable(
        schedules.ok ? { ok: true, value: schedules.value.schedules } : schedules,
      ),
      maintenanceTiers: toLoadable(tiers),
      maintenanceSchema: toLoadable(schema),
      legacyStatus: toLoadable(legacy),
    });
    await get().loadMaintenanceRuns();
  },

  async loadMaintenanceRuns(filter) {
    const next = filter ?? get().maintenanceRunFilter;
    set({ maintenanceRunFilter: next, maintenanceRuns: reloading(get().maintenanceRuns) });
    const result = await call(client, 'schedule:history', {
      ...(next.scheduleId ? { scheduleId: next.scheduleId } : {}),
      failuresOnly: next.failuresOnly,
      limit: 100,
    });
    // A newer filter may have been chosen while this one loaded.
    if (get().maintenanceRunFilter !== next) return;
    set({
      maintenanceRuns: toLoadable(result.ok ? { ok: true, value: result.value.runs } : result),
    });
  },

  async runScheduleNow(id) {
    const result = await call(client, 'schedule:run-now', { id });
    if (result.ok && result.value.job) get().jobProgressed(result.value.job);
    void get().loadMaintenance();
    return result;
  },

  async setSchedulePaused(id, paused) {
    const result = await call(client, 'schedule:pause', { id, paused });
    if (result.ok) {
      const list = get().maintenanceSchedules;
      if (list.status === 'ready') {
        set({
          maintenanceSchedules: {
            status: 'ready',
            value: list.value.map((s) => (s.id === id ? result.value : s)),
          },
        });
      }
    }
    return result;
  },

  async loadLegacyPlan(resolution, choices) {
    set({ legacyPlan: reloading(get().legacyPlan) });
    set({ legacyPlan: toLoadable(await call(client, 'legacy:plan', { resolution, choices })) });
  },

  async startMaintenanceJob(action) {
    const result =
      action.kind === 'legacy-apply'
        ? await call(client, 'legacy:apply', {
            resolution: action.resolution,
            choices: action.choices,
            dryRun: action.dryRun,
          })
        : action.kind === 'legacy-rollback'
          ? await call(client, 'legacy:rollback', {})
          : action.kind === 'schema-migrate'
            ? await call(client, 'schema:migrate', {})
            : action.kind === 'archive'
              ? await call(client, 'analytics:archive', { dryRun: action.dryRun })
              : await call(client, 'scrub:run', { dryRun: action.dryRun });
    if (result.ok) get().jobProgressed(result.value);
    return result;
  },

  async startRecordsTransfer(direction, kind, format, path, replace = false) {
    const result =
      direction === 'export'
        ? await call(client, 'records:export', { kind, format, path, replace })
        : await call(client, 'records:import', { kind, format, path });
    if (result.ok) get().jobProgressed(result.value);
    return result;
  },

  watchMaintenance() {
    const offs = [
      client.on('job:finished', (job) => {
        // A scrub or an archival changed what a preview counted.
        if (job.kind === 'scrub' || job.kind === 'archival') set({ scrubPreview: idle });
        void get().loadMaintenance();
      }),
      client.on('root:changed', () => {
        set({ legacyPlan: idle });
        void get().loadMaintenance();
      }),
    ];
    return () => offs.forEach((off) => off());
  },
});
