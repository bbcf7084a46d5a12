/**
 * A year of catalog history, generated: the backup runs a year of schedules leaves (daily
 * critical, weekly full, some by hand; failures, missed runs, runs cut off and retried,
 * cancelled ones), the verifications, the daily usage scans among them, and four usage
 * snapshots a day. The health test and `bench/health.ts` read the figures back from it.
 *
 * Deterministic: the same `now` writes the same rows. It returns the ledger of what it wrote,
 * so a test can work out the figures on its own.
 */
import fs from 'node:fs';
import path from 'node:path';
import { categories, type Category } from '../../../src-shared/models/categories';
import type { TendError } from '../../../src-shared/errors';
import type { BackupRunOutcome } from '../../../src-shared/models/health';
import { emptyProgress, type JobKind, type JobState } from '../../../src-shared/models/jobs';
import type { RunTrigger } from '../../../src-shared/models/maintenance';
import { archiveName } from '../backup/backup-naming';
import type { Catalog } from '../catalog/catalog';

/** One backup run the generator wrote. */
export interface GeneratedRun {
  readonly jobId: string;
  readonly createdAt: string;
  readonly outcome: BackupRunOutcome;
  /** Started by a schedule (its time or a catch-up), not by a person. */
  readonly scheduled: boolean;
}

/** One completed backup the generator wrote, and what its verification found. */
export interface GeneratedBackup {
  readonly id: string;
  readonly createdAt: string;
  readonly finishedAt: string;
  readonly verify: 'unverified' | 'verified' | 'failed';
  readonly verifiedAt: string | null;
}

/** One usage snapshot the generator wrote. */
export interface GeneratedSnapshot {
  readonly takenAt: string;
  readonly totalBytes: number;
  readonly byCategory: Readonly<Record<Category, number>>;
}

/** What the generator wrote, oldest first. */
export interface GeneratedHistory {
  readonly runs: ReadonlyArray<GeneratedRun>;
  readonly backups: ReadonlyArray<GeneratedBackup>;
  readonly snapshots: ReadonlyArray<GeneratedSnapshot>;
  /** Jobs of other kinds written among the backups (usage scans, verifications). */
  readonly otherJobs: number;
}

/** How much history, ending when, and where the archives are said to be. */
export interface HistoryOptions {
  readonly now: Date;
  /** Days of history, today included (365: a year). */
  readonly days?: number;
  /** The destination the records name; placeholder archives of their size are written there. */
  readonly destination: string;
}

const DAY_MS = 86_400_000;
const MIB = 1024 * 1024;

const missedError: TendError = {
  code: 'DESTINATION_UNAVAILABLE',
  message: 'The backup disk “USB” is not plugged in.',
  details: { missed: true, disk: 'USB' },
};
const failedError: TendError = {
  code: 'NO_SPACE',
  message: 'The destination is full: 2.1 GiB needed, 0.4 GiB free.',
};
const interruptedError: TendError = {
  code: 'INTERNAL',
  message: 'The computer went to sleep during this backup; it runs again.',
};

/** The outcome of day `index`'s daily critical run: a pattern with every kind of run in it. */
function dailyOutcome(index: number): BackupRunOutcome {
  if (index % 29 === 7) return 'missed';
  if (index % 31 === 11) return 'failed';
  if (index % 43 === 5) return 'interrupted';
  return 'succeeded';
}

