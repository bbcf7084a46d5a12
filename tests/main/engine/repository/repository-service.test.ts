import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../../../src-main/engine/engine';
import {
  RepositoryService,
  repositoryServiceFor,
} from '../../../../src-main/engine/repository/repository-service';
import { keyringAccount, type Keyring } from '../../../../src-main/engine/repository/os-keyring';
import { MemorySecrets } from '../../../../src-main/engine/repository/repository-secrets';
import { tempDir, writeFile } from '../../../support/temp-dir';
import { stateOfRoot } from '../../../support/root-state';
import { MemoryKeyring } from './memory-keyring';
import { SFTP_SERVER, startPasswordSshd } from './password-sshd';
import { FAST_KDF, hasRestic, restic } from './repository-fixtures';

/** An engine on a new root with a few files of each category, and a folder for the repository. */
async function engineWithRoot(
  options: { schedules?: boolean; secrets?: MemorySecrets; keyring?: Keyring } = {},
) {
  const base = tempDir();
  const root = path.join(base, 'root');
  const folder = path.join(base, 'usb', 'tend-repo');
  fs.mkdirSync(path.dirname(folder));
  const appStateDir = path.join(base, 'state');
  const engine = await Engine.start({
    appStateDir,
    root: null,
    ...(options.secrets ? { secrets: options.secrets } : {}),
  });
  await engine.call('root:create', { path: root });
  writeFile(path.join(root, 'config/settings.yaml'), 'model: mini\n');
  writeFile(path.join(root, 'local_data/internal_assistant/documents/notes/a.txt'), 'a note\n');
  writeFile(path.join(root, 'local_data/cache/tokenizer.bin'), 'disposable');
  // Small scrypt parameters: the service is made once per session, before any channel call.
  // No OS keyring of the machine running the tests is ever touched: a memory one, or none.
  repositoryServiceFor(engine.requireSession(), engine, {
    kdf: FAST_KDF,
    osKeyring: async () => options.keyring ?? null,
  });
  return { base, root, folder, engine, appStateDir };
}

