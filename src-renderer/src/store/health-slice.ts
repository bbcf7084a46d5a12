import type { OutputOf } from '../../../src-shared/contract';
import type { HealthFigures } from '../../../src-shared/models/health';
import { call } from './call';
import { idle, reloading, type Loadable } from './loadable';
import type { SliceCreator } from './slice';

/** How far back the analytics chart reaches, in days. */
export type AnalyticsRange = 90 | 365 | 730;

/** A range of daily analytics figures, as `analytics:daily` answers it, with the range asked. */
export type AnalyticsView = OutputOf<'analytics:daily'> & {
  readonly from: string;
  readonly to: string;
};

const DAY_MS = 86_400_000;

/**
 * The days a range covers, ending today. UTC days, as the assistant's timestamps are stored
 * and the engine groups them.
 */
export function analyticsDays(days: AnalyticsRange, now: Date): { from: string; to: string } {
  return {
    from: new Date(now.getTime() - (days - 1) * DAY_MS).toISOString().slice(0, 10),
    to: now.toISOString().slice(0, 10),
  };
}

// Jobs whose end changes a health figure, and those that change the analytics.
const healthJobs = new Set(['backup', 'verify', 'usage-scan', 'cleanup', 'prune']);
const analyticsJobs = new Set(['archival', 'records-import', 'scrub', 'migration', 'restore']);

/** The Overview's Health panel: the figures people watch, and the daily analytics chart. */
export interface HealthSlice {
  health: Loadable<HealthFigures>;
  loadHealth(): Promise<void>;
  analyticsRange: AnalyticsRange;
  analytics: Loadable<AnalyticsView>;
  /** Reads the daily figures for the range (the one shown when left out). */
  loadAnalytics(range?: AnalyticsRange): Promise<void>;
  /** Loads both now and again on the news that changes them; returns the stop. */
  watchHealth(): () => void;
}

/** Builds the health slice over the client. */
export const createHealthSlice: SliceCreator<HealthSlice> = (set, get, client) => ({
  health: idle,
  analyticsRange: 365,
  analytics: idle,

  async loadHealth() {
    set({ health: reloading(get().health) });
    const result = await call(client, 'health:figures', {});
    set({
      health: result.ok
        ? { status: 'ready', value: result.value }
        : { status: 'error', error: result.error, value: null },
    });
  },

  async loadAnalytics(range = get().analyticsRange) {
    const days = analyticsDays(range, new Date());
    set({ analyticsRange: range, analytics: reloading(get().analytics) });
    const result = await call(client, 'analytics:daily', days);
    // A later choice of range has been asked meanwhile: its answer is the one to show.
    if (get().analyticsRange !== range) return;
    set({
      analytics: result.ok
        ? { status: 'ready', value: { ...result.value, ...days } }
        : { status: 'error', error: result.error, value: null },
    });
  },

  watchHealth() {
    const health = () => void get().loadHealth();
    const analytics = () => void get().loadAnalytics();
    const offs = [
      client.on('backups:changed', health),
      client.on('job:finished', (job) => {
        if (healthJobs.has(job.kind)) health();
        if (analyticsJobs.has(job.kind)) analytics();
      }),
      client.on('usage:updated', (update) => {
        if (update.report.complete) health();
      }),
      client.on('root:changed', () => {
        health();
        analytics();
      }),
    ];
    health();
    analytics();
    return () => offs.forEach((off) => off());
  },
});
