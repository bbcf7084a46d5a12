import type { CatalogMigration } from '../migration';

/**
 * Usage history: one row per finished scan with the disk's free space, its sizes by category,
 * and the alerts raised (so the same alert is not raised again within a day).
 */
export const migration004UsageHistory: CatalogMigration = {
  version: 4,
  name: 'usage-history',
  up(db) {
    db.exec(`
      CREATE TABLE usage_snapshots (
        id INTEGER PRIMARY KEY,
        taken_at TEXT NOT NULL,
        apparent_bytes INTEGER NOT NULL,
        allocated_bytes INTEGER NOT NULL,
        files INTEGER NOT NULL,
        free_bytes INTEGER,
        total_disk_bytes INTEGER
      ) STRICT;
      CREATE INDEX usage_snapshots_by_time ON usage_snapshots (taken_at);
      CREATE TABLE usage_snapshot_categories (
        snapshot_id INTEGER NOT NULL REFERENCES usage_snapshots (id) ON DELETE CASCADE,
        category TEXT NOT NULL
          CHECK (category IN ('irreplaceable','rebuildable','redownloadable','disposable')),
        apparent_bytes INTEGER NOT NULL,
        allocated_bytes INTEGER NOT NULL,
        files INTEGER NOT NULL,
        PRIMARY KEY (snapshot_id, category)
      ) STRICT;
      CREATE TABLE usage_alerts (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL,
        raised_at TEXT NOT NULL,
        alert TEXT NOT NULL
      ) STRICT;
      CREATE INDEX usage_alerts_by_key ON usage_alerts (key, raised_at);
    `);
  },
};