describe('repository service (channels)', () => {
  it('sets a folder, tests it step by step, creates a repository with a generated passphrase and its recovery sheet', async () => {
    const { engine, folder, root, appStateDir } = await engineWithRoot();
    const status = await engine.call('repository:set', {
      destination: { kind: 'local', folder },
    });
    expect(status).toMatchObject({
      location: folder,
      passphraseKnown: false,
      passphraseKept: 'none',
    });

    const test = await engine.call('repository:test', { destination: { kind: 'local', folder } });
    expect(test.steps.map((step) => [step.step, step.status])).toEqual([
      ['reach', 'passed'],
      ['write', 'passed'],
      ['read-back', 'passed'],
      ['delete', 'passed'],
      ['free-space', 'passed'],
    ]);
    expect(test.ok).toBe(true);
    expect(test.repositoryPresent).toBe(false);

    const created = await engine.call('repository:init', {});
    expect(created.generatedPassphrase).toMatch(/^([a-z2-9]{4}-){7}[a-z2-9]{4}$/);
    expect(created.recoverySheet).toContain(created.generatedPassphrase!);
    expect(created.recoverySheet).toContain('A lost passphrase is lost backups');
    expect(created.recoverySheet).toContain(`restic -r ${folder} restore latest`);
    expect(fs.existsSync(path.join(folder, 'config'))).toBe(true);

    expect(await engine.call('repository:status', {})).toMatchObject({
      passphraseKnown: true,
      passphraseKept: 'memory',
    });
    // The secret never reaches settings or anything else in Tend's state folder.
    const stateFiles = fs.readdirSync(appStateDir, { recursive: true, encoding: 'utf8' });
    for (const file of stateFiles) {
      const full = path.join(appStateDir, file);
      if (!fs.statSync(full).isFile()) continue;
      expect(fs.readFileSync(full).includes(created.generatedPassphrase!)).toBe(false);
    }
    const settings = fs.readFileSync(stateOfRoot(appStateDir, root).settings, 'utf8');
    expect(JSON.parse(settings).backup.repository).toEqual({ kind: 'local', folder });
    await engine.close();
  });

  it('marks each snapshot with what the retention does to it, checks the repository, and thins it out', async () => {
    const { engine, folder } = await engineWithRoot();
    await engine.call('repository:set', { destination: { kind: 'local', folder } });
    await engine.call('repository:init', { passphrase: 'thin me out' });
    const jobs = engine.requireSession().jobs;
    for (let i = 0; i < 2; i++) {
      const job = await engine.call('repository:backup', { kind: 'critical' });
      expect((await jobs.wait(job.id)).state).toBe('succeeded');
    }
    // Two critical snapshots of one day: the newer fills every slot, the older goes.
    const { snapshots } = await engine.call('repository:snapshots', {});
    expect(snapshots.map((snapshot) => snapshot.retention.action)).toEqual(['keep', 'forget']);
    expect(snapshots[1]!.retention.reason).toContain('outside the daily, weekly and monthly slots');

    // Before any full check, the Health panel has no verified backup; after one, the newest
    // snapshot is the last verified backup.
    expect((await engine.call('health:figures')).verification).toMatchObject({
      last: null,
      newerUnverified: 2,
    });
    for (const mode of ['quick', 'full'] as const) {
      const check = await jobs.wait((await engine.call('repository:verify', { mode })).id);
      expect(check.state).toBe('succeeded');
      expect(check.result).toMatchObject({ mode, ok: true, snapshots: 2 });
      if (mode === 'quick') {
        // A quick check reads no blob: it verifies nothing whole.
        expect((await engine.call('health:figures')).verification.last).toBeNull();
      } else {
        expect((await engine.call('health:figures')).verification).toMatchObject({
          last: { id: snapshots[0]!.id, kind: 'critical', verifiedAt: check.finishedAt },
          newerUnverified: 0,
        });
      }
    }

    const thinned = await jobs.wait((await engine.call('repository:forget', {})).id);
    expect(thinned.state).toBe('succeeded');
    expect(thinned.result).toMatchObject({ removed: [snapshots[1]!.id], kept: [snapshots[0]!.id] });
    const after = (await engine.call('repository:snapshots', {})).snapshots;
    expect(after.map((snapshot) => [snapshot.id, snapshot.retention.action])).toEqual([
      [snapshots[0]!.id, 'keep'],
    ]);
    if (hasRestic) {
      expect(restic(folder, ['check', '--read-data'], { password: 'thin me out' }).status).toBe(0);
    }
    await engine.close();
  });

  it('opens the repository with the passphrase in TEND_PASSWORD_FILE, as a scheduled run without a keychain does', async () => {
    const { engine, folder, base } = await engineWithRoot();
    await engine.call('repository:set', { destination: { kind: 'local', folder } });
    await engine.call('repository:init', { passphrase: 'from a file' });
    await engine.call('repository:lock', {});
    const session = engine.requireSession();
    const file = path.join(base, 'passphrase');
    const service = (env: NodeJS.ProcessEnv) =>
      new RepositoryService(session, engine, { env, kdf: FAST_KDF });
    // No file: the status says no passphrase, a backup fails saying how to give one.
    expect((await service({}).status()).passphraseKnown).toBe(false);
    const missing = service({ TEND_PASSWORD_FILE: file });
    expect((await missing.status()).passphraseKept).toBe('environment');
    await expect(missing.snapshots()).rejects.toMatchObject({
      code: 'REPOSITORY_PASSWORD_MISSING',
      message: expect.stringContaining(`${file} (TEND_PASSWORD_FILE) cannot be read (ENOENT)`),
    });
    fs.writeFileSync(file, 'from a file\nignored second line\n', { mode: 0o600 });
    expect(await service({ TEND_PASSWORD_FILE: file }).snapshots()).toEqual([]);
    await engine.close();
  });

  it('refuses a repository folder inside the data folder', async () => {
    const { engine, root } = await engineWithRoot();
    await expect(
      engine.call('repository:set', {
        destination: { kind: 'local', folder: path.join(root, 'backups') },
      }),
    ).rejects.toMatchObject({ code: 'SETTINGS_INVALID' });
    await engine.close();
  });

  it('backs up the critical categories into a snapshot, lists it, and restores it byte for byte', async () => {
    const { engine, folder, root, base } = await engineWithRoot();
    await engine.call('repository:set', { destination: { kind: 'local', folder } });
    await engine.call('repository:init', { passphrase: 'a passphrase of mine' });
    const job = await engine.call('repository:backup', { kind: 'critical' });
    const done = await engine.requireSession().jobs.wait(job.id);
    expect(done.error).toBeNull();
    expect(done.state).toBe('succeeded');

    const { snapshots } = await engine.call('repository:snapshots', {});
    expect(snapshots).toHaveLength(1);
    expect(snapshots[0]).toMatchObject({ kind: 'critical' });

    const target = path.join(base, 'restored');
    await repositoryServiceFor(engine.requireSession(), engine).restoreInto('latest', target);
    expect(
      fs.readFileSync(
        path.join(target, 'local_data/internal_assistant/documents/notes/a.txt'),
        'utf8',
      ),
    ).toBe('a note\n');
    expect(fs.readFileSync(path.join(target, 'config/settings.yaml'), 'utf8')).toBe(
      'model: mini\n',
    );
    // Disposable files are never in a backup.
    expect(fs.existsSync(path.join(target, 'local_data/cache/tokenizer.bin'))).toBe(false);
    // Nothing of Tend's was written into the data folder (the SQLite staging is in Tend's state).
    expect(fs.readdirSync(root).sort()).toEqual(['config', 'local_data']);
    if (hasRestic) {
      const checked = restic(folder, ['check', '--read-data'], {
        password: 'a passphrase of mine',
      });
      expect(checked.status).toBe(0);
    }
    await engine.close();
  });

  it('needs the passphrase in a new session, refuses a wrong one, and keeps a right one', async () => {
    const secrets = new MemorySecrets();
    const { engine, folder, root, appStateDir } = await engineWithRoot({ secrets });
    await engine.call('repository:set', { destination: { kind: 'local', folder } });
    await engine.call('repository:init', { passphrase: 'first one' });
    await engine.close();

    // A web host started again keeps nothing: it asks.
    const again = await Engine.start({ appStateDir, root });
    repositoryServiceFor(again.requireSession(), again, { kdf: FAST_KDF });
    await expect(again.call('repository:snapshots', {})).rejects.toMatchObject({
      code: 'REPOSITORY_PASSWORD_MISSING',
    });
    await expect(again.call('repository:unlock', { passphrase: 'wrong' })).rejects.toMatchObject({
      code: 'REPOSITORY_WRONG_PASSPHRASE',
    });
    expect(await again.call('repository:status', {})).toMatchObject({ passphraseKnown: false });
    expect(await again.call('repository:unlock', { passphrase: 'first one' })).toMatchObject({
      passphraseKnown: true,
      passphraseKept: 'memory',
    });
    expect((await again.call('repository:snapshots', {})).snapshots).toEqual([]);
    expect(await again.call('repository:lock', {})).toMatchObject({ passphraseKnown: false });
    await again.close();
  });

  it('adds a second key that opens the repository, lists both, and removes it again', async () => {
    const { engine, folder } = await engineWithRoot();
    await engine.call('repository:set', { destination: { kind: 'local', folder } });
    await engine.call('repository:init', { passphrase: 'first one' });
    const added = await engine.call('repository:key-add', {});
    expect(added.generatedPassphrase).not.toBeNull();
    // The generated passphrase comes once, with its recovery sheet.
    expect(added.recoverySheet).toContain(`Passphrase:     ${added.generatedPassphrase}`);
    expect(added.recoverySheet).toContain(`restic -r ${folder} restore latest`);
    const typed = await engine.call('repository:key-add', { passphrase: 'typed by a person' });
    expect(typed.generatedPassphrase).toBeNull();
    expect(typed.recoverySheet).not.toContain('typed by a person');
    await engine.call('repository:key-remove', { id: typed.id });
    const { keys } = await engine.call('repository:keys', {});
    expect(keys).toHaveLength(2);
    expect(keys.filter((key) => key.current)).toHaveLength(1);

    await engine.call('repository:lock', {});
    await engine.call('repository:unlock', { passphrase: added.generatedPassphrase! });
    await expect(engine.call('repository:key-remove', { id: added.id })).rejects.toMatchObject({
      code: expect.any(String),
    });
    await engine.call('repository:lock', {});
    await engine.call('repository:unlock', { passphrase: 'first one' });
    const after = await engine.call('repository:key-remove', { id: added.id.slice(0, 8) });
    expect(after.keys.map((key) => key.id)).not.toContain(added.id);
    await engine.close();
  });

  it('a key removed in Settings takes its passphrase out of the OS keyring, where only it opened that key', async () => {
    const keyring = new MemoryKeyring();
    const { engine, folder } = await engineWithRoot({ keyring });
    await engine.call('repository:set', { destination: { kind: 'local', folder } });
    const created = await engine.call('repository:init', { passphrase: 'first one' });
    const account = keyringAccount(created.repositoryId);
    // `tend repo key remember` kept the passphrase of a second key.
    const second = await engine.call('repository:key-add', { passphrase: 'the second one' });
    keyring.entries.set(account, 'the second one');
    const third = await engine.call('repository:key-add', { passphrase: 'the third one' });

    // Another key removed: the remembered passphrase still opens its own, and stays.
    expect(await engine.call('repository:key-remove', { id: third.id })).toMatchObject({
      keyringForgotten: false,
    });
    expect(keyring.entries.get(account)).toBe('the second one');

    // Its key removed: it would open nothing now, so it goes too.
    const removed = await engine.call('repository:key-remove', { id: second.id });
    expect(removed.keyringForgotten).toBe(true);
    expect(removed.keys.map((key) => key.id)).not.toContain(second.id);
    expect(keyring.entries.has(account)).toBe(false);
    await engine.close();
  });

  it('reports a test of a place that cannot be reached, step by step, without throwing', async () => {
    const { engine } = await engineWithRoot();
    const test = await engine.call('repository:test', {
      destination: {
        kind: 'sftp',
        host: '127.0.0.1',
        port: 1,
        username: 'nobody',
        path: '/srv/tend',
        identityFile: null,
      },
    });
    expect(test.ok).toBe(false);
    expect(test.steps[0]).toMatchObject({ step: 'reach', status: 'failed' });
    expect(test.steps.slice(1).every((step) => step.status === 'skipped')).toBe(true);
    await engine.close();
  });

  it.skipIf(!fs.existsSync(SFTP_SERVER))(
    'logs in to an SFTP server by password: tested with it, kept as a secret when set, never in settings',
    async () => {
      const server = await startPasswordSshd();
      try {
        const { engine, root, appStateDir, base } = await engineWithRoot();
        const destination = {
          kind: 'sftp' as const,
          host: '127.0.0.1',
          port: server.port,
          username: server.username,
          path: path.join(base, 'sftp-repo'),
          identityFile: null,
        };
        const steps = (test: { steps: ReadonlyArray<{ status: string }> }) =>
          test.steps.map((step) => step.status);
        const tested = await engine.call('repository:test', {
          destination,
          sftpPassword: server.password,
        });
        expect(steps(tested)).toEqual(['passed', 'passed', 'passed', 'passed', 'passed']);

        const set = await engine.call('repository:set', {
          destination,
          sftpPassword: server.password,
        });
        // Settings says it is kept.
        expect(set.sftpPasswordKept).toBe(true);
        // Tested again without it: the kept one logs in.
        expect(steps(await engine.call('repository:test', { destination }))).toEqual([
          'passed',
          'passed',
          'passed',
          'passed',
          'passed',
        ]);
        const wrong = await engine.call('repository:test', {
          destination,
          sftpPassword: 'not the password',
        });
        expect(wrong.steps[0]).toMatchObject({
          status: 'failed',
          code: 'DESTINATION_LOGIN_REFUSED',
        });
        const settings = fs.readFileSync(stateOfRoot(appStateDir, root).settings, 'utf8');
        expect(settings).not.toContain(server.password);

        // Forgotten: Settings says so, the destination stays, and no password logs in now.
        const forgotten = await engine.call('repository:forget-sftp-password', {});
        expect(forgotten).toMatchObject({ destination, sftpPasswordKept: false });
        const without = await engine.call('repository:test', { destination });
        expect(without.steps[0]?.status).toBe('failed');
        await engine.close();
      } finally {
        await server.stop();
      }
    },
  );

  it.skipIf(Boolean(process.env.AWS_ACCESS_KEY_ID))(
    'an S3 place tested without keys says to type them in Settings, not only in the environment',
    async () => {
      const { engine } = await engineWithRoot();
      const test = await engine.call('repository:test', {
        destination: { kind: 's3', endpoint: 'http://127.0.0.1:9', bucket: 'b', prefix: 'tend' },
      });
      expect(test.steps[0]).toMatchObject({
        step: 'reach',
        status: 'failed',
        code: 'INVALID_INPUT',
      });
      expect(test.steps[0]!.detail).toContain('Settings › Encrypted backups');
      await engine.close();
    },
  );

  it('keeps S3 keys as secrets, never in settings', async () => {
    const { engine, root, appStateDir } = await engineWithRoot();
    const status = await engine.call('repository:set', {
      destination: { kind: 's3', endpoint: 'http://127.0.0.1:9', bucket: 'b', prefix: 'tend' },
      s3Keys: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI-secret' },
    });
    expect(status).toMatchObject({ location: 's3:http://127.0.0.1:9/b/tend', s3KeysKnown: true });
    const settings = fs.readFileSync(stateOfRoot(appStateDir, root).settings, 'utf8');
    expect(settings).not.toContain('wJalrXUtnFEMI-secret');
    expect(settings).not.toContain('AKIDEXAMPLE');
    await engine.close();
  });
});

