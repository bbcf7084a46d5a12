/**
 * The encrypted repository's snapshots as the Health panel's "last verified backup" counts
 * them, from the jobs (kept in the catalog, so the repository is not opened: no passphrase,
 * no network): each backup into the repository, verified when the newest full check that
 * began after it read it back whole (a check that found damage names the snapshots it could
 * not restore: those failed). Snapshots a thinning out job forgot are left out.
 */
import type { BackupRecord } from '../../../src-shared/models/backups';
import { SNAPSHOT_BACKUP_JOBS, snapshotJobKind } from '../backup/backup-catalog';
import type { Catalog } from '../catalog/catalog';

interface BackupJob {
  readonly createdAt: string;
  readonly finishedAt: string;
  readonly title: string;
  readonly result: string;
}

interface FullCheck {
  readonly startedAt: string;
  readonly finishedAt: string;
  /** Snapshots the check could not restore; empty for a check that passed. */
  readonly damaged: ReadonlySet<string>;
}

/** The full checks of the repository that ended with an answer, newest first. */
function fullChecks(db: Catalog): FullCheck[] {
  const rows = db
    .prepare(
      `SELECT COALESCE(started_at, created_at) AS startedAt, finished_at AS finishedAt, state, error
       FROM jobs
       WHERE kind = 'verify' AND finished_at IS NOT NULL AND (
         (state = 'succeeded' AND json_extract(result, '$.mode') = 'full'
           AND json_extract(result, '$.packs') IS NOT NULL)
         OR (state = 'failed' AND json_extract(error, '$.code') = 'BACKUP_CORRUPT'
           AND json_extract(error, '$.details.damaged') IS NOT NULL
           AND title LIKE '%(full)%'))
       ORDER BY startedAt DESC`,
    )
    .all() as Array<{ startedAt: string; finishedAt: string; state: string; error: string | null }>;
  return rows.map((row) => {
    const damaged =
      row.state === 'failed' && row.error
        ? ((
            JSON.parse(row.error) as {
              details?: { damaged?: Array<{ snapshotId?: string }> };
            }
          ).details?.damaged ?? [])
        : [];
    return {
      startedAt: row.startedAt,
      finishedAt: row.finishedAt,
      damaged: new Set(damaged.map((item) => item.snapshotId ?? '')),
    };
  });
}

/**
 * Every backup into the repository as a backup record (its id the snapshot's), verified,
 * failed or unverified by the full checks that came after it.
 */
export function repositoryBackupRecords(db: Catalog): BackupRecord[] {
  const jobs = db
    .prepare(
      `SELECT created_at AS createdAt, finished_at AS finishedAt, title, result FROM jobs
       WHERE ${SNAPSHOT_BACKUP_JOBS} ORDER BY created_at, rowid`,
    )
    .all() as BackupJob[];
  const checks = fullChecks(db);
  const forgotten = forgottenSnapshots(db);
  return jobs.flatMap((job): BackupRecord[] => {
    const result = JSON.parse(job.result) as {
      snapshotId: string;
      kind?: string;
      bytesTotal?: number;
    };
    const kind = snapshotJobKind(result, job.title);
    // The newest full check that began once this snapshot was made read it.
    const check = checks.find((candidate) => candidate.startedAt >= job.finishedAt);
    const failed = check?.damaged.has(result.snapshotId) ?? false;
    if (forgotten.has(result.snapshotId)) return [];
    return [
      {
        id: result.snapshotId,
        kind,
        categories: [],
        state: 'completed',
        destination: '',
        fileName: '',
        createdAt: job.createdAt,
        finishedAt: job.finishedAt,
        durationMs: null,
        archiveBytes: null,
        archiveSha256: null,
        files: null,
        dataBytes: result.bytesTotal ?? null,
        verifyState: check ? (failed ? 'failed' : 'verified') : 'unverified',
        verifiedAt: check && !failed ? check.finishedAt : null,
        verifyMessage: failed ? 'a full check of the repository could not restore it' : null,
        warnings: [],
        error: null,
        jobId: null,
        origin: 'created',
        host: '',
      },
    ];
  });
}

/**
 * Snapshots the app's thinning out, or `tend repo forget`, forgot (their jobs' results): no
 * longer there to restore. One forgotten by `tend repo forget` with no data folder, or by
 * restic, is not in the catalog and still counts.
 */
function forgottenSnapshots(db: Catalog): Set<string> {
  const rows = db
    .prepare(
      `SELECT result FROM jobs
       WHERE kind = 'prune' AND state = 'succeeded' AND json_extract(result, '$.removed') IS NOT NULL`,
    )
    .all() as Array<{ result: string }>;
  return new Set(rows.flatMap((row) => (JSON.parse(row.result) as { removed: string[] }).removed));
}
