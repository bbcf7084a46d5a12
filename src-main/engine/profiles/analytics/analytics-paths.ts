/**
 * The analytics system's layout, root-relative: the folder its `AnalyticsDataManager` runs in
 * (seed document 004, "Data Storage Architecture"), which opens its databases by these paths.
 */
export const analyticsPaths = {
  dir: 'analytics',
  /** Tier 1, hot: "SQLite with WAL mode", the last 90 days of detailed data. */
  hotDb: 'analytics/comprehensive_metrics.db',
  /** Tier 2, warm: monthly aggregates for one to two years. */
  historicalDb: 'analytics/historical_metrics.db',
  /** Tier 3, cold: "Compressed JSON files", three years and more. */
  archive: 'analytics/archive',
  /** `BackupManager.create_daily_backup`: `backups/<YYYY-MM-DD>`. */
  backups: 'backups',
} as const;

/** The hot tier's tables (seed 004, "Current System" and "Enhanced Schema Structure"). */
export const hotTables = [
  'user_interactions',
  'session_analytics',
  'content_performance',
  'query_performance',
  'system_performance',
  'data_retention_policy',
  'business_metrics',
] as const;

/** The warm tier's tables (seed 004, "Tier 2: Warm Data"). */
export const historicalTables = [
  'user_interactions_monthly',
  'content_analytics_monthly',
  'business_metrics_monthly',
  'performance_baselines',
] as const;