describe('repository schedules', () => {
  it('a due daily backup writes a snapshot into the repository, then thins out by retention', async () => {
    const { engine, folder, root, appStateDir } = await engineWithRoot();
    await engine.call('repository:set', { destination: { kind: 'local', folder } });
    await engine.call('repository:init', { passphrase: 'scheduled' });
    // An archive folder too: the repository still takes the scheduled backups.
    const archives = path.join(path.dirname(folder), 'archives');
    fs.mkdirSync(archives);
    await engine.call('settings:set', { settings: { backup: { destination: archives } } });
    await engine.close();

    const Database = (await import('better-sqlite3')).default;
    const catalog = new Database(stateOfRoot(appStateDir, root).catalog);
    catalog
      .prepare(
        `INSERT INTO schedule_runs (schedule_id, last_run_at) VALUES ('backup:daily-critical', ?)
         ON CONFLICT(schedule_id) DO UPDATE SET last_run_at = excluded.last_run_at`,
      )
      .run(new Date(Date.now() - 3 * 24 * 3600 * 1000).toISOString());
    catalog.close();

    const secrets = new MemorySecrets();
    const { passphraseSecret } =
      await import('../../../../src-main/engine/repository/repository-secrets');
    await secrets.set(passphraseSecret(folder), 'scheduled');
    const scheduled = await Engine.start({ appStateDir, root, schedules: true, secrets });
    const session = scheduled.requireSession();
    const backups = session.jobs.list(10, 'backup');
    expect(backups).toHaveLength(1);
    expect(backups[0]!.title).toContain('encrypted');
    expect((await session.jobs.wait(backups[0]!.id)).state).toBe('succeeded');
    // Retention follows a successful scheduled backup.
    let prune = session.jobs.list(10, 'prune');
    for (let tries = 0; prune.length === 0 && tries < 200; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      prune = session.jobs.list(10, 'prune');
    }
    expect(prune).toHaveLength(1);
    expect((await session.jobs.wait(prune[0]!.id)).state).toBe('succeeded');

    const { snapshots } = await scheduled.call('repository:snapshots', {});
    expect(snapshots.map((snapshot) => snapshot.kind)).toEqual(['critical']);
    expect(fs.readdirSync(archives)).toEqual([]);
    await scheduled.close();
  });
});

