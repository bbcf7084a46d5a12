/**
 * How the analytics system's hot tables map onto its warm tables (seed 004, "Proposed Tiered
 * Storage Strategy" and "Data Retention Policies"), in one place: which hot table is archived,
 * by which time column, after how many days, into which monthly table, keyed how, and how a
 * month's hot rows fold into a warm row. The archival job (maintenance/analytics-archival.ts)
 * only moves what this module describes.
 *
 * Left out on purpose: session_analytics (seed: "30 days detailed, 1 year aggregated", but it
 * names no warm table for sessions), content_performance and query_performance (running
 * totals, not rows in time) and data_retention_policy (the policy itself).
 */

/** One warm row: its columns by name. */
export type WarmRow = Record<string, string | number | null>;

/** One hot row as SQLite returns it. */
export type HotRow = Record<string, unknown>;

/** Folds one month's hot rows into warm rows. */
export interface MonthFold {
  add(row: HotRow): void;
  /** The warm rows of the month, keyed as the warm table is. */
  rows(): WarmRow[];
}

/** One hot table and the warm table its old rows are summed into. */
export interface TierMapping {
  /** The seed's hot table in comprehensive_metrics.db. */
  readonly hotTable: 'user_interactions' | 'business_metrics' | 'system_performance';
  /** Its time column: `YYYY-MM-DD…` text (the seed's DATETIME and date columns). */
  readonly timeColumn: string;
  /** The seed's warm table in historical_metrics.db. */
  readonly warmTable:
    'user_interactions_monthly' | 'business_metrics_monthly' | 'performance_baselines';
  /** The warm table's key columns (its primary key); `month` among them. */
  readonly warmKey: ReadonlyArray<string>;
  /** The warm table's other columns. */
  readonly warmValues: ReadonlyArray<string>;
  /** Hot days when the seed's data_retention_policy gives no archive_after_days. */
  readonly defaultHotDays: number;
  /**
   * Days a warm row is kept before it goes to the cold tier, counted from the end of its
   * month; null: kept for good (seed: business metrics are permanent).
   */
  readonly warmDays: number | null;
  /** A fold for one month's hot rows. */
  fold(): MonthFold;
  /**
   * A warm row that is already there merged with the one a batch adds (the analytics system
   * wrote the month itself, or rows dated in an archived month arrived late).
   */
  merge(existing: WarmRow, added: WarmRow): WarmRow;
}

const num = (value: unknown): number => (typeof value === 'number' ? value : Number(value ?? 0));
const numOrNull = (value: unknown): number | null =>
  value === null || value === undefined ? null : Number(value);

/** The mean of two means, weighted by their counts; null means are left out. */
export function weightedMean(
  a: number | null,
  aWeight: number,
  b: number | null,
  bWeight: number,
): number | null {
  if (a === null || aWeight <= 0) return b;
  if (b === null || bWeight <= 0) return a;
  return (a * aWeight + b * bWeight) / (aWeight + bWeight);
}

/** The value at quantile `q` (0..1) of sorted values, nearest rank. */
export function quantile(sorted: ReadonlyArray<number>, q: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1]!;
}

/** Groups rows by a key, with one accumulator per key. */
function grouped<A>(
  keyOf: (row: HotRow) => string,
  start: (row: HotRow) => A,
  add: (acc: A, row: HotRow) => void,
  finish: (acc: A) => WarmRow,
): MonthFold {
  const groups = new Map<string, A>();
  return {
    add(row) {
      const key = keyOf(row);
      let acc = groups.get(key);
      if (!acc) {
        acc = start(row);
        groups.set(key, acc);
      }
      add(acc, row);
    },
    rows: () => [...groups.values()].map(finish),
  };
}

const monthOf = (value: unknown) => String(value).slice(0, 7);

/**
 * user_interactions → user_interactions_monthly, per month, role and query type: counts,
 * successes, mean response time and mean rating. Seed: 90 days hot, 2 years warm.
 */
