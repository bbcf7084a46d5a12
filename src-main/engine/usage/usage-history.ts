import { categories, type Category } from '../../../src-shared/models/categories';
import type {
  CategoryGrowth,
  HistoryGranularity,
  HistoryPoint,
  UsageAlert,
  UsageReport,
} from '../../../src-shared/models/usage';
import type { Catalog } from '../catalog/catalog';
import type { SnapshotFigures } from './usage-alerts';

const DAY_MS = 24 * 60 * 60 * 1000;

/** A snapshot read back from the catalog. */
export interface StoredSnapshot extends SnapshotFigures {
  totalBytes: number;
}

/** A report's figures as a snapshot (not stored): a watched folder's figures now. */
export function snapshotOf(report: UsageReport): StoredSnapshot {
  return {
    takenAt: new Date(report.scannedAt),
    totalBytes: report.totals.apparentBytes,
    freeBytes: report.disk.freeBytes,
    byCategory: Object.fromEntries(
      report.categories.map((c) => [c.category, c.apparentBytes]),
    ) as Record<Category, number>,
  };
}

/**
 * Stored snapshots (oldest first) with the live figures after them, when they are newer:
 * updates of a watched folder are not stored (many a minute), yet the growth shown beside the
 * live map must end where the map is.
 */
export function withLive(
  snapshots: ReadonlyArray<StoredSnapshot>,
  live: StoredSnapshot | null,
): StoredSnapshot[] {
  const newest = snapshots.at(-1);
  if (!live || (newest && newest.takenAt >= live.takenAt)) return [...snapshots];
  return [...snapshots, live];
}

/** Usage snapshots and alerts in the catalog (migration 005). */
export class UsageHistory {
  constructor(private readonly catalog: Catalog) {}

  /** Records a finished scan's figures by category. */
  record(report: UsageReport): void {
    const insert = this.catalog.prepare(
      `INSERT INTO usage_snapshots (taken_at, apparent_bytes, allocated_bytes, files, free_bytes, total_disk_bytes)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    const insertCategory = this.catalog.prepare(
      `INSERT INTO usage_snapshot_categories (snapshot_id, category, apparent_bytes, allocated_bytes, files)
       VALUES (?, ?, ?, ?, ?)`,
    );
    this.catalog.transaction(() => {
      const id = insert.run(
        report.scannedAt,
        report.totals.apparentBytes,
        report.totals.allocatedBytes,
        report.totals.files,
        report.disk.freeBytes,
        report.disk.totalBytes,
      ).lastInsertRowid;
      for (const item of report.categories) {
        insertCategory.run(id, item.category, item.apparentBytes, item.allocatedBytes, item.files);
      }
    })();
  }

  /** Snapshots taken since `since`, oldest first. */
  since(since: Date): StoredSnapshot[] {
    const rows = this.catalog
      .prepare(
        `SELECT s.id, s.taken_at, s.apparent_bytes, s.free_bytes, c.category, c.apparent_bytes AS bytes
         FROM usage_snapshots s JOIN usage_snapshot_categories c ON c.snapshot_id = s.id
         WHERE s.taken_at >= ? ORDER BY s.taken_at, s.id`,
      )
      .all(since.toISOString()) as Array<{
      id: number;
      taken_at: string;
      apparent_bytes: number;
      free_bytes: number | null;
      category: Category;
      bytes: number;
    }>;
    const byId = new Map<number, StoredSnapshot>();
    for (const row of rows) {
      let snapshot = byId.get(row.id);
      if (!snapshot) {
        snapshot = {
          takenAt: new Date(row.taken_at),
          totalBytes: row.apparent_bytes,
          freeBytes: row.free_bytes,
          byCategory: Object.fromEntries(categories.map((c) => [c, 0])) as Record<Category, number>,
        };
        byId.set(row.id, snapshot);
      }
      (snapshot.byCategory as Record<Category, number>)[row.category] = row.bytes;
    }
    return [...byId.values()];
  }

  /** When each alert key was last raised. */
  lastRaised(): Map<string, Date> {
    const rows = this.catalog
      .prepare('SELECT key, max(raised_at) AS at FROM usage_alerts GROUP BY key')
      .all() as Array<{ key: string; at: string }>;
    return new Map(rows.map((row) => [row.key, new Date(row.at)]));
  }

  /** Remembers that an alert was raised. */
  raised(alert: UsageAlert): void {
    this.catalog
      .prepare('INSERT INTO usage_alerts (key, raised_at, alert) VALUES (?, ?, ?)')
      .run(alert.key, alert.raisedAt, JSON.stringify(alert));
  }

  /** Alerts raised since `since`, newest first. */
  alertsSince(since: Date): UsageAlert[] {
    const rows = this.catalog
      .prepare('SELECT alert FROM usage_alerts WHERE raised_at >= ? ORDER BY raised_at DESC')
      .all(since.toISOString()) as Array<{ alert: string }>;
    return rows.map((row) => JSON.parse(row.alert) as UsageAlert);
  }
}

/** The start of the period a date falls in (UTC): its day, its Monday, or its month's first. */
export function periodStart(at: Date, granularity: HistoryGranularity): string {
  const day = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  if (granularity === 'month') day.setUTCDate(1);
  if (granularity === 'week') day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7));
  return day.toISOString().slice(0, 10);
}

/** One point per period: the last snapshot taken in it. */
export function historyPoints(
  snapshots: ReadonlyArray<StoredSnapshot>,
  granularity: HistoryGranularity,
): HistoryPoint[] {
  const byPeriod = new Map<string, StoredSnapshot>();
  for (const snapshot of snapshots) {
    const key = periodStart(snapshot.takenAt, granularity);
    const kept = byPeriod.get(key);
    if (!kept || kept.takenAt <= snapshot.takenAt) byPeriod.set(key, snapshot);
  }
  return [...byPeriod.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([period, snapshot]) => ({
      period,
      takenAt: snapshot.takenAt.toISOString(),
      byCategory: { ...snapshot.byCategory },
      totalBytes: snapshot.totalBytes,
      freeBytes: snapshot.freeBytes,
    }));
}

/**
 * Growth per category over the last day, week and month: the newest snapshot minus the newest
 * one at least that old (null when the history does not reach back that far).
 */
export function categoryGrowth(
  snapshots: ReadonlyArray<StoredSnapshot>,
  now: Date,
): CategoryGrowth[] {
  const sorted = [...snapshots].sort((a, b) => a.takenAt.getTime() - b.takenAt.getTime());
  const latest = sorted.at(-1);
  const before = (days: number) =>
    sorted.filter((s) => s.takenAt.getTime() <= now.getTime() - days * DAY_MS).at(-1);
  const day = before(1);
  const week = before(7);
  const month = before(30);
  return categories.map((category) => {
    const current = latest?.byCategory[category] ?? 0;
    const delta = (base: StoredSnapshot | undefined) =>
      base && latest ? current - base.byCategory[category] : null;
    return {
      category,
      currentBytes: current,
      dayDelta: delta(day),
      weekDelta: delta(week),
      monthDelta: delta(month),
    };
  });
}