/** Writes a year (or `days`) of history into a catalog; returns what it wrote. */
export function writeGeneratedHistory(catalog: Catalog, options: HistoryOptions): GeneratedHistory {
  const days = options.days ?? 365;
  const today = Date.parse(`${options.now.toISOString().slice(0, 10)}T00:00:00.000Z`);
  const runs: GeneratedRun[] = [];
  const backups: GeneratedBackup[] = [];
  const snapshots: GeneratedSnapshot[] = [];
  let otherJobs = 0;
  let serial = 0;
  fs.mkdirSync(options.destination, { recursive: true });

  const insertJob = catalog.prepare(
    `INSERT INTO jobs (id, kind, title, state, writes_root, owner, progress, created_at,
       started_at, finished_at, result, error)
     VALUES (?, ?, ?, ?, ?, 'generated:0', ?, ?, ?, ?, NULL, ?)`,
  );
  const link = catalog.prepare(
    `INSERT INTO schedule_job_runs (job_id, schedule_id, trigger, started_at) VALUES (?, ?, ?, ?)`,
  );
  const insertBackup = catalog.prepare(
    `INSERT INTO backups (id, kind, categories, state, destination, file_name, created_at,
       finished_at, duration_ms, archive_bytes, archive_sha256, files, data_bytes, verify_state,
       verified_at, verify_message, warnings, error, job_id, origin, host)
     VALUES (@id, @kind, @categories, @state, @destination, @fileName, @createdAt, @finishedAt,
       @durationMs, @archiveBytes, NULL, 10, 1000, 'unverified', NULL, NULL, '[]', @error,
       @jobId, 'created', 'generated')`,
  );
  const setVerified = catalog.prepare(
    'UPDATE backups SET verify_state = ?, verified_at = ?, verify_message = ? WHERE id = ?',
  );
  const insertSnapshot = catalog.prepare(
    `INSERT INTO usage_snapshots (taken_at, apparent_bytes, allocated_bytes, files, free_bytes,
       total_disk_bytes) VALUES (?, ?, ?, 1000, 100000000000, 500000000000)`,
  );
  const insertCategory = catalog.prepare(
    `INSERT INTO usage_snapshot_categories (snapshot_id, category, apparent_bytes,
       allocated_bytes, files) VALUES (?, ?, ?, ?, 250)`,
  );

  const job = (
    kind: JobKind,
    title: string,
    state: JobState,
    at: number,
    error: TendError | null,
  ): string => {
    serial += 1;
    const id = `generated-${String(serial).padStart(6, '0')}`;
    const start = new Date(at).toISOString();
    const end = new Date(at + 5 * 60_000).toISOString();
    insertJob.run(
      id,
      kind,
      title,
      state,
      kind === 'backup' ? 1 : 0,
      JSON.stringify(emptyProgress),
      start,
      start,
      end,
      error === null ? null : JSON.stringify(error),
    );
    return id;
  };

  const backupRun = (
    at: number,
    kind: 'critical' | 'full',
    outcome: BackupRunOutcome,
    schedule: { id: string; trigger: RunTrigger } | null,
  ): void => {
    if (at > options.now.getTime()) return;
    const state: JobState =
      outcome === 'missed' ? 'failed' : outcome === 'running' ? 'running' : outcome;
    const error =
      outcome === 'missed'
        ? missedError
        : outcome === 'failed'
          ? failedError
          : outcome === 'interrupted'
            ? interruptedError
            : null;
    const title =
      outcome === 'missed'
        ? `Scheduled backup (daily critical) missed: disk not plugged in`
        : `${schedule ? 'Scheduled backup' : 'Back up'} (${kind})`;
    const jobId = job('backup', title, state, at, error);
    const createdAt = new Date(at).toISOString();
    if (schedule) link.run(jobId, schedule.id, schedule.trigger, createdAt);
    runs.push({
      jobId,
      createdAt,
      outcome,
      scheduled: schedule !== null && schedule.trigger !== 'manual',
    });
    if (outcome === 'missed') return;
    const stamp = createdAt.replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
    const id = `tend-${stamp}-${kind}`;
    const finishedAt = new Date(at + 5 * 60_000).toISOString();
    const archiveBytes = 512 + (serial % 512);
    const backupState = outcome === 'succeeded' ? 'completed' : outcome;
    insertBackup.run({
      id,
      kind,
      categories: JSON.stringify(
        kind === 'full'
          ? ['irreplaceable', 'rebuildable', 'redownloadable']
          : ['irreplaceable', 'rebuildable'],
      ),
      state: backupState,
      destination: options.destination,
      fileName: archiveName(id),
      createdAt,
      finishedAt,
      durationMs: 300_000,
      archiveBytes: outcome === 'succeeded' ? archiveBytes : null,
      error: error === null ? null : JSON.stringify(error),
      jobId,
    });
    if (outcome !== 'succeeded') return;
    fs.writeFileSync(path.join(options.destination, archiveName(id)), Buffer.alloc(archiveBytes));
    backups.push({ id, createdAt, finishedAt, verify: 'unverified', verifiedAt: null });
  };

  const verify = (at: number, index: number): void => {
    const newest = backups.at(-1);
    if (!newest || at > options.now.getTime()) return;
    // One scheduled verify in nine finds its archive damaged.
    const damaged = index % 9 === 4;
    const verifiedAt = new Date(at + 10 * 60_000).toISOString();
    job('verify', `Verify ${newest.id}`, 'succeeded', at, null);
    otherJobs += 1;
    setVerified.run(
      damaged ? 'failed' : 'verified',
      verifiedAt,
      damaged ? 'a file does not match its hash' : null,
      newest.id,
    );
    backups[backups.length - 1] = {
      ...newest,
      verify: damaged ? 'failed' : 'verified',
      verifiedAt,
    };
  };

  const snapshot = (at: number, day: number, slot: number): void => {
    if (at > options.now.getTime()) return;
    // Irreplaceable data grows a little every scan; indexes with it; a model download on
    // day 200; logs and caches grow through each month and are cleaned on its 1st.
    const date = new Date(at);
    const byCategory: Record<Category, number> = {
      irreplaceable: 400 * MIB + day * 2 * MIB + slot * 64 * 1024,
      rebuildable: 120 * MIB + day * MIB,
      redownloadable: day >= 200 ? 6_000 * MIB : 2_000 * MIB,
      disposable: 10 * MIB + (date.getUTCDate() - 1) * 3 * MIB + slot * MIB,
    };
    const total = categories.reduce((sum, category) => sum + byCategory[category], 0);
    const takenAt = date.toISOString();
    const id = insertSnapshot.run(takenAt, total, total).lastInsertRowid;
    for (const category of categories) {
      insertCategory.run(id, category, byCategory[category], byCategory[category]);
    }
    snapshots.push({ takenAt, totalBytes: total, byCategory });
  };

  catalog.transaction(() => {
    for (let index = 0; index < days; index += 1) {
      const day = today - (days - 1 - index) * DAY_MS;
      const weekday = new Date(day).getUTCDay();
      const hour = (h: number, m = 0) => day + h * 3_600_000 + m * 60_000;
      snapshot(hour(0, 30), index, 0);
      const outcome = dailyOutcome(index);
      backupRun(hour(3), 'critical', outcome, { id: 'backup:daily-critical', trigger: 'schedule' });
      // A run cut off by a sleep runs once more, as a catch-up.
      if (outcome === 'interrupted') {
        backupRun(hour(3, 40), 'critical', 'succeeded', {
          id: 'backup:daily-critical',
          trigger: 'catch-up',
        });
      }
      if (weekday === 0) {
        backupRun(hour(4), 'full', 'succeeded', { id: 'backup:weekly-full', trigger: 'schedule' });
      }
      if (weekday === 3) verify(hour(6), index);
      if (hour(6, 30) <= options.now.getTime()) {
        job('usage-scan', 'Measure the data folder', 'succeeded', hour(6, 30), null);
        otherJobs += 1;
      }
      snapshot(hour(6, 30), index, 1);
      snapshot(hour(12, 30), index, 2);
      // Some by hand: every tenth day, one in six of them stopped by the person.
      if (index % 10 === 3) {
        backupRun(hour(14), 'critical', index % 60 === 3 ? 'cancelled' : 'succeeded', null);
      }
      snapshot(hour(18, 30), index, 3);
    }
  })();
  return { runs, backups, snapshots, otherJobs };
}
