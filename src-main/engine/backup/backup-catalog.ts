import type { TendError } from '../../../src-shared/errors';
import type { Category } from '../../../src-shared/models/categories';
import type { RootInfo } from '../../../src-shared/models/root';
import type {
  BackupKind,
  BackupOrigin,
  BackupRecord,
  BackupState,
  VerifyState,
} from '../../../src-shared/models/backups';
import type { Catalog } from '../catalog/catalog';

interface BackupRow {
  id: string;
  kind: BackupKind;
  categories: string;
  state: BackupState;
  destination: string;
  file_name: string;
  created_at: string;
  finished_at: string | null;
  duration_ms: number | null;
  archive_bytes: number | null;
  archive_sha256: string | null;
  files: number | null;
  data_bytes: number | null;
  verify_state: VerifyState;
  verified_at: string | null;
  verify_message: string | null;
  warnings: string;
  error: string | null;
  job_id: string | null;
  origin: BackupOrigin;
  host: string;
}

function fromRow(row: BackupRow): BackupRecord {
  return {
    id: row.id,
    kind: row.kind,
    categories: JSON.parse(row.categories) as Category[],
    state: row.state,
    destination: row.destination,
    fileName: row.file_name,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
    durationMs: row.duration_ms,
    archiveBytes: row.archive_bytes,
    archiveSha256: row.archive_sha256,
    files: row.files,
    dataBytes: row.data_bytes,
    verifyState: row.verify_state,
    verifiedAt: row.verified_at,
    verifyMessage: row.verify_message,
    warnings: JSON.parse(row.warnings) as BackupRecord['warnings'],
    error: row.error === null ? null : (JSON.parse(row.error) as TendError),
    jobId: row.job_id,
    origin: row.origin,
    host: row.host,
  };
}

/** The backups table of the catalog: the history. */
export class BackupCatalog {
  constructor(private readonly db: Catalog) {}

  /** Adds a record; returns false when one with its id is already there. */
  insert(record: BackupRecord): boolean {
    const result = this.db
      .prepare(
        `INSERT OR IGNORE INTO backups (id, kind, categories, state, destination, file_name,
           created_at, finished_at, duration_ms, archive_bytes, archive_sha256, files, data_bytes,
           verify_state, verified_at, verify_message, warnings, error, job_id, origin, host)
         VALUES (@id, @kind, @categories, @state, @destination, @fileName, @createdAt,
           @finishedAt, @durationMs, @archiveBytes, @archiveSha256, @files, @dataBytes,
           @verifyState, @verifiedAt, @verifyMessage, @warnings, @error, @jobId, @origin, @host)`,
      )
      .run({
        ...record,
        categories: JSON.stringify(record.categories),
        warnings: JSON.stringify(record.warnings),
        error: record.error === null ? null : JSON.stringify(record.error),
      });
    return result.changes === 1;
  }

  /** Sets the outcome of a backup. */
  finish(
    id: string,
    patch: Pick<BackupRecord, 'state' | 'finishedAt' | 'durationMs' | 'error'> &
      Partial<
        Pick<BackupRecord, 'archiveBytes' | 'archiveSha256' | 'files' | 'dataBytes' | 'warnings'>
      >,
  ): void {
    this.db
      .prepare(
        `UPDATE backups SET state = @state, finished_at = @finishedAt, duration_ms = @durationMs,
           error = @error, archive_bytes = COALESCE(@archiveBytes, archive_bytes),
           archive_sha256 = COALESCE(@archiveSha256, archive_sha256),
           files = COALESCE(@files, files), data_bytes = COALESCE(@dataBytes, data_bytes),
           warnings = COALESCE(@warnings, warnings)
         WHERE id = @id`,
      )
      .run({
        id,
        state: patch.state,
        finishedAt: patch.finishedAt,
        durationMs: patch.durationMs,
        error: patch.error === null ? null : JSON.stringify(patch.error),
        archiveBytes: patch.archiveBytes ?? null,
        archiveSha256: patch.archiveSha256 ?? null,
        files: patch.files ?? null,
        dataBytes: patch.dataBytes ?? null,
        warnings: patch.warnings ? JSON.stringify(patch.warnings) : null,
      });
  }

