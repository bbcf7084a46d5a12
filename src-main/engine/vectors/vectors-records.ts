/**
 * What the vectors domain remembers in the catalog: health runs, compactions, upkeep runs.
 */
import {
  IndexHealthSchema,
  type CompactionRecord,
  type IndexHealth,
  type UpkeepDatabaseResult,
  type UpkeepRun,
} from '../../../src-shared/models/vectors';
import type { Catalog } from '../catalog/catalog';

/** Records one collection's health run. */
export function recordHealth(catalog: Catalog, health: IndexHealth, jobId: string | null): void {
  catalog
    .prepare(
      `INSERT INTO index_health (collection, checked_at, status, recall, report, job_id)
       VALUES (?, ?, ?, ?, ?, ?)`,
    )
    .run(
      health.collection,
      health.checkedAt,
      health.status,
      health.recall,
      JSON.stringify(health),
      jobId,
    );
}

/** The newest health run of a collection, or null. */
export function latestHealth(catalog: Catalog, collection: string): IndexHealth | null {
  const row = catalog
    .prepare(
      'SELECT report FROM index_health WHERE collection = ? ORDER BY checked_at DESC, id DESC LIMIT 1',
    )
    .get(collection) as { report: string } | undefined;
  if (!row) return null;
  const parsed = IndexHealthSchema.safeParse(JSON.parse(row.report));
  return parsed.success ? parsed.data : null;
}

/** Records a finished compaction. */
export function recordCompaction(
  catalog: Catalog,
  record: CompactionRecord,
  jobId: string | null,
): void {
  catalog
    .prepare(
      `INSERT INTO index_compactions (collection, reason, started_at, finished_at, vectors_before,
         vectors_after, bytes_before, bytes_after, seconds, job_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      record.collection,
      record.reason,
      record.startedAt,
      record.finishedAt,
      record.vectorsBefore,
      record.vectorsAfter,
      record.bytesBefore,
      record.bytesAfter,
      record.seconds,
      jobId,
    );
}

interface CompactionRow {
  collection: string;
  reason: string;
  started_at: string;
  finished_at: string;
  vectors_before: number | null;
  vectors_after: number;
  bytes_before: number | null;
  bytes_after: number;
  seconds: number;
}

/** The newest compaction of a collection, or null. */
export function latestCompaction(catalog: Catalog, collection: string): CompactionRecord | null {
  const row = catalog
    .prepare(
      'SELECT * FROM index_compactions WHERE collection = ? ORDER BY finished_at DESC, id DESC LIMIT 1',
    )
    .get(collection) as CompactionRow | undefined;
  if (!row) return null;
  return {
    collection: row.collection,
    reason: row.reason,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    vectorsBefore: row.vectors_before,
    vectorsAfter: row.vectors_after,
    bytesBefore: row.bytes_before,
    bytesAfter: row.bytes_after,
    seconds: row.seconds,
  };
}

/** Records one upkeep run, a row per database. */
export function recordUpkeep(catalog: Catalog, run: UpkeepRun): void {
  const insert = catalog.prepare(
    `INSERT INTO db_upkeep (database, ran_at, bytes_before, bytes_after, checkpointed_frames,
       wal_bytes_before, free_pages_before, page_count, vacuumed, integrity, job_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  catalog.transaction(() => {
    for (const db of run.databases) {
      insert.run(
        db.database,
        run.ranAt,
        db.bytesBefore,
        db.bytesAfter,
        db.checkpointedFrames,
        db.walBytesBefore,
        db.freePagesBefore,
        db.pageCount,
        db.vacuumed ? 1 : 0,
        db.integrity,
        run.jobId,
      );
    }
  })();
}

interface UpkeepRow {
  database: 'assistant' | 'catalog';
  ran_at: string;
  bytes_before: number;
  bytes_after: number;
  checkpointed_frames: number;
  wal_bytes_before: number;
  free_pages_before: number;
  page_count: number;
  vacuumed: number;
  integrity: string | null;
  job_id: string | null;
}

/** Upkeep runs, newest first. */
export function listUpkeep(
  catalog: Catalog,
  limit: number,
  paths: Record<string, string>,
): UpkeepRun[] {
  const rows = catalog
    .prepare(
      `SELECT * FROM db_upkeep WHERE ran_at IN
         (SELECT DISTINCT ran_at FROM db_upkeep ORDER BY ran_at DESC LIMIT ?)
       ORDER BY ran_at DESC, id`,
    )
    .all(limit) as UpkeepRow[];
  const runs = new Map<string, { jobId: string | null; databases: UpkeepDatabaseResult[] }>();
  for (const row of rows) {
    const run = runs.get(row.ran_at) ?? { jobId: row.job_id, databases: [] };
    run.databases.push({
      database: row.database,
      path: paths[row.database] ?? row.database,
      bytesBefore: row.bytes_before,
      bytesAfter: row.bytes_after,
      checkpointedFrames: row.checkpointed_frames,
      walBytesBefore: row.wal_bytes_before,
      freePagesBefore: row.free_pages_before,
      pageCount: row.page_count,
      vacuumed: row.vacuumed === 1,
      integrity: row.integrity,
    });
    runs.set(row.ran_at, run);
  }
  return [...runs.entries()].map(([ranAt, run]) => ({
    ranAt,
    jobId: run.jobId,
    databases: run.databases,
    reclaimedBytes: run.databases.reduce(
      (sum, db) => sum + Math.max(0, db.bytesBefore - db.bytesAfter),
      0,
    ),
  }));
}

/** When the weekly integrity check of a database last ran, or null. */
export function lastIntegrityCheck(catalog: Catalog, database: string): Date | null {
  const row = catalog
    .prepare(`SELECT max(ran_at) AS at FROM db_upkeep WHERE database = ? AND integrity IS NOT NULL`)
    .get(database) as { at: string | null };
  return row.at ? new Date(row.at) : null;
}
