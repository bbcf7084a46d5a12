import { formatBytes } from '../../../src-shared/language/bytes';
import { categories, categoryInfo, type Category } from '../../../src-shared/models/categories';
import type { Settings } from '../../../src-shared/models/settings';
import type { UsageAlert } from '../../../src-shared/models/usage';

/** One snapshot as the alert rules read it. */
export interface SnapshotFigures {
  takenAt: Date;
  byCategory: Readonly<Record<Category, number>>;
  freeBytes: number | null;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const WEEK_MS = 7 * DAY_MS;

/**
 * Growth smaller than this never alerts: a category going from 1 KB to 3 KB has tripled and
 * nobody needs to hear about it.
 */
export const MIN_ALERT_GROWTH_BYTES = 10 * 1024 * 1024;

/** The same alert is raised at most once in this long. */
export const ALERT_REPEAT_MS = DAY_MS;

/**
 * The snapshot a week's growth is measured from: the newest one at least a week old, else the
 * oldest one at least a day old (a category that doubled in three days has also doubled "in a
 * week"), else none.
 */
export function weekBaseline(
  history: ReadonlyArray<SnapshotFigures>,
  now: Date,
): SnapshotFigures | null {
  const sorted = [...history].sort((a, b) => a.takenAt.getTime() - b.takenAt.getTime());
  const weekAgo = now.getTime() - WEEK_MS;
  const dayAgo = now.getTime() - DAY_MS;
  const olderThanWeek = sorted.filter((s) => s.takenAt.getTime() <= weekAgo).at(-1);
  if (olderThanWeek) return olderThanWeek;
  return sorted.find((s) => s.takenAt.getTime() <= dayAgo) ?? null;
}

/**
 * The alerts the latest figures call for (DESIGN §"History"): a category that grew more than
 * `weeklyGrowthFactor` times in a week (and by at least MIN_ALERT_GROWTH_BYTES), and free disk
 * space under `freeSpaceMinBytes`.
 */
export function alertsFor(
  latest: SnapshotFigures,
  history: ReadonlyArray<SnapshotFigures>,
  thresholds: Settings['alerts'],
  now: Date,
): UsageAlert[] {
  const alerts: UsageAlert[] = [];
  const raisedAt = now.toISOString();
  const base = weekBaseline(history, now);
  if (base) {
    const days = Math.max(1, Math.round((now.getTime() - base.takenAt.getTime()) / DAY_MS));
    for (const category of categories) {
      const before = base.byCategory[category];
      const after = latest.byCategory[category];
      if (before <= 0 || after - before < MIN_ALERT_GROWTH_BYTES) continue;
      const factor = after / before;
      if (factor <= thresholds.weeklyGrowthFactor) continue;
      const label = categoryInfo[category].label;
      alerts.push({
        key: `growth:${category}`,
        kind: 'growth',
        category,
        title: `${label} data grew ${factor.toFixed(1)}× in ${days} day${days === 1 ? '' : 's'}`,
        message: `${label} went from ${formatBytes(before)} to ${formatBytes(after)}; the alert threshold is ${thresholds.weeklyGrowthFactor}× a week.`,
        raisedAt,
        value: Math.round(factor * 100) / 100,
        threshold: thresholds.weeklyGrowthFactor,
      });
    }
  }
  if (latest.freeBytes !== null && latest.freeBytes < thresholds.freeSpaceMinBytes) {
    alerts.push({
      key: 'free-space',
      kind: 'free-space',
      category: null,
      title: `Only ${formatBytes(latest.freeBytes)} free on the data disk`,
      message: `Free space is under the ${formatBytes(thresholds.freeSpaceMinBytes)} threshold. See what can be cleaned up on the Overview page.`,
      raisedAt,
      value: latest.freeBytes,
      threshold: thresholds.freeSpaceMinBytes,
    });
  }
  return alerts;
}

/** The alerts not raised in the last day (by key), i.e. the ones to announce now. */
export function alertsToRaise(
  candidates: ReadonlyArray<UsageAlert>,
  lastRaised: ReadonlyMap<string, Date>,
  now: Date,
): UsageAlert[] {
  return candidates.filter((alert) => {
    const last = lastRaised.get(alert.key);
    return !last || now.getTime() - last.getTime() >= ALERT_REPEAT_MS;
  });
}

/** What the desktop notification says for an alert. */
export function alertNotification(alert: UsageAlert): { title: string; body: string } {
  return { title: `Tend: ${alert.title}`, body: alert.message };
}

/** The one-line tray status for an alert. */
export function alertTrayStatus(alert: UsageAlert): string {
  return `Warning: ${alert.title}`;
}
