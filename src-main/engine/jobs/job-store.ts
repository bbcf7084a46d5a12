import { JobRecordSchema, type JobKind, type JobRecord } from '../../../src-shared/models/jobs';
import type { Catalog } from '../catalog/catalog';

interface JobRow {
  id: string;
  kind: string;
  title: string;
  state: string;
  writes_root: number;
  owner: string;
  progress: string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  result: string | null;
  error: string | null;
}

/** The process that runs a job. */
export interface JobOwner {
  host: string;
  pid: number;
}

function parseOwner(owner: string): JobOwner {
  const at = owner.lastIndexOf(':');
  return { host: owner.slice(0, at), pid: Number(owner.slice(at + 1)) };
}

function fromRow(row: JobRow): JobRecord {
  return JobRecordSchema.parse({
    id: row.id,
    kind: row.kind,
    title: row.title,
    state: row.state,
    writesRoot: row.writes_root === 1,
    progress: JSON.parse(row.progress),
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    result: row.result === null ? null : JSON.parse(row.result),
    error: row.error === null ? null : JSON.parse(row.error),
  });
}

/** The jobs table of the catalog. */
export class JobStore {
  constructor(private readonly db: Catalog) {}

  /** Writes a job's whole record (insert or replace). */
  save(job: JobRecord, owner: JobOwner): void {
    this.db
      .prepare(
        `INSERT INTO jobs (id, kind, title, state, writes_root, owner, progress, created_at, started_at, finished_at, result, error)
         VALUES (@id, @kind, @title, @state, @writesRoot, @owner, @progress, @createdAt, @startedAt, @finishedAt, @result, @error)
         ON CONFLICT(id) DO UPDATE SET state = excluded.state, progress = excluded.progress,
           started_at = excluded.started_at, finished_at = excluded.finished_at,
           result = excluded.result, error = excluded.error`,
      )
      .run({
        ...job,
        owner: `${owner.host}:${owner.pid}`,
        writesRoot: job.writesRoot ? 1 : 0,
        progress: JSON.stringify(job.progress),
        result: job.result === null || job.result === undefined ? null : JSON.stringify(job.result),
        error: job.error === null ? null : JSON.stringify(job.error),
      });
  }

  get(id: string): JobRecord | null {
    const row = this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined;
    return row ? fromRow(row) : null;
  }

  /** Newest first. */
  list(limit: number, kind?: JobKind): JobRecord[] {
    const rows = kind
      ? this.db
          .prepare('SELECT * FROM jobs WHERE kind = ? ORDER BY created_at DESC, rowid DESC LIMIT ?')
          .all(kind, limit)
      : this.db
          .prepare('SELECT * FROM jobs ORDER BY created_at DESC, rowid DESC LIMIT ?')
          .all(limit);
    return (rows as JobRow[]).map(fromRow);
  }

  /**
   * Marks jobs left queued or running by a process that is gone as interrupted.
   *
   * The CLI and the desktop app may share a root, so a job is only taken for dead when its
   * owner process no longer exists on this machine.
   */
  markInterrupted(now: string, isAlive: (owner: JobOwner) => boolean): JobRecord[] {
    const rows = (
      this.db.prepare(`SELECT * FROM jobs WHERE state IN ('queued', 'running')`).all() as JobRow[]
    ).filter((row) => !isAlive(parseOwner(row.owner)));
    const update = this.db.prepare(
      `UPDATE jobs SET state = 'interrupted', finished_at = ?, error = ? WHERE id = ?`,
    );
    const error = JSON.stringify({
      code: 'INTERNAL',
      message: 'Tend stopped while this job was running.',
    });
    this.db.transaction(() => rows.forEach((row) => update.run(now, error, row.id)))();
    return rows.map((row) => this.get(row.id)!);
  }
}
