import fs from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BackupRecordSchema, type BackupRecord } from '../../../../src-shared/models/backups';
import { jobResultAs } from '../../../../src-shared/models/job-results';
import { backupSchedules, verifySample } from '../../../../src-main/engine/backup/backup-schedules';
import { backupId, isBackupId } from '../../../../src-main/engine/backup/backup-naming';
import { backupServiceFor } from '../../../../src-main/engine/backup/backup-service';
import { GzipMemberWriter } from '../../../../src-main/engine/backup/gzip-members';
import { TEND_VERSION } from '../../../../src-main/engine/backup/tend-version';
import { Engine } from '../../../../src-main/engine/engine';
import { writeSettings } from '../../../../src-main/engine/root/settings-file';
import { Scheduler } from '../../../../src-main/engine/schedule/scheduler';
import { backupFixture } from './backup-fixture';

type Fixture = Awaited<ReturnType<typeof backupFixture>>;

async function backUp(fixture: Fixture, kind: 'critical' | 'full' = 'critical') {
  const job = await fixture.engine.call('backups:create', { kind });
  const ended = await fixture.engine.requireSession().jobs.wait(job.id);
  if (ended.state !== 'succeeded') throw new Error(JSON.stringify(ended.error));
  return ended.result as BackupRecord;
}