describe('restore from a repository snapshot', () => {
  it('plans, applies (with a safety snapshot) and undoes a restore of one file from a snapshot', async () => {
    const { engine, folder, root } = await engineWithRoot();
    await engine.call('repository:set', { destination: { kind: 'local', folder } });
    await engine.call('repository:init', { passphrase: 'restore me' });
    const backup = await engine.call('repository:backup', { kind: 'critical' });
    expect((await engine.requireSession().jobs.wait(backup.id)).state).toBe('succeeded');
    const [snapshot] = (await engine.call('repository:snapshots', {})).snapshots;

    const note = path.join(root, 'local_data/internal_assistant/documents/notes/a.txt');
    fs.writeFileSync(note, 'changed since\n');
    const scope = {
      kind: 'paths' as const,
      paths: ['local_data/internal_assistant/documents/notes/a.txt'],
    };
    const ref = `snapshot:${snapshot!.shortId}`;
    const plan = await engine.call('restore:plan', { backup: ref, scope });
    expect(plan.refusals).toEqual([]);
    expect(plan.changes).toEqual([
      expect.objectContaining({
        path: 'local_data/internal_assistant/documents/notes/a.txt',
        action: 'replace',
      }),
    ]);
    const job = await engine.call('restore:apply', { backup: ref, scope });
    const done = await engine.requireSession().jobs.wait(job.id);
    expect(done.error).toBeNull();
    expect(done.state).toBe('succeeded');
    expect(fs.readFileSync(note, 'utf8')).toBe('a note\n');

    const { last } = await engine.call('restore:last', {});
    expect(last?.touched).toEqual(['local_data/internal_assistant/documents/notes/a.txt']);
    expect(last?.undoneAt).toBeNull();
    const undo = await engine.call('restore:undo', {});
    expect((await engine.requireSession().jobs.wait(undo.id)).state).toBe('succeeded');
    expect(fs.readFileSync(note, 'utf8')).toBe('changed since\n');
    // Nothing of the restore's was left in the data folder.
    expect(fs.readdirSync(root).sort()).toEqual(['config', 'local_data']);
    await engine.close();
  });

  it('restore latest takes the newest snapshot when it is newer than every archive', async () => {
    const { engine, folder, root } = await engineWithRoot();
    await engine.call('repository:set', { destination: { kind: 'local', folder } });
    await engine.call('repository:init', { passphrase: 'latest' });
    const backup = await engine.call('repository:backup', { kind: 'critical' });
    expect((await engine.requireSession().jobs.wait(backup.id)).state).toBe('succeeded');
    const note = path.join(root, 'local_data/internal_assistant/documents/notes/a.txt');
    fs.rmSync(note);

    const { plan, reason } = await engine.call('restore:latest', {});
    expect(reason).toBeNull();
    expect(plan!.backup.archivePath).toContain('repository-restore');
    expect(plan!.changes).toContainEqual(
      expect.objectContaining({
        path: 'local_data/internal_assistant/documents/notes/a.txt',
        action: 'add',
      }),
    );
    // As the one-click dialog does: apply the plan's archive, through the path gate.
    const applied = await engine.dispatch('restore:apply', {
      backup: plan!.backup.archivePath,
      scope: { kind: 'everything' },
    });
    expect(applied.ok).toBe(true);
    const job = (applied as { ok: true; value: { id: string } }).value;
    expect((await engine.requireSession().jobs.wait(job.id)).state).toBe('succeeded');
    expect(fs.readFileSync(note, 'utf8')).toBe('a note\n');
    await engine.close();
  });

  it('restore latest says a repository it cannot read now, never passing over it in silence', async () => {
    const { engine, folder, base } = await engineWithRoot();
    await engine.call('repository:set', { destination: { kind: 'local', folder } });
    await engine.call('repository:init', { passphrase: 'locked later' });
    const jobs = engine.requireSession().jobs;
    expect(
      (await jobs.wait((await engine.call('repository:backup', { kind: 'critical' })).id)).state,
    ).toBe('succeeded');
    await engine.call('repository:lock', {});
    // No archive, and the repository locked: no plan, and the reason says what to do.
    const none = await engine.call('restore:latest', {});
    expect(none.plan).toBeNull();
    expect(none.reason).toMatch(
      /^No archive to restore here\. The encrypted repository at .* cannot be read now \(Tend does not know its passphrase now\), and it may hold a newer backup: unlock it in Settings/,
    );
    // An older archive: planned, with the same warning first.
    const archives = path.join(base, 'archives');
    const settings = await engine.call('settings:get');
    settings.backup.destination = archives;
    await engine.call('settings:set', { settings });
    expect(
      (await jobs.wait((await engine.call('backups:create', { kind: 'critical' })).id)).state,
    ).toBe('succeeded');
    const older = await engine.call('restore:latest', {});
    expect(older.plan!.backup.archivePath).toContain(archives);
    expect(older.plan!.warnings[0]).toContain('cannot be read now');
    // Unlocked, the repository's newest snapshot is taken if it is the newest backup.
    await engine.call('repository:unlock', { passphrase: 'locked later' });
    const unlocked = await engine.call('restore:latest', {});
    expect(unlocked.plan!.warnings.join(' ')).not.toContain('cannot be read now');
    await engine.close();
  });

  it('plans the whole snapshot and a part of it at once (as the wizard does), both whole', async () => {
    const { engine, folder } = await engineWithRoot();
    await engine.call('repository:set', { destination: { kind: 'local', folder } });
    await engine.call('repository:init', { passphrase: 'twice' });
    const backup = await engine.call('repository:backup', { kind: 'critical' });
    expect((await engine.requireSession().jobs.wait(backup.id)).state).toBe('succeeded');
    const ref = `snapshot:${(await engine.call('repository:snapshots', {})).snapshots[0]!.id}`;
    const [whole, part] = await Promise.all([
      engine.call('restore:plan', { backup: ref, scope: { kind: 'everything' } }),
      engine.call('restore:plan', {
        backup: ref,
        scope: { kind: 'paths', paths: ['config/settings.yaml'] },
      }),
    ]);
    expect(whole.backup.archivePath).toBe(part.backup.archivePath);
    expect(part.changes.map((change) => change.path)).toEqual(['config/settings.yaml']);
    await engine.close();
  });

  it('says so when the snapshot is not there', async () => {
    const { engine, folder } = await engineWithRoot();
    await engine.call('repository:set', { destination: { kind: 'local', folder } });
    await engine.call('repository:init', { passphrase: 'x' });
    await expect(
      engine.call('restore:plan', { backup: 'snapshot:deadbeef', scope: { kind: 'everything' } }),
    ).rejects.toMatchObject({ code: 'BACKUP_NOT_FOUND' });
    await engine.close();
  });
});
