import type { OutputOf } from '../../../src-shared/contract';
import type { Result } from '../../../src-shared/errors';
import type { JobRecord } from '../../../src-shared/models/jobs';
import type { UsageSummary } from '../../../src-shared/models/root';
import type {
  CleanKind,
  CleanPlan,
  HistoryGranularity,
  UsageAlert,
  UsageUpdate,
} from '../../../src-shared/models/usage';
import { summaryOf } from '../../../src-shared/models/usage-summary';
import { call } from './call';
import { idle, reloading, type Loadable } from './loadable';
import type { SliceCreator } from './slice';

/** The map of one folder, as `usage:tree` answers it. */
export type UsageTreeView = OutputOf<'usage:tree'>;
/** The growth history, as `usage:history` answers it. */
export type UsageHistoryView = OutputOf<'usage:history'>;
/** The reclaimable summary, as `clean:summary` answers it. */
export type ReclaimableView = OutputOf<'clean:summary'>;

/** What fills the open root: the summary, the folder map, history, alerts and cleanup. */
export interface UsageSlice {
  usage: Loadable<UsageSummary>;
  loadUsage(): Promise<void>;

  /** The folder shown in the map ('' is the root). */
  usagePath: string;
  usageTree: Loadable<UsageTreeView>;
  /** The running scan's figures so far; null when no scan runs. */
  liveUsage: UsageUpdate | null;
  usageHistory: Loadable<UsageHistoryView>;
  historyGranularity: HistoryGranularity;
  reclaimable: Loadable<ReclaimableView>;
  /** Alerts of the last week, newest first (from history, then as they are raised). */
  usageAlerts: ReadonlyArray<UsageAlert>;

  /** Shows a folder of the last scan; starts a scan when there is none yet. */
  loadUsageTree(path?: string): Promise<void>;
  startUsageScan(mode?: 'auto' | 'full'): Promise<Result<JobRecord>>;
  loadUsageHistory(granularity?: HistoryGranularity): Promise<void>;
  loadReclaimable(): Promise<void>;
  planCleanup(kind: CleanKind, gzipOldLogs: boolean): Promise<Result<CleanPlan>>;
  /** Runs a previewed cleanup; one over the ceiling needs `confirmLarge` (the person ticked it). */
  applyCleanup(planId: string, confirmLarge?: boolean): Promise<Result<JobRecord>>;
  /**
   * Follows scans, a watched folder's changes, alerts and cleanups while the usage views are
   * shown; returns the stop.
   */
  watchUsage(): () => void;
}

export const createUsageSlice: SliceCreator<UsageSlice> = (set, get, client) => {
  const reloadAll = () => {
    void get().loadUsageTree(get().usagePath);
    void get().loadUsageHistory();
    void get().loadReclaimable();
  };

  return {
    usage: idle,

    async loadUsage() {
      set({ usage: reloading(get().usage) });
      const result = await call(client, 'usage:summary', {});
      set({
        usage: result.ok
          ? { status: 'ready', value: result.value }
          : { status: 'error', error: result.error, value: null },
      });
    },

    usagePath: '',
    usageTree: idle,
    liveUsage: null,
    usageHistory: idle,
    historyGranularity: 'day',
    reclaimable: idle,
    usageAlerts: [],

    async loadUsageTree(path = get().usagePath) {
      set({ usagePath: path, usageTree: reloading(get().usageTree) });
      const result = await call(client, 'usage:tree', { path, depth: 2, largest: 12 });
      if (!result.ok) {
        // A folder that vanished since the scan: fall back to the root's map.
        if (path !== '' && result.error.code === 'INVALID_INPUT') return get().loadUsageTree('');
        set({ usageTree: { status: 'error', error: result.error, value: null } });
        return;
      }
      set({ usageTree: { status: 'ready', value: result.value } });
      if (result.value.report === null && !result.value.scanning) void get().startUsageScan();
    },

    async startUsageScan(mode = 'auto') {
      const result = await call(client, 'usage:scan', { mode });
      if (result.ok) get().jobProgressed(result.value);
      return result;
    },

    async loadUsageHistory(granularity = get().historyGranularity) {
      set({ historyGranularity: granularity, usageHistory: reloading(get().usageHistory) });
      const days = granularity === 'day' ? 60 : granularity === 'week' ? 365 : 3 * 365;
      const result = await call(client, 'usage:history', { granularity, days });
      set({
        usageHistory: result.ok
          ? { status: 'ready', value: result.value }
          : { status: 'error', error: result.error, value: null },
        ...(result.ok ? { usageAlerts: result.value.alerts } : {}),
      });
    },

    async loadReclaimable() {
      set({ reclaimable: reloading(get().reclaimable) });
      const result = await call(client, 'clean:summary', {});
      set({
        reclaimable: result.ok
          ? { status: 'ready', value: result.value }
          : { status: 'error', error: result.error, value: null },
      });
    },

    planCleanup: (kind, gzipOldLogs) => call(client, 'clean:plan', { kind, gzipOldLogs }),

    async applyCleanup(planId, confirmLarge = false) {
      const result = await call(client, 'clean:apply', { planId, confirmLarge });
      if (result.ok) {
        get().jobProgressed(result.value);
        // Its outcome shows on the panel the cleanup was started from.
        get().placeJob('cleanup', result.value.id);
      }
      return result;
    },

    watchUsage() {
      const offs = [
        client.on('usage:updated', (update) => {
          const { report } = update;
          set({ liveUsage: report.complete ? null : update });
          if (!report.complete) return;
          // The Overview's figures come with the event: asking again would rescan a folder
          // that is not watched, and announce it again.
          set({ usage: { status: 'ready', value: summaryOf(report) } });
          // A watched folder changed: its map and growth follow; cleanup follows scans.
          if (report.stats.mode === 'update') {
            void get().loadUsageTree(get().usagePath);
            void get().loadUsageHistory();
          } else reloadAll();
        }),
        client.on('alert:raised', (alert) => {
          set({ usageAlerts: [alert, ...get().usageAlerts.filter((a) => a.key !== alert.key)] });
        }),
        client.on('job:finished', (job) => {
          // A cleanup changed the folder: measure again (a rescan of what changed).
          if (job.kind === 'cleanup') void get().startUsageScan();
          if (job.kind === 'usage-scan' && job.state !== 'succeeded') set({ liveUsage: null });
        }),
        client.on('root:changed', () => {
          set({
            usagePath: '',
            usageTree: idle,
            liveUsage: null,
            usageHistory: idle,
            reclaimable: idle,
            usageAlerts: [],
          });
          reloadAll();
        }),
      ];
      return () => offs.forEach((off) => off());
    },
  };
};
