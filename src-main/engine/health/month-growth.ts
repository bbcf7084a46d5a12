/**
 * Growth per category this month (seed 004: a growth rate under 50% a month), from the usage
 * history: a pure function of two snapshots, and the few indexed reads that find them, so a
 * year of snapshots costs no more than a day of them.
 */
import { categories, type Category } from '../../../src-shared/models/categories';
import type { GrowthFigure, MonthGrowth } from '../../../src-shared/models/health';
import type { Catalog } from '../catalog/catalog';

/** Seed 004's goal: storage grows by less than half in a month. */
export const MONTHLY_GROWTH_GOAL = 0.5;

/** One usage snapshot: when, the whole folder, and each category (apparent bytes). */
export interface SnapshotBytes {
  readonly takenAt: string;
  readonly totalBytes: number;
  readonly byCategory: Readonly<Record<Category, number>>;
}

/** The first day of a moment's month (UTC), YYYY-MM-01. */
export function monthStart(now: Date): string {
  return `${now.toISOString().slice(0, 7)}-01`;
}

function growth(from: number, to: number): GrowthFigure {
  return {
    fromBytes: from,
    toBytes: to,
    deltaBytes: to - from,
    ratio: from > 0 ? (to - from) / from : null,
  };
}

/**
 * How each category grew from `base` to `latest`. `wholeMonth` says the base was taken by the
 * month's first moment; else the history begins within the month and the figure covers less.
 * Without any snapshot every figure is zero and both moments are null.
 */
export function monthGrowth(
  month: string,
  base: SnapshotBytes | null,
  latest: SnapshotBytes | null,
  wholeMonth: boolean,
): MonthGrowth {
  const from = base ?? latest;
  return {
    month,
    fromAt: from?.takenAt ?? null,
    toAt: latest?.takenAt ?? null,
    wholeMonth: base !== null && latest !== null && wholeMonth,
    categories: categories.map((category) => ({
      category,
      ...growth(from?.byCategory[category] ?? 0, latest?.byCategory[category] ?? 0),
    })),
    total: growth(from?.totalBytes ?? 0, latest?.totalBytes ?? 0),
    goalRatio: MONTHLY_GROWTH_GOAL,
  };
}

interface SnapshotRow {
  id: number;
  taken_at: string;
  apparent_bytes: number;
}

function withCategories(catalog: Catalog, row: SnapshotRow | undefined): SnapshotBytes | null {
  if (!row) return null;
  const byCategory = Object.fromEntries(categories.map((c) => [c, 0])) as Record<Category, number>;
  const rows = catalog
    .prepare(
      'SELECT category, apparent_bytes AS bytes FROM usage_snapshot_categories WHERE snapshot_id = ?',
    )
    .all(row.id) as Array<{ category: Category; bytes: number }>;
  for (const item of rows) byCategory[item.category] = item.bytes;
  return { takenAt: row.taken_at, totalBytes: row.apparent_bytes, byCategory };
}

/**
 * Growth this month from the catalog's usage history: the newest snapshot up to now against
 * the newest one taken by the 1st at 00:00 UTC, or the month's first when the history starts
 * later. Snapshots stamped after `now` (a clock set back) are left out.
 */
export function readMonthGrowth(catalog: Catalog, now: Date): MonthGrowth {
  const month = monthStart(now);
  const start = `${month}T00:00:00.000Z`;
  const until = now.toISOString();
  const pick = (sql: string, ...args: string[]) =>
    catalog
      .prepare(`SELECT id, taken_at, apparent_bytes FROM usage_snapshots ${sql}`)
      .get(...args) as SnapshotRow | undefined;
  const latest = pick('WHERE taken_at <= ? ORDER BY taken_at DESC, id DESC LIMIT 1', until);
  const before = pick('WHERE taken_at <= ? ORDER BY taken_at DESC, id DESC LIMIT 1', start);
  const base =
    before ??
    pick('WHERE taken_at >= ? AND taken_at <= ? ORDER BY taken_at, id LIMIT 1', start, until);
  return monthGrowth(
    month,
    withCategories(catalog, base),
    withCategories(catalog, latest),
    before !== undefined,
  );
}