const userInteractions: TierMapping = {
  hotTable: 'user_interactions',
  timeColumn: 'timestamp',
  warmTable: 'user_interactions_monthly',
  warmKey: ['month', 'user_role', 'query_type'],
  warmValues: ['interactions', 'successes', 'avg_response_time', 'avg_user_rating'],
  defaultHotDays: 90,
  warmDays: 730,
  fold: () =>
    grouped(
      (row) =>
        `${monthOf(row.timestamp)}\u0000${String(row.user_role)}\u0000${String(row.query_type)}`,
      (row) => ({
        month: monthOf(row.timestamp),
        role: String(row.user_role),
        type: String(row.query_type),
        n: 0,
        ok: 0,
        time: 0,
        rated: 0,
        rating: 0,
      }),
      (acc, row) => {
        acc.n++;
        acc.ok += num(row.success) ? 1 : 0;
        acc.time += num(row.response_time);
        if (row.user_rating !== null && row.user_rating !== undefined) {
          acc.rated++;
          acc.rating += num(row.user_rating);
        }
      },
      (acc) => ({
        month: acc.month,
        user_role: acc.role,
        query_type: acc.type,
        interactions: acc.n,
        successes: acc.ok,
        avg_response_time: acc.time / acc.n,
        avg_user_rating: acc.rated > 0 ? acc.rating / acc.rated : null,
      }),
    ),
  // The warm table keeps no count of rated rows: the ratings' means are weighted by the
  // interactions, exact when both sides rated alike (the rows themselves are in the cold tier).
  merge: (existing, added) => ({
    ...added,
    interactions: num(existing.interactions) + num(added.interactions),
    successes: num(existing.successes) + num(added.successes),
    avg_response_time: weightedMean(
      numOrNull(existing.avg_response_time),
      num(existing.interactions),
      numOrNull(added.avg_response_time),
      num(added.interactions),
    ),
    avg_user_rating: weightedMean(
      numOrNull(existing.avg_user_rating),
      num(existing.interactions),
      numOrNull(added.avg_user_rating),
      num(added.interactions),
    ),
  }),
};

/**
 * business_metrics (one row a day) → business_metrics_monthly. Seed: "Business Metrics:
 * Permanent (aggregated only)", 90 days in the hot tier. Unique sessions are the sum of each
 * day's: a session spanning midnight counts on both days, as the daily rows count it.
 */
const businessMetrics: TierMapping = {
  hotTable: 'business_metrics',
  timeColumn: 'date',
  warmTable: 'business_metrics_monthly',
  warmKey: ['month'],
  warmValues: ['total_queries', 'unique_sessions', 'success_rate', 'avg_response_time'],
  defaultHotDays: 90,
  warmDays: null,
  fold: () =>
    grouped(
      (row) => monthOf(row.date),
      (row) => ({ month: monthOf(row.date), n: 0, sessions: 0, ok: 0, okW: 0, time: 0, timeW: 0 }),
      (acc, row) => {
        const n = num(row.total_queries);
        acc.n += n;
        acc.sessions += num(row.unique_sessions);
        if (row.success_rate !== null) {
          acc.ok += num(row.success_rate) * n;
          acc.okW += n;
        }
        if (row.avg_response_time !== null) {
          acc.time += num(row.avg_response_time) * n;
          acc.timeW += n;
        }
      },
      (acc) => ({
        month: acc.month,
        total_queries: acc.n,
        unique_sessions: acc.sessions,
        success_rate: acc.okW > 0 ? acc.ok / acc.okW : null,
        avg_response_time: acc.timeW > 0 ? acc.time / acc.timeW : null,
      }),
    ),
  merge: (existing, added) => ({
    ...added,
    total_queries: num(existing.total_queries) + num(added.total_queries),
    unique_sessions: num(existing.unique_sessions) + num(added.unique_sessions),
    success_rate: weightedMean(
      numOrNull(existing.success_rate),
      num(existing.total_queries),
      numOrNull(added.success_rate),
      num(added.total_queries),
    ),
    avg_response_time: weightedMean(
      numOrNull(existing.avg_response_time),
      num(existing.total_queries),
      numOrNull(added.avg_response_time),
      num(added.total_queries),
    ),
  }),
};

/**
 * system_performance → performance_baselines, per metric, component and month: the median and
 * the 95th percentile. Seed: "Performance Metrics: 1 year detailed, 3 years summarized".
 */
const systemPerformance: TierMapping = {
  hotTable: 'system_performance',
  timeColumn: 'timestamp',
  warmTable: 'performance_baselines',
  warmKey: ['metric_name', 'component', 'month'],
  warmValues: ['p50', 'p95'],
  defaultHotDays: 365,
  warmDays: 1095,
  fold: () =>
    grouped(
      (row) =>
        `${String(row.metric_name)}\u0000${String(row.component ?? '')}\u0000${monthOf(row.timestamp)}`,
      (row) => ({
        metric: String(row.metric_name),
        component: String(row.component ?? ''),
        month: monthOf(row.timestamp),
        values: [] as number[],
      }),
      (acc, row) => void acc.values.push(num(row.metric_value)),
      (acc) => {
        const sorted = [...acc.values].sort((a, b) => a - b);
        return {
          metric_name: acc.metric,
          component: acc.component,
          month: acc.month,
          p50: quantile(sorted, 0.5),
          p95: quantile(sorted, 0.95),
        };
      },
    ),
  // Percentiles of two sets cannot be combined from the percentiles: the baseline already
  // there (the bigger set: late rows are few) stays; the late rows are kept in the cold tier.
  merge: (existing) => existing,
};

/** Every hot table the archival moves, in the order it moves them. */
export const tierMappings: ReadonlyArray<TierMapping> = [
  userInteractions,
  businessMetrics,
  systemPerformance,
];
