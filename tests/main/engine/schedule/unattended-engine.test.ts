import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { TendFailure } from '../../../../src-shared/errors';
import { Engine } from '../../../../src-main/engine/engine';
import { BackupCatalog } from '../../../../src-main/engine/backup/backup-catalog';
import type { PowerState } from '../../../../src-main/engine/schedule/run-conditions';
import { schedulerFor } from '../../../../src-main/engine/maintenance/schedule-overview';
import {
  scheduleWakeFor,
  SLEEP_MESSAGE,
  wakeOpenRoot,
} from '../../../../src-main/engine/schedule/schedule-wake';
import { tempDir, writeFile } from '../../../support/temp-dir';
import { stateOfRoot } from '../../../support/root-state';

const engines: Engine[] = [];
afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.close();
});

const DAY = 24 * 3600_000;

/** A root with a destination and one backup made there, the schedules seen a day ago. */
async function rootWithHistory() {
  const base = tempDir();
  const root = path.join(base, 'root');
  const dest = path.join(base, 'disk', 'tend');
  fs.mkdirSync(dest, { recursive: true });
  const setup = await Engine.start({ appStateDir: path.join(base, 'state'), root: null });
  await setup.call('root:create', { path: root });
  writeFile(path.join(root, 'config/settings.yaml'), 'model: mini\n');
  const settings = await setup.call('settings:get');
  settings.backup.destination = dest;
  await setup.call('settings:set', { settings });
  const job = await setup.call('backups:create', { kind: 'critical' });
  expect((await setup.requireSession().jobs.wait(job.id)).state).toBe('succeeded');
  await setup.call('schedule:list');
  await setup.close();
  return { base, root, dest };
}

/** Moves the daily backup's last run back a day, so one run is owed now. */
function oweDailyBackup(root: string, ago = DAY): void {
  const db = new Database(stateOfRoot(path.join(path.dirname(root), 'state'), root).catalog);
  db.prepare(
    `INSERT INTO schedule_runs (schedule_id, last_run_at) VALUES ('backup:daily-critical', ?)
     ON CONFLICT(schedule_id) DO UPDATE SET last_run_at = excluded.last_run_at`,
  ).run(new Date(Date.now() - ago).toISOString());
  db.close();
}

async function start(base: string, root: string, power?: () => Promise<PowerState | null>) {
  const engine = await Engine.start({
    appStateDir: path.join(base, 'state'),
    root,
    schedules: true,
    ...(power ? { power } : {}),
  });
  engines.push(engine);
  return engine;
}

/**
 * Unplugs the disk under `base` (its folder renamed), owes the daily backup, and starts the
 * engine: the owed run is the missed one, returned once it ended.
 */
async function missedAfterUnplugging(base: string, root: string) {
  fs.renameSync(path.join(base, 'disk'), path.join(base, 'unplugged'));
  oweDailyBackup(root);
  const engine = await start(base, root);
  const session = engine.requireSession();
  const [missed] = session.jobs.list(5, 'backup').filter((job) => job.title.includes('missed'));
  expect(missed).toBeDefined();
  return { engine, missed: missed!, ended: await session.jobs.wait(missed!.id) };
}

const backupFiles = (dest: string) =>
  fs.existsSync(dest) ? fs.readdirSync(dest).filter((name) => name.endsWith('.tar.gz')) : [];

describe('a destination on a disk that is not plugged in', () => {
  it('makes the scheduled run a missed one that names the disk, creates nothing, and waits for the next schedule', async () => {
    const { base, root, dest } = await rootWithHistory();
    // The disk is unplugged: its folder is gone.
    const { engine, missed, ended } = await missedAfterUnplugging(base, root);
    expect(ended).toMatchObject({
      state: 'failed',
      error: { code: 'DESTINATION_UNAVAILABLE', details: { destination: dest, missed: true } },
    });
    expect(ended.error?.message).toContain(dest);
    expect(ended.title.startsWith('Scheduled backup')).toBe(true);
    // Never a folder made where the disk should be.
    expect(fs.existsSync(path.join(base, 'disk'))).toBe(false);

    // Counted in the figures: the schedule's history shows it as a failed run.
    const { runs } = await engine.call('schedule:history', {
      scheduleId: 'backup:daily-critical',
      failuresOnly: true,
    });
    expect(runs.map((run) => run.job.id)).toEqual([missed.id]);

    // It waits for the next schedule: a wake now starts nothing more.
    const report = await wakeOpenRoot(engine, null);
    expect(report?.runs).toEqual([]);

    // Two days on, the status names the missing folder as the reason.
    const status = await engine.call('unattended:status');
    expect(status.backup.state).toBe('ok');
    const db = new Database(stateOfRoot(path.join(path.dirname(root), 'state'), root).catalog);
    db.prepare('UPDATE backups SET finished_at = ?').run(
      new Date(Date.now() - 3 * DAY).toISOString(),
    );
    db.close();
    const later = await engine.call('unattended:status');
    expect(later.backup).toMatchObject({
      state: 'stopped',
      reason: 'destination-missing',
      disk: dest,
      headline: `No backup for 3 days: the backup folder ${dest} is missing.`,
    });
  });
});

