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

/**
 * One run in the history: a schedule's run (on time, caught up, or "Run now"), or a job a
 * person started on a page or the command line (a migration, a dry run, a cleanup …).
 */
export interface RunEntry {
  readonly scheduleId: string | null;
  readonly trigger: ScheduleRun['trigger'] | 'started';
  readonly job: JobRecord;
}

/** How many runs the history shows. */
const HISTORY_LIMIT = 100;

// Measuring the disk runs whenever a page needs fresh figures: not a run to list.
const notListed = new Set<JobRecord['kind']>(['usage-scan']);

/** The schedule runs and the other jobs as one history, newest first. */
export function mergeRuns(
  runs: ReadonlyArray<ScheduleRun>,
  jobs: ReadonlyArray<JobRecord>,
  filter: RunHistoryFilter,
): RunEntry[] {
  const scheduled = new Set(runs.map((run) => run.job.id));
  const failed = (job: JobRecord) => job.state === 'failed' || job.state === 'interrupted';
  const started: RunEntry[] =
    filter.scheduleId !== null
      ? []
      : jobs
          .filter((job) => !scheduled.has(job.id) && !notListed.has(job.kind))
          .filter((job) => !filter.failuresOnly || failed(job))
          .map((job) => ({ scheduleId: null, trigger: 'started' as const, job }));
  return [...runs, ...started]
    .sort((a, b) => b.job.createdAt.localeCompare(a.job.createdAt))
    .slice(0, HISTORY_LIMIT);
}

/** The Maintenance page: every scheduled job, its runs, the data lifecycle and migrations. */
export interface MaintenanceSlice {
  maintenanceSchedules: Loadable<ReadonlyArray<ScheduleStatus>>;
  maintenanceRuns: Loadable<ReadonlyArray<RunEntry>>;
  maintenanceRunFilter: RunHistoryFilter;
  maintenanceTiers: Loadable<TierSummary>;
  maintenanceSchema: Loadable<SchemaStatus>;
  legacyStatus: Loadable<LegacyMigrationStatus>;
  legacyPlan: Loadable<LegacyMigrationPlan>;
  /** How the legacy migration settles conflicts, as chosen on the page; the plan follows it. */
  legacyChoice: {
    readonly resolution: ConflictResolution;
    readonly choices: Readonly<Record<string, ConflictChoice>>;
  };
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
  /** Plans the legacy migration again, with new choices or the ones made so far. */
  loadLegacyPlan(
    resolution?: ConflictResolution,
    choices?: Readonly<Record<string, ConflictChoice>>,
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
  legacyChoice: { resolution: 'ask', choices: {} },
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
    // Refresh means everything on the page: the migration plan too, with the choices made.
    const planned = legacy.ok && legacy.value.hasLegacyData ? get().loadLegacyPlan() : null;
    await Promise.all([get().loadMaintenanceRuns(), planned]);
  },

  async loadMaintenanceRuns(filter) {
    const next = filter ?? get().maintenanceRunFilter;
    set({ maintenanceRunFilter: next, maintenanceRuns: reloading(get().maintenanceRuns) });
    const [result, jobs] = await Promise.all([
      call(client, 'schedule:history', {
        ...(next.scheduleId ? { scheduleId: next.scheduleId } : {}),
        failuresOnly: next.failuresOnly,
        limit: HISTORY_LIMIT,
      }),
      next.scheduleId ? null : call(client, 'jobs:list', { limit: HISTORY_LIMIT }),
    ]);
    // A newer filter may have been chosen while this one loaded.
    if (get().maintenanceRunFilter !== next) return;
    const others = jobs?.ok ? jobs.value.jobs : [];
    set({
      maintenanceRuns: toLoadable(
        result.ok ? { ok: true, value: mergeRuns(result.value.runs, others, next) } : result,
      ),
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
    const chosen = {
      resolution: resolution ?? get().legacyChoice.resolution,
      choices: choices ?? get().legacyChoice.choices,
    };
    set({ legacyChoice: chosen, legacyPlan: reloading(get().legacyPlan) });
    const result = await call(client, 'legacy:plan', {
      resolution: chosen.resolution,
      choices: { ...chosen.choices },
    });
    // A newer choice may have been made while this plan was worked out.
    if (get().legacyChoice !== chosen) return;
    set({ legacyPlan: toLoadable(result) });
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
        set({ legacyPlan: idle, legacyChoice: { resolution: 'ask', choices: {} } });
        void get().loadMaintenance();
      }),
    ];
    return () => offs.forEach((off) => off());
  },
});