describe('backup service', () => {
  it('needs a destination outside the root; safety snapshots fall back to Tend’s state', async () => {
    const fixture = await backupFixture({ destination: false });
    const { engine, root } = fixture;
    expect(await engine.dispatch('backups:create', { kind: 'critical' })).toMatchObject({
      ok: false,
      error: { code: 'NO_DESTINATION', message: expect.stringContaining('Settings') },
    });
    const inside = await engine.dispatch('backups:create', {
      kind: 'critical',
      destination: path.join(root, 'backups'),
    });
    expect(inside).toMatchObject({ ok: false, error: { code: 'DESTINATION_INSIDE_ROOT' } });
    expect(fs.existsSync(path.join(root, 'backups'))).toBe(false);

    const session = engine.requireSession();
    const service = backupServiceFor(session, engine);
    const job = session.jobs.start({
      kind: 'backup',
      title: 'restore with a safety snapshot',
      writesRoot: true,
      run: (context) => service.writeWithin(context, { kind: 'pre-restore', paths: ['config'] }),
    });
    const ended = await session.jobs.wait(job.id);
    expect(ended.state).toBe('succeeded');
    const record = jobResultAs(ended, BackupRecordSchema);
    expect(record.destination).toBe(session.state.snapshots);
    expect(session.state.snapshots.startsWith(path.join(fixture.base, 'state'))).toBe(true);
    expect(fs.existsSync(path.join(root, '.tend'))).toBe(false);
    expect(fs.existsSync(service.archivePath(record))).toBe(true);
    // Limited to the paths asked for.
    const sidecar = JSON.parse(fs.readFileSync(service.sidecarPath(record), 'utf8'));
    expect(
      sidecar.entries.every((entry: { path: string }) => entry.path.startsWith('config')),
    ).toBe(true);
    expect(sidecar.entries.length).toBeGreaterThan(1);
    await engine.close();
  });

  it('rebuilds the history from the sidecars when the catalog is lost', async () => {
    const fixture = await backupFixture();
    const first = await backUp(fixture, 'critical');
    const second = await backUp(fixture, 'full');
    const catalog = fixture.engine.requireSession().state.catalog;
    await fixture.engine.close();
    fs.rmSync(catalog);
    fs.rmSync(`${catalog}-wal`, { force: true });
    fs.rmSync(`${catalog}-shm`, { force: true });
    const engine = await Engine.start({
      appStateDir: path.join(fixture.base, 'state'),
      root: fixture.root,
    });
    const { backups } = await engine.call('backups:list');
    expect(backups.map((item) => item.id)).toEqual([second.id, first.id]);
    expect(backups[0]).toMatchObject({
      state: 'completed',
      origin: 'created',
      archiveBytes: second.archiveBytes,
      archiveSha256: second.archiveSha256,
      files: second.files,
    });
    expect((await engine.call('root:info')).lastBackup).toMatchObject({ id: second.id });
    await engine.close();
  });

  it('imports backups another machine wrote, and never prunes them', async () => {
    const fixture = await backupFixture();
    const mine = await backUp(fixture, 'critical');
    // Another machine's backup: same format, another host, in a folder of its own.
    const foreign = path.join(fixture.base, 'foreign');
    fs.mkdirSync(foreign);
    const id = 'tend-20250101-030000-full';
    fs.copyFileSync(path.join(mine.destination, mine.fileName), path.join(foreign, `${id}.tar.gz`));
    const sidecar = JSON.parse(
      fs.readFileSync(path.join(mine.destination, `${mine.id}.manifest.json`), 'utf8'),
    );
    fs.writeFileSync(
      path.join(foreign, `${id}.manifest.json`),
      JSON.stringify({
        ...sidecar,
        id,
        kind: 'full',
        host: 'other-machine',
        createdAt: '2025-01-01T03:00:00.000Z',
        archive: { ...sidecar.archive, fileName: `${id}.tar.gz` },
      }),
    );
    // A sidecar that points its archive elsewhere is not taken in.
    const evil = 'tend-20250102-030000-full';
    fs.writeFileSync(
      path.join(foreign, `${evil}.manifest.json`),
      JSON.stringify({
        ...sidecar,
        id: evil,
        archive: { ...sidecar.archive, fileName: '../victim.txt' },
      }),
    );
    fs.writeFileSync(path.join(fixture.base, 'victim.txt'), 'keep me');
    expect(await fixture.engine.call('backups:import', { path: foreign })).toEqual({ added: 1 });
    expect(await fixture.engine.call('backups:import', { path: foreign })).toEqual({ added: 0 });
    const settings = await fixture.engine.call('settings:get');
    await fixture.engine.call('settings:set', {
      settings: {
        ...settings,
        backup: { ...settings.backup, retention: { daily: 1, weekly: 0, monthly: 0 } },
      },
    });
    const plan = await fixture.engine.call('backups:prune-plan');
    expect(plan.decisions.find((item) => item.id === id)).toMatchObject({
      action: 'keep',
      reason: 'written by another machine or data folder',
    });
    expect(plan.deleteCount).toBe(0);
    await fixture.engine.close();
  });

  it('prunes what retention says, deleting only the files it recorded', async () => {
    const fixture = await backupFixture();
    const { engine } = fixture;
    const old = await backUp(fixture, 'critical');
    const newer = await backUp(fixture, 'critical');
    const settings = await engine.call('settings:get');
    await engine.call('settings:set', {
      settings: {
        ...settings,
        backup: { ...settings.backup, retention: { daily: 1, weekly: 0, monthly: 0 } },
      },
    });
    // A file of the user's in the destination that looks like nothing Tend wrote.
    fs.writeFileSync(path.join(fixture.destination, 'notes.txt'), 'mine');
    const plan = await engine.call('backups:prune-plan');
    expect(plan.decisions.map((item) => [item.id, item.action])).toEqual([
      [newer.id, 'keep'],
      [old.id, 'delete'],
    ]);
    expect(plan.freedBytes).toBe(old.archiveBytes);
    // The dry run deleted nothing.
    expect(fs.existsSync(path.join(fixture.destination, old.fileName))).toBe(true);
    await engine.call('backups:prune');
    expect(fs.readdirSync(fixture.destination).sort()).toEqual(
      ['notes.txt', newer.fileName, `${newer.id}.manifest.json`].sort(),
    );
    expect((await engine.call('backups:list')).backups.map((item) => item.id)).toEqual([newer.id]);
    await engine.close();
  });

  it('deletes a backup by its file name but leaves a link in its place alone', async () => {
    const fixture = await backupFixture();
    const record = await backUp(fixture);
    const archive = path.join(record.destination, record.fileName);
    const elsewhere = path.join(fixture.base, 'precious.tar.gz');
    fs.renameSync(archive, elsewhere);
    fs.symlinkSync(elsewhere, archive);
    await fixture.engine.call('backups:delete', { id: record.fileName });
    expect(fs.existsSync(elsewhere)).toBe(true);
    expect(fs.lstatSync(archive).isSymbolicLink()).toBe(true);
    expect(fs.existsSync(path.join(record.destination, `${record.id}.manifest.json`))).toBe(false);
    expect(await fixture.engine.dispatch('backups:delete', { id: record.id })).toMatchObject({
      ok: false,
      error: { code: 'BACKUP_NOT_FOUND' },
    });
    await fixture.engine.close();
  });

  it('describes the destination: free space and the same-disk warning', async () => {
    const fixture = await backupFixture();
    const before = await fixture.engine.call('backups:destination');
    // Not made yet: the first backup makes it; its disk is its parent's.
    expect(before).toMatchObject({ path: fixture.destination, exists: false, problem: null });
    expect(before.sameDiskAsRoot).toBe(true);
    expect(before.freeBytes).toBeGreaterThan(0);
    await backUp(fixture, 'full');
    const after = await fixture.engine.call('backups:destination');
    expect(after).toMatchObject({ exists: true, sameDiskAsRoot: true, problem: null });
    expect(after.estimatedNextBytes).toBeGreaterThan(0);
    // Settings refuses a folder inside the data folder now; a hand-edited file still holds one.
    const settings = await fixture.engine.call('settings:get');
    await writeSettings(fixture.engine.requireSession().state.settings, {
      ...settings,
      backup: { ...settings.backup, destination: path.join(fixture.root, 'local_data') },
    });
    expect((await fixture.engine.call('backups:destination')).problem).toMatch(
      /inside the data folder/,
    );
    await fixture.engine.close();
  });

  it('schedules daily, weekly and monthly backups and a sampled verify, only with a destination', async () => {
    const fixture = await backupFixture();
    const { engine } = fixture;
    const session = engine.requireSession();
    const settings = await engine.call('settings:get');
    const entries = backupSchedules(session, engine, settings);
    expect(entries.map((entry) => [entry.id, entry.cron])).toEqual([
      ['backup:daily-critical', '0 3 * * *'],
      ['backup:weekly-full', '0 4 * * 0'],
      ['backup:monthly-full', '0 5 1 * *'],
      ['backup:verify-sample', '0 6 * * 3'],
    ]);
    expect(
      backupSchedules(session, engine, {
        ...settings,
        backup: { ...settings.backup, destination: null },
      }),
    ).toEqual([]);
    const jobId = await entries[0]!.run();
    const ended = await session.jobs.wait(jobId!);
    expect(ended.state).toBe('succeeded');
    const verify = await session.jobs.wait((await entries[3]!.run())!);
    expect(verify.state).toBe('succeeded');
    expect((await engine.call('backups:list')).backups[0]?.verifyState).toBe('verified');
    await engine.close();
  });

  it('runs a backup missed while the machine was off once, at the next start', async () => {
    const fixture = await backupFixture();
    const { engine } = fixture;
    const session = engine.requireSession();
    const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000).toISOString();
    const insert = session.catalog.prepare(
      `INSERT INTO schedule_runs (schedule_id, last_run_at) VALUES (?, ?)
       ON CONFLICT(schedule_id) DO UPDATE SET last_run_at = excluded.last_run_at`,
    );
    for (const id of ['backup:daily-critical', 'backup:weekly-full', 'backup:monthly-full']) {
      insert.run(id, id === 'backup:daily-critical' ? twoDaysAgo : new Date().toISOString());
    }
    insert.run('backup:verify-sample', new Date().toISOString());
    const scheduler = new Scheduler(session.catalog, (id, error) => {
      throw new Error(`${id}: ${String(error)}`);
    });
    const settings = await engine.call('settings:get');
    const caughtUp = await scheduler.configure(backupSchedules(session, engine, settings));
    scheduler.stop();
    // Two daily runs were missed; one backup is owed.
    expect(caughtUp).toEqual(['backup:daily-critical']);
    const jobs = session.jobs.list(10, 'backup');
    expect(jobs).toHaveLength(1);
    expect(jobs[0]?.title).toBe('Scheduled backup (critical)');
    expect((await session.jobs.wait(jobs[0]!.id)).state).toBe('succeeded');
    await engine.close();
  });

  it('samples the newest archive and some others for the scheduled verify', () => {
    const records = ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id, state: 'completed' }));
    const failed = { id: 'x', state: 'failed' };
    const sample = verifySample([failed, ...records], 2, () => 0);
    expect(sample.map((item) => item.id)).toEqual(['a', 'b', 'c']);
    expect(verifySample([failed], 2)).toEqual([]);
  });
});