describe('an encrypted repository on a disk that is not plugged in', () => {
  it('makes the scheduled run a missed one naming its folder, as the status does, not a failed backup', async () => {
    const base = tempDir();
    const root = path.join(base, 'root');
    const setup = await Engine.start({ appStateDir: path.join(base, 'state'), root: null });
    await setup.call('root:create', { path: root });
    writeFile(path.join(root, 'config/settings.yaml'), 'model: mini\n');
    // No archive folder: scheduled backups go to the repository, which has one snapshot.
    const folder = path.join(base, 'disk', 'tend-repo');
    fs.mkdirSync(path.dirname(folder));
    await setup.call('repository:set', { destination: { kind: 'local', folder } });
    await setup.call('repository:init', { passphrase: 'backups still happen' });
    const made = await setup.call('repository:backup', { kind: 'critical' });
    expect((await setup.requireSession().jobs.wait(made.id)).state).toBe('succeeded');
    await setup.call('schedule:list');
    await setup.close();
    // The disk is unplugged (a folder outside /media: only its history says it was there).
    const { ended } = await missedAfterUnplugging(base, root);
    expect(ended).toMatchObject({
      state: 'failed',
      error: { code: 'DESTINATION_UNAVAILABLE', details: { destination: folder, missed: true } },
    });
    expect(fs.existsSync(path.join(base, 'disk'))).toBe(false);
  });
});

describe('on battery', () => {
  it('makes scheduled backups wait for power, says so, and runs them once power is back', async () => {
    const { base, root, dest } = await rootWithHistory();
    oweDailyBackup(root);
    let power: PowerState = { onBattery: true, batteryPercent: 12 };
    const engine = await start(base, root, async () => power);
    const session = engine.requireSession();
    expect(session.jobs.list(10, 'backup')).toHaveLength(1);
    const status = await engine.call('unattended:status');
    expect(status.waiting).toEqual([
      {
        id: 'backup:daily-critical',
        cause: 'power',
        reason: 'On battery at 12% (under 30%): scheduled backups wait for power.',
      },
    ]);
    // A manual backup does not wait.
    const manual = await engine.call('backups:create', { kind: 'critical' });
    expect((await session.jobs.wait(manual.id)).state).toBe('succeeded');
    expect(backupFiles(dest)).toHaveLength(2);

    power = { onBattery: false, batteryPercent: 13 };
    const report = await wakeOpenRoot(engine, null);
    const started = report?.runs.find((run) => run.id === 'backup:daily-critical');
    expect(started?.outcome).toBe('started');
    if (started?.outcome === 'started') await session.jobs.wait(started.jobId!);
    expect(backupFiles(dest)).toHaveLength(3);
    expect((await engine.call('unattended:status')).waiting).toEqual([]);
    // Once: another wake runs nothing.
    expect((await wakeOpenRoot(engine, null))?.runs).toEqual([]);
  });
});

describe('a backup interrupted by sleep', () => {
  it('is marked and run again once after the wake', async () => {
    const { base, root, dest } = await rootWithHistory();
    const engine = await start(base, root);
    const session = engine.requireSession();
    // A scheduled backup that was running when the machine slept and lost its lock on wake.
    let fail!: () => void;
    const cut = session.jobs.start({
      kind: 'backup',
      title: 'Scheduled backup (critical)',
      writesRoot: true,
      run: () =>
        new Promise((_, reject) => {
          fail = () =>
            reject(new TendFailure('DATA_LOCKED', 'The data lock was lost: compromised'));
        }),
    });
    while (session.jobs.get(cut.id).state !== 'running')
      await new Promise((r) => setTimeout(r, 10));
    const catalog = new BackupCatalog(session.catalog);
    const [done] = catalog.list();
    catalog.insert({
      ...done!,
      id: 'tend-20261130-030000-critical',
      fileName: 'tend-20261130-030000-critical.tar.gz',
      state: 'failed',
      jobId: cut.id,
      error: { code: 'DATA_LOCKED', message: 'The data lock was lost' },
    });
    session.catalog
      .prepare(
        `INSERT INTO schedule_job_runs (job_id, schedule_id, trigger, started_at) VALUES (?, 'backup:daily-critical', 'schedule', ?)`,
      )
      .run(cut.id, new Date().toISOString());
    const sleep = { from: new Date(), to: new Date(Date.now() + 1) };
    const waking = wakeOpenRoot(engine, sleep);
    fail();
    const report = await waking;
    expect(report?.retried).toEqual([cut.id]);
    expect(catalog.get('tend-20261130-030000-critical')).toMatchObject({
      state: 'interrupted',
      error: { message: SLEEP_MESSAGE },
    });
    const retry = report?.runs.find((run) => run.id === 'backup:daily-critical');
    expect(retry?.outcome).toBe('started');
    if (retry?.outcome === 'started') {
      expect((await session.jobs.wait(retry.jobId!)).state).toBe('succeeded');
    }
    expect(backupFiles(dest)).toHaveLength(2);
    // Once: the same sleep reported again retries nothing.
    expect((await wakeOpenRoot(engine, sleep))?.retried).toEqual([]);
  });
});