  /** Records what a verification found. */
  setVerified(id: string, state: VerifyState, at: string, message: string | null): void {
    this.db
      .prepare(
        'UPDATE backups SET verify_state = ?, verified_at = ?, verify_message = ? WHERE id = ?',
      )
      .run(state, at, message, id);
  }

  get(id: string): BackupRecord | null {
    const row = this.db.prepare('SELECT * FROM backups WHERE id = ?').get(id) as
      BackupRow | undefined;
    return row ? fromRow(row) : null;
  }

  /** Every record, newest first. */
  list(): BackupRecord[] {
    return (
      this.db
        .prepare('SELECT * FROM backups ORDER BY created_at DESC, id DESC')
        .all() as BackupRow[]
    ).map(fromRow);
  }

  /** Records still marked running. */
  running(): BackupRecord[] {
    return (
      this.db.prepare("SELECT * FROM backups WHERE state = 'running'").all() as BackupRow[]
    ).map(fromRow);
  }

  remove(id: string): void {
    this.db.prepare('DELETE FROM backups WHERE id = ?').run(id);
  }
}

/**
 * The newest completed backup, as the root's overview, `tend info` and the tray show it as
 * "Last backup"; null when there is none. Safety snapshots (`pre-restore`, `pre-migration`)
 * hold only the few files one restore or migration changed: they are not a backup of the data.
 */
export function newestCompletedBackup(db: Catalog): LastBackup | null {
  const row = db
    .prepare(
      `SELECT id, COALESCE(finished_at, created_at) AS finishedAt, kind,
         COALESCE(archive_bytes, 0) AS bytes
       FROM backups WHERE state = 'completed' AND kind NOT IN ('pre-restore', 'pre-migration')
       ORDER BY created_at DESC LIMIT 1`,
    )
    .get() as LastBackup | undefined;
  return row ?? null;
}

/** The newest backup as "Last backup" shows it (root:info); `encrypted` for a snapshot. */
export type LastBackup = NonNullable<RootInfo['lastBackup']>;

/** The jobs (a SQL condition on the jobs table) that are backups into an encrypted repository that succeeded. */
export const SNAPSHOT_BACKUP_JOBS = `kind = 'backup' AND state = 'succeeded' AND finished_at IS NOT NULL
  AND json_extract(result, '$.snapshotId') IS NOT NULL`;

/**
 * A repository backup job's kind: its result's, or its title's for jobs made before the result
 * said it ("Back up (critical, encrypted repository)").
 */
export function snapshotJobKind(result: { kind?: string }, title: string): 'critical' | 'full' {
  return (result.kind ?? /\((critical|full)\b/.exec(title)?.[1]) === 'full' ? 'full' : 'critical';
}

/**
 * The newest backup into an encrypted repository (issue 12), from its job: jobs are kept, so
 * the catalog knows without opening the repository (its passphrase, and for SFTP or S3 the
 * network). Its id is the snapshot's, its bytes the data it holds. Null when there is none.
 */
export function newestRepositoryBackup(db: Catalog): LastBackup | null {
  const row = db
    .prepare(
      `SELECT finished_at AS finishedAt, title, result FROM jobs
       WHERE ${SNAPSHOT_BACKUP_JOBS} ORDER BY finished_at DESC LIMIT 1`,
    )
    .get() as { finishedAt: string; title: string; result: string } | undefined;
  if (!row) return null;
  const result = JSON.parse(row.result) as {
    snapshotId: string;
    bytesTotal?: number;
    kind?: string;
  };
  return {
    id: result.snapshotId,
    finishedAt: row.finishedAt,
    kind: snapshotJobKind(result, row.title),
    bytes: result.bytesTotal ?? 0,
    encrypted: true,
  };
}

/** The newer of the newest archive and the newest snapshot, as "Last backup" shows it. */
export function newestBackup(db: Catalog): LastBackup | null {
  const archive = newestCompletedBackup(db);
  const snapshot = newestRepositoryBackup(db);
  if (!snapshot) return archive;
  return !archive || snapshot.finishedAt > archive.finishedAt ? snapshot : archive;
}
