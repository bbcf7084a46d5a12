/**
 * A demo folder of a profile written by a real engine (`demo:generate`, as `tend demo
 * --profile ID` does), with a backup destination beside it, and the engine's backup and
 * restore calls waited for: what the seed-profile tests back up, break and restore.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { BackupRecord } from '../../../../../src-shared/models/backups';
import type { JobRecord } from '../../../../../src-shared/models/jobs';
import type { RestoreReport, RestoreScope } from '../../../../../src-shared/models/restore';
import { Engine } from '../../../../../src-main/engine/engine';
import { withReadOnlyDatabase } from '../../../../../src-main/engine/stores/sqlite/sqlite-open';
import { tempDir } from '../../../../support/temp-dir';
import { exactFingerprint } from '../../restore/support/exact-tree';

/** A profile's demo root behind an engine. */
export interface ProfileDemoFixture {
  readonly base: string;
  readonly root: string;
  readonly backups: string;
  readonly engine: Engine;
  /**
   * Every entry of the root, exactly (Tend's own `.tend/` left out); a SQLite database by its
   * schema and rows, since a backup snapshots it through the online backup API, whose copy
   * differs from the original in its header's counters (change counter, schema cookie) and, for
   * a database in WAL mode, in holding the WAL's pages.
   */
  fingerprint(): string[];
  /** A full backup, finished. */
  backup(): Promise<BackupRecord>;
  /** A restore of `scope` from `backup`, finished: its job record. */
  restore(backup: BackupRecord, scope: RestoreScope): Promise<JobRecord>;
}

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

function isDatabase(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(SQLITE_MAGIC.length);
    return fs.readSync(fd, head, 0, head.length, 0) === head.length && head.equals(SQLITE_MAGIC);
  } finally {
    fs.closeSync(fd);
  }
}

/** The schema and every row of a database, hashed. */
export function databaseContent(file: string): string {
  const hash = createHash('sha256');
  withReadOnlyDatabase(file, (db) => {
    const objects = db
      .prepare('SELECT type, name, sql FROM sqlite_schema ORDER BY type, name')
      .all() as Array<{ type: string; name: string; sql: string | null }>;
    for (const object of objects) {
      hash.update(JSON.stringify(object));
      if (object.type !== 'table' || object.name.startsWith('sqlite_')) continue;
      const rows = db
        .prepare(`SELECT * FROM "${object.name.replaceAll('"', '""')}"`)
        .raw()
        .all();
      const lines = rows.map((row) =>
        JSON.stringify(row, (_key, value: unknown) =>
          Buffer.isBuffer(value)
            ? value.toString('base64')
            : typeof value === 'bigint'
              ? String(value)
              : value,
        ),
      );
      for (const line of lines.sort()) hash.update(line);
    }
  });
  return hash.digest('hex');
}

/** A fingerprint line with a database's content hash in place of its bytes' hash. */
function withDatabaseContent(root: string, line: string): string {
  const match = /^f (.+?) (mode=\S+) size=\S+ (mtime=\S+) \S+$/.exec(line);
  if (!match) return line;
  const [, relative, mode, mtime] = match;
  const file = path.join(root, relative!);
  if (!isDatabase(file)) return line;
  return `f ${relative} ${mode} ${mtime} database=${databaseContent(file)}`;
}

async function finished(engine: Engine, job: JobRecord): Promise<JobRecord> {
  return engine.requireSession().jobs.wait(job.id);
}

/** Writes the demo of `profile` with `seed` through a real engine and sets a destination. */
export async function profileDemoFixture(profile: string, seed = 3): Promise<ProfileDemoFixture> {
  const base = tempDir(`tend-${profile}-`);
  const root = path.join(base, 'root');
  const backups = path.join(base, 'backups');
  fs.mkdirSync(backups);
  const engine = await Engine.start({ appStateDir: path.join(base, 'state'), root: null });
  const demo = await finished(
    engine,
    await engine.call('demo:generate', { path: root, profile, size: 'small', seed }),
  );
  if (demo.state !== 'succeeded') throw new Error(JSON.stringify(demo.error));
  const settings = await engine.call('settings:get');
  await engine.call('settings:set', {
    settings: { ...settings, backup: { ...settings.backup, destination: backups } },
  });
  return {
    base,
    root,
    backups,
    engine,
    fingerprint: () => exactFingerprint(root).map((line) => withDatabaseContent(root, line)),
    async backup() {
      const job = await finished(engine, await engine.call('backups:create', { kind: 'full' }));
      if (job.state !== 'succeeded') throw new Error(JSON.stringify(job.error));
      return job.result as BackupRecord;
    },
    async restore(backup, scope) {
      return finished(engine, await engine.call('restore:apply', { backup: backup.id, scope }));
    },
  };
}

/** The checks a finished restore reports. */
export function reportOf(job: JobRecord): RestoreReport {
  if (job.state !== 'succeeded') throw new Error(JSON.stringify(job.error));
  return job.result as RestoreReport;
}