describe('a sleep noticed without Electron (tend serve)', () => {
  it('catches up what the sleep made owed, once, when the wall clock jumps and the monotonic one does not', async () => {
    const { base, root, dest } = await rootWithHistory();
    const engine = await start(base, root);
    const session = engine.requireSession();
    const wake = scheduleWakeFor(session, engine, await schedulerFor(session, engine));
    // Watch with clocks the test moves: the wall clock jumps 8 hours, as after a night asleep.
    let sleptMs = 0;
    wake.stopWatching();
    wake.watchClock({ wallMs: () => Date.now() + sleptMs, monoMs: () => performance.now() }, 20);
    const caughtUp = new Promise<void>((resolve) => {
      const off = engine.events.on('job:finished', (job) => {
        if (job.kind === 'backup') {
          off();
          resolve();
        }
      });
    });
    // While it slept, the daily backup's time passed.
    oweDailyBackup(root);
    sleptMs = 8 * 3600_000;
    await caughtUp;
    const reports = await wake.settled();
    expect(reports.flatMap((report) => report.runs.map((run) => run.id))).toContain(
      'backup:daily-critical',
    );
    expect(backupFiles(dest)).toHaveLength(2);
    wake.stopWatching();
  });
});

describe('unattended:status', () => {
  it('says no destination is chosen when none is, once the set age has passed', async () => {
    const base = tempDir();
    const engine = await Engine.start({ appStateDir: path.join(base, 'state'), root: null });
    engines.push(engine);
    await engine.call('root:create', { path: path.join(base, 'root') });
    const fresh = await engine.call('unattended:status');
    expect(fresh.backup).toMatchObject({ state: 'ok', lastSuccessAt: null });
    const settings = await engine.call('settings:get');
    settings.unattended.warnAfterHours = 1;
    await engine.call('settings:set', { settings });
    // The folder has been looked after since an old job.
    engine
      .requireSession()
      .catalog.prepare(
        `INSERT INTO jobs (id, kind, title, state, writes_root, owner, progress, created_at)
         VALUES ('old', 'usage-scan', 'Scan', 'succeeded', 0, '{}', '{}', ?)`,
      )
      .run(new Date(Date.now() - 5 * 3600_000).toISOString());
    const status = await engine.call('unattended:status');
    expect(status.backup).toMatchObject({
      state: 'stopped',
      reason: 'no-destination',
      headline:
        'No backup in the 5 hours Tend has looked after this folder: no backup destination is chosen.',
    });
  });

  it('counts the encrypted repository’s backups and judges its folder, where scheduled backups go', async () => {
    const base = tempDir();
    const engine = await Engine.start({ appStateDir: path.join(base, 'state'), root: null });
    engines.push(engine);
    const root = path.join(base, 'root');
    await engine.call('root:create', { path: root });
    writeFile(path.join(root, 'config/settings.yaml'), 'model: mini\n');
    const settings = await engine.call('settings:get');
    settings.unattended.warnAfterHours = 1;
    await engine.call('settings:set', { settings });
    const session = engine.requireSession();
    session.catalog
      .prepare(
        `INSERT INTO jobs (id, kind, title, state, writes_root, owner, progress, created_at)
         VALUES ('old', 'usage-scan', 'Scan', 'succeeded', 0, '{}', '{}', ?)`,
      )
      .run(new Date(Date.now() - 5 * 3600_000).toISOString());
    // No archive folder: scheduled backups go to the repository, and one has just succeeded.
    const folder = path.join(base, 'disk', 'tend-repo');
    fs.mkdirSync(path.dirname(folder));
    await engine.call('repository:set', { destination: { kind: 'local', folder } });
    await engine.call('repository:init', { passphrase: 'backups still happen' });
    const job = await engine.call('repository:backup', { kind: 'critical' });
    const done = await session.jobs.wait(job.id);
    expect(done.state).toBe('succeeded');
    const status = await engine.call('unattended:status');
    expect(status.backup).toMatchObject({ state: 'ok', lastSuccessAt: done.finishedAt });
    // The Overview, the tray and `tend info` say so too.
    expect((await engine.call('root:info')).lastBackup).toEqual({
      id: (done.result as { snapshotId: string }).snapshotId,
      finishedAt: done.finishedAt,
      kind: 'critical',
      bytes: (done.result as { bytesTotal: number }).bytesTotal,
      encrypted: true,
    });

    // Two hours on, with the repository's disk gone: that is the reason given.
    session.catalog
      .prepare(`UPDATE jobs SET finished_at = ? WHERE id = ?`)
      .run(new Date(Date.now() - 2 * 3600_000).toISOString(), job.id);
    fs.renameSync(path.join(base, 'disk'), path.join(base, 'unplugged'));
    const later = await engine.call('unattended:status');
    expect(later.backup).toMatchObject({
      state: 'stopped',
      reason: 'destination-missing',
      headline: `No backup for 2 hours: the backup folder ${folder} is missing.`,
    });
  });
});