describe('backup naming', () => {
  it('names by UTC time and kind, with a counter when the second is taken', () => {
    const at = new Date(Date.UTC(2026, 0, 2, 3, 4, 5));
    expect(backupId('full', at, () => false)).toBe('tend-20260102-030405-full');
    const taken = new Set(['tend-20260102-030405-full', 'tend-20260102-030405-full-2']);
    expect(backupId('full', at, (id) => taken.has(id))).toBe('tend-20260102-030405-full-3');
    expect(isBackupId('tend-20260102-030405-pre-restore')).toBe(true);
    expect(isBackupId('tend-20260102-030405-full-3')).toBe(true);
    expect(isBackupId('../tend-20260102-030405-full')).toBe(false);
    expect(isBackupId('notes')).toBe(false);
  });

  it("writes package.json's version into manifests", () => {
    const pkg = JSON.parse(
      fs.readFileSync(path.resolve(__dirname, '../../../../package.json'), 'utf8'),
    );
    expect(TEND_VERSION).toBe(pkg.version);
  });
});

describe('GzipMemberWriter', () => {
  it('writes members at their own levels that gunzip reads back as one stream, in order', async () => {
    const written: Buffer[] = [];
    const writer = new GzipMemberWriter(async (chunk) => void written.push(chunk), {
      memberBytes: 700 * 1024,
      parallel: 3,
    });
    const pieces: Buffer[] = [];
    for (let i = 0; i < 20; i += 1) {
      const piece = Buffer.from(`piece ${i} `.repeat(40_000 + i * 997));
      pieces.push(piece);
      await writer.write(piece, i % 3 === 0 ? 0 : i % 3 === 1 ? 1 : 6);
    }
    await writer.end();
    expect(written.length).toBeGreaterThan(3);
    expect(gunzipSync(Buffer.concat(written)).equals(Buffer.concat(pieces))).toBe(true);
    // Stored members are as large as their input; the others shrink.
    expect(writer.bytesByLevel.get(0)).toBeGreaterThan(0);
    expect(writer.bytesByLevel.get(6)).toBeGreaterThan(0);
  });
});
