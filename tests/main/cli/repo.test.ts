import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../support/temp-dir';
import { tend } from '../../support/run-tend';
import { exitCodeFor } from '../../../src-main/cli/exit-codes';
import {
  digestTree,
  hasRestic,
  restic,
  tableRows,
  writeSampleTree,
} from '../engine/repository/repository-fixtures';
import { hasSshd, startSshd, type TestSshd } from '../engine/repository/test-sshd';
import { startS3rver, type S3Target } from '../engine/repository/test-s3';

const PASSPHRASE = 'a passphrase for the CLI tests';
const DB = 'local_data/internal_assistant/assistant.db';
/** The database is read through SQLite's backup API: compared by rows, not bytes. */
const notDb = (rel: string) => rel === '.tend' || rel === DB;

interface Setup {
  base: string;
  root: string;
  passwordFile: string;
}

/** A data folder (Tend's sample tree) and a passphrase file. */
async function setup(): Promise<Setup> {
  const base = tempDir();
  const root = path.join(base, 'root');
  expect((await tend(['init', root], base)).code).toBe(0);
  writeSampleTree(root);
  // The sample tree puts a stand-in at .tend/catalog.db; Tend makes its real catalog there.
  fs.rmSync(path.join(root, '.tend/catalog.db'));
  fs.writeFileSync(path.join(root, '.tend/not-backed-up.txt'), 'Tend state');
  const passwordFile = path.join(base, 'passphrase');
  fs.writeFileSync(passwordFile, `${PASSPHRASE}\n`);
  return { base, root, passwordFile };
}

const savedEnv = { ...process.env };
afterEach(() => {
  for (const name of [
    'TEND_PASSWORD',
    'TEND_NEW_PASSWORD',
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'SSH_AUTH_SOCK',
  ]) {
    if (savedEnv[name] === undefined) delete process.env[name];
    else process.env[name] = savedEnv[name];
  }
});

describe('repository error codes', () => {
  it.each([
    ['REPOSITORY_WRONG_PASSPHRASE', 2],
    ['REPOSITORY_PASSWORD_MISSING', 2],
    ['KEYRING_UNAVAILABLE', 2],
    ['REPOSITORY_NOT_FOUND', 6],
    ['REPOSITORY_EXISTS', 6],
    ['DESTINATION_LOGIN_REFUSED', 6],
    ['DESTINATION_HOST_KEY_CHANGED', 6],
  ] as const)('%s exits %i', (code, expected) => expect(exitCodeFor(code)).toBe(expected));
});

describe('tend repo on a folder', () => {
  let s: Setup;
  let repo: string;
  let access: string[];
  beforeEach(async () => {
    s = await setup();
    repo = path.join(s.base, 'repo');
    access = ['--to', repo, '--password-file', s.passwordFile];
  });

  it('init: generates a passphrase when none is given, shows it once with the warning', async () => {
    delete process.env.TEND_PASSWORD;
    const made = await tend(['repo', 'init', '--to', repo, '--json'], s.base);
    expect(made.code).toBe(0);
    const out = JSON.parse(made.stdout) as { passphrase: string; passphraseGenerated: boolean };
    expect(out.passphraseGenerated).toBe(true);
    expect(out.passphrase).toMatch(/^([a-z2-9]{4}-){7}[a-z2-9]{4}$/);
    expect(made.stderr).toContain('a lost passphrase is lost backups');
    // The generated passphrase opens it, from TEND_PASSWORD.
    process.env.TEND_PASSWORD = out.passphrase;
    expect((await tend(['repo', 'snapshots', '--to', repo], s.base)).stdout).toContain(
      'No snapshots yet.',
    );
    // A second init there: REPOSITORY_EXISTS, exit 6.
    const again = await tend(['repo', 'init', ...access], s.base);
    expect(again.code).toBe(6);
    expect(again.stderr).toContain('REPOSITORY_EXISTS');
  });

  it('backup: the snapshot id on stdout, progress and a summary on stderr; restic reads it', async () => {
    expect((await tend(['repo', 'init', ...access], s.base)).code).toBe(0);
    const first = await tend(['repo', 'backup', '--root', s.root, ...access], s.base);
    expect(first.code).toBe(0);
    const id = first.stdout.trim();
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(first.stderr).toMatch(/Backing up/);
    expect(first.stderr).toMatch(/Backed up \d+ files/);
    // Its database snapshots waited in Tend's state folder: nothing was written into the folder.
    expect(fs.existsSync(path.join(s.root, '.tend'))).toBe(false);
    const second = await tend(['repo', 'backup', '--root', s.root, ...access, '--json'], s.base);
    const result = JSON.parse(second.stdout) as {
      snapshotId: string;
      parent: string;
      files: { unchanged: number; new: number };
    };
    expect(result.parent).toBe(id);
    expect(result.files.new).toBe(0);

    if (!hasRestic) return; // the interop half needs Debian's restic
    const env = { password: PASSPHRASE };
    expect(restic(repo, ['check', '--read-data'], env).status).toBe(0);
    const listed = JSON.parse(restic(repo, ['snapshots', '--json'], env).stdout) as Array<{
      id: string;
    }>;
    expect(listed.map((snapshot) => snapshot.id).sort()).toEqual([id, result.snapshotId].sort());
    const out = path.join(s.base, 'restic-out');
    expect(restic(repo, ['restore', id, '--target', out], env).status).toBe(0);
    // The snapshot's tree holds the data folder's contents (as `restic backup .` would).
    const restored = out;
    expect(digestTree(restored, notDb)).toEqual(digestTree(s.root, notDb));
    expect(tableRows(path.join(restored, DB), 'notes')).toEqual(
      tableRows(path.join(s.root, DB), 'notes'),
    );
  });

  it('snapshots: newest first, as text and --json', async () => {
    await tend(['repo', 'init', ...access], s.base);
    const a = (await tend(['repo', 'backup', '--root', s.root, ...access], s.base)).stdout.trim();
    const b = (await tend(['repo', 'backup', '--root', s.root, ...access], s.base)).stdout.trim();
    const text = await tend(['repo', 'snapshots', ...access], s.base);
    expect(text.stdout.split('\n')[0]).toContain(b.slice(0, 8));
    const json = JSON.parse(
      (await tend(['repo', 'snapshots', ...access, '--json'], s.base)).stdout,
    );
    expect(json.map((snapshot: { id: string }) => snapshot.id)).toEqual([b, a]);
    expect(json[0]).toMatchObject({ kind: 'full', paths: [s.root] });
  });

  it('restore: a whole snapshot into a new folder, one file with --include, never over the data folder', async () => {
    await tend(['repo', 'init', ...access], s.base);
    await tend(['repo', 'backup', '--root', s.root, ...access], s.base);
    const out = path.join(s.base, 'out');
    const whole = await tend(
      ['repo', 'restore', 'latest', '--root', s.root, ...access, '--target', out],
      s.base,
    );
    expect(whole.code).toBe(0);
    expect(digestTree(out, notDb)).toEqual(digestTree(s.root, notDb));

    const one = path.join(s.base, 'one');
    const single = await tend(
      [
        'repo',
        'restore',
        'latest',
        ...access,
        '--target',
        one,
        '--include',
        'config/settings.json',
      ],
      s.base,
    );
    expect(single.code).toBe(0);
    expect(fs.readdirSync(one)).toEqual(['config']);
    expect(fs.readFileSync(path.join(one, 'config/settings.json'), 'utf8')).toBe(
      fs.readFileSync(path.join(s.root, 'config/settings.json'), 'utf8'),
    );

    for (const target of [s.root, path.join(s.root, 'restored'), s.base]) {
      const refused = await tend(
        ['repo', 'restore', 'latest', '--root', s.root, ...access, '--target', target],
        s.base,
      );
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('PATH_NOT_ALLOWED');
    }
    // Into a folder that is not empty: refused, nothing written.
    // A file where the folder should be: refused in words, the file left as it was.
    const file = path.join(s.base, 'not-a-folder.txt');
    fs.writeFileSync(file, 'keep me\n');
    const onFile = await tend(['repo', 'restore', 'latest', ...access, '--target', file], s.base);
    expect([onFile.code, onFile.stderr]).toEqual([
      2,
      expect.stringContaining(
        'is a file; restore into a new or empty folder. (RESTORE_TARGET_NOT_EMPTY)',
      ),
    ]);
    expect(fs.readFileSync(file, 'utf8')).toBe('keep me\n');
    const busy = await tend(['repo', 'restore', 'latest', ...access, '--target', out], s.base);
    expect([busy.code, busy.stderr]).toEqual([
      2,
      expect.stringContaining('RESTORE_TARGET_NOT_EMPTY'),
    ]);
    const missing = await tend(
      [
        'repo',
        'restore',
        'latest',
        ...access,
        '--target',
        path.join(s.base, 'x'),
        '--include',
        'nope.txt',
      ],
      s.base,
    );
    expect([missing.code, missing.stderr]).toEqual([
      2,
      expect.stringContaining('BACKUP_NOT_FOUND'),
    ]);
  });

  it('bad input: a wrong or missing passphrase, no repository there, a bad address', async () => {
    await tend(['repo', 'init', ...access], s.base);
    process.env.TEND_PASSWORD = 'not the passphrase';
    const wrong = await tend(['repo', 'snapshots', '--to', repo], s.base);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('REPOSITORY_WRONG_PASSPHRASE');
    delete process.env.TEND_PASSWORD;
    const none = await tend(['repo', 'snapshots', '--to', repo], s.base);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('REPOSITORY_PASSWORD_MISSING');
    expect(none.stderr).toContain('TEND_PASSWORD');
    const nowhere = path.join(s.base, 'nowhere');
    const notRepo = await tend(
      ['repo', 'snapshots', '--to', nowhere, '--password-file', s.passwordFile],
      s.base,
    );
    expect(notRepo.code).toBe(6);
    expect(notRepo.stderr).toContain('REPOSITORY_NOT_FOUND');
    expect(fs.existsSync(nowhere)).toBe(false);
    const bad = await tend(
      ['repo', 'snapshots', '--to', 'rest:http://x/', '--password-file', s.passwordFile],
      s.base,
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('INVALID_INPUT');
    const noTo = await tend(['repo', 'snapshots'], s.base);
    expect(noTo.code).toBe(2);
    expect(noTo.stderr).toContain('--to');
  });

  it('a file as --to: said to be a file, not a folder, exit 2 (not an unreachable drive)', async () => {
    const file = path.join(s.base, 'a-file');
    fs.writeFileSync(file, 'mine\n');
    for (const command of ['init', 'snapshots']) {
      const run = await tend(
        ['repo', command, '--to', file, '--password-file', s.passwordFile],
        s.base,
      );
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('INVALID_INPUT');
      expect(run.stderr).toContain(`${file} is a file, not a folder`);
      expect(run.stderr).not.toContain('Is the drive connected');
    }
    expect(fs.readFileSync(file, 'utf8')).toBe('mine\n');
  });

  it('check: quick and --read-data pass; a flipped bit is exit 7 naming the snapshot', async () => {
    await tend(['repo', 'init', ...access], s.base);
    const id = (await tend(['repo', 'backup', '--root', s.root, ...access], s.base)).stdout.trim();
    // One snapshot is "1 snapshot", not "1 snapshots".
    expect((await tend(['repo', 'check', ...access], s.base)).stdout).toMatch(
      /^OK: checked every pack of 1 snapshot in \d+ packs?\.$/m,
    );
    const full = await tend(['repo', 'check', ...access, '--read-data', '--json'], s.base);
    expect(JSON.parse(full.stdout)).toMatchObject({ mode: 'full', ok: true });
    const packs = path.join(repo, 'data');
    const pack = fs
      .readdirSync(packs)
      .flatMap((dir) => fs.readdirSync(path.join(packs, dir)).map((f) => path.join(packs, dir, f)))
      .sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)[0]!;
    const bytes = fs.readFileSync(pack);
    bytes[100]! ^= 0x04;
    fs.writeFileSync(pack, bytes);
    const damaged = await tend(['repo', 'check', ...access, '--read-data'], s.base);
    expect(damaged.code).toBe(7);
    expect(damaged.stdout).toContain(id.slice(0, 8));
    expect(damaged.stderr).toContain('BACKUP_CORRUPT');
  });

  it('forget: keeps the GFS slots, forgets the rest, prunes; --dry-run changes nothing', async () => {
    await tend(['repo', 'init', ...access], s.base);
    const a = (await tend(['repo', 'backup', '--root', s.root, ...access], s.base)).stdout.trim();
    fs.writeFileSync(path.join(s.root, 'config/new.txt'), 'new');
    const b = (await tend(['repo', 'backup', '--root', s.root, ...access], s.base)).stdout.trim();
    const dry = await tend(['repo', 'forget', ...access, '--dry-run'], s.base);
    expect(dry.stdout).toContain(`forget  ${a.slice(0, 8)}`);
    expect(dry.stdout).toContain('Would forget 1 of 2');
    expect(fs.readdirSync(path.join(repo, 'snapshots'))).toHaveLength(2);
    const done = await tend(['repo', 'forget', ...access, '--json'], s.base);
    expect(done.code).toBe(0);
    const result = JSON.parse(done.stdout) as { prune: unknown };
    expect(result.prune).not.toBeNull();
    expect(fs.readdirSync(path.join(repo, 'snapshots'))).toEqual([b]);
    expect((await tend(['repo', 'check', ...access, '--read-data'], s.base)).code).toBe(0);
    if (hasRestic) expect(restic(repo, ['check'], { password: PASSPHRASE }).status).toBe(0);
    expect((await tend(['repo', 'forget', ...access, '--daily', 'x'], s.base)).code).toBe(2);
  });

  it('forget with a data folder named: a job of it, so the catalog knows which snapshots are gone', async () => {
    await tend(['repo', 'init', ...access], s.base);
    const a = (await tend(['repo', 'backup', '--root', s.root, ...access], s.base)).stdout.trim();
    fs.writeFileSync(path.join(s.root, 'config/new.txt'), 'new');
    const b = (await tend(['repo', 'backup', '--root', s.root, ...access], s.base)).stdout.trim();
    const done = await tend(['repo', 'forget', '--root', s.root, ...access], s.base);
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toContain('Forgot 1 of 2 snapshots');
    expect(fs.readdirSync(path.join(repo, 'snapshots'))).toEqual([b]);
    // The Health panel leaves out the snapshots a thinning out job removed (repository-verified.ts).
    const jobs = JSON.parse(
      (await tend(['jobs', 'list', '--root', s.root, '--json'], s.base)).stdout,
    ) as Array<{ kind: string; state: string; result: { removed?: string[]; kept?: string[] } }>;
    const thinned = jobs.find((job) => job.kind === 'prune');
    expect(thinned).toMatchObject({ state: 'succeeded', result: { removed: [a], kept: [b] } });
  });

  it('key add, list and remove: another passphrase opens it; the key in use stays', async () => {
    await tend(['repo', 'init', ...access], s.base);
    const second = path.join(s.base, 'second');
    fs.writeFileSync(second, 'the second passphrase\n');
    const added = await tend(
      ['repo', 'key', 'add', ...access, '--new-password-file', second, '--json'],
      s.base,
    );
    expect(added.code).toBe(0);
    const { keyId } = JSON.parse(added.stdout) as { keyId: string };
    const list = JSON.parse(
      (
        await tend(
          ['repo', 'key', 'list', '--to', repo, '--password-file', second, '--json'],
          s.base,
        )
      ).stdout,
    ) as Array<{ id: string; current: boolean }>;
    expect(list).toHaveLength(2);
    expect(list.find((k) => k.current)!.id).toBe(keyId);
    const first = list.find((k) => !k.current)!.id;
    // The key this passphrase opened cannot be removed with it.
    const self = await tend(
      ['repo', 'key', 'remove', keyId.slice(0, 8), '--to', repo, '--password-file', second],
      s.base,
    );
    expect(self.code).toBe(2);
    const removed = await tend(
      ['repo', 'key', 'remove', first.slice(0, 8), '--to', repo, '--password-file', second],
      s.base,
    );
    expect(removed.code).toBe(0);
    const old = await tend(['repo', 'snapshots', ...access], s.base);
    expect(old.stderr).toContain('REPOSITORY_WRONG_PASSPHRASE');
    // Generated when no new passphrase is given.
    const generated = await tend(
      ['repo', 'key', 'add', '--to', repo, '--password-file', second],
      s.base,
    );
    expect(generated.stdout).toMatch(/Passphrase: [a-z2-9-]{39}/);
    expect(generated.stderr).toContain('a lost passphrase is lost backups');
  });

  it('export: a snapshot as a .tar.gz GNU tar opens, never over an existing file', async () => {
    await tend(['repo', 'init', ...access], s.base);
    await tend(['repo', 'backup', '--root', s.root, ...access], s.base);
    const file = path.join(s.base, 'snapshot.tar.gz');
    const made = await tend(['repo', 'export', 'latest', file, ...access], s.base);
    expect(made.code).toBe(0);
    expect(fs.existsSync(`${file}.partial`)).toBe(false);
    const out = path.join(s.base, 'untar');
    fs.mkdirSync(out);
    expect(spawnSync('tar', ['xzf', file, '-C', out]).status).toBe(0);
    expect(digestTree(out, notDb)).toEqual(digestTree(s.root, notDb));
    const again = await tend(['repo', 'export', 'latest', file, ...access], s.base);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('PATH_EXISTS');
  });

  it('backup: a job of the folder, so tend info names the snapshot as its last backup', async () => {
    await tend(['repo', 'init', ...access], s.base);
    const made = await tend(['repo', 'backup', '--root', s.root, ...access], s.base);
    expect(made.code, made.stderr).toBe(0);
    const snapshotId = made.stdout.trim();
    const info = await tend(['info', '--root', s.root], s.base);
    expect(info.stdout).toMatch(
      new RegExp(`Last backup .*\\(Full, encrypted snapshot ${snapshotId.slice(0, 8)} of `),
    );
    // The archives' list says where the snapshots are, not "No backups yet".
    const list = await tend(['backup', 'list', '--root', s.root], s.base);
    expect(list.stdout).toContain(
      `No archives. Encrypted snapshots are in the repository (the newest ${snapshotId.slice(0, 8)}, `,
    );
  });

  it('backup export: the repository set in Settings when --to is left out; a stray .partial is left alone', async () => {
    await tend(['repo', 'init', ...access], s.base);
    await tend(['repo', 'backup', '--root', s.root, ...access], s.base);
    const file = path.join(s.base, 'from-settings.tar.gz');
    const password = ['--password-file', s.passwordFile];
    const unset = await tend(
      ['backup', 'export', 'latest', file, '--root', s.root, ...password],
      s.base,
    );
    expect(unset.code).toBe(2);
    expect(unset.stderr).toContain('No encrypted repository is set for this data folder');
    const set = await tend(
      [
        'settings',
        'set',
        `backup.repository={"kind":"local","folder":${JSON.stringify(repo)}}`,
        '--root',
        s.root,
      ],
      s.base,
    );
    expect(set.code).toBe(0);
    const made = await tend(
      ['backup', 'export', 'latest', file, '--root', s.root, ...password],
      s.base,
    );
    expect(made.code).toBe(0);
    expect(made.stdout).toContain(`to ${file}.`);
    const out = path.join(s.base, 'untar');
    fs.mkdirSync(out);
    expect(spawnSync('tar', ['xzf', file, '-C', out]).status).toBe(0);
    expect(digestTree(out, notDb)).toEqual(digestTree(s.root, notDb));
    // A file by the partial's name is someone's: refused, and still there afterwards.
    const other = path.join(s.base, 'other.tar.gz');
    fs.writeFileSync(`${other}.partial`, 'not Tend’s');
    const blocked = await tend(
      ['backup', 'export', 'latest', other, '--root', s.root, ...password],
      s.base,
    );
    expect(blocked.code).toBe(2);
    expect(blocked.stderr).toContain('PATH_EXISTS');
    expect(fs.readFileSync(`${other}.partial`, 'utf8')).toBe('not Tend’s');
    expect(fs.existsSync(other)).toBe(false);

    // An archive with no archive folder: told where backups into the repository go.
    const archive = await tend(['backup', 'create', '--root', s.root], s.base);
    expect(archive.code).toBe(6);
    expect(archive.stderr).toContain('encrypted repository set in Settings: tend repo backup.');

    // The backups a restore can start from: the snapshot, named as plan and apply take it, once
    // the passphrase is known; before, said on stderr rather than left out in silence.
    const locked = await tend(['restore', 'backups', '--root', s.root], s.base);
    expect(locked.stdout).toBe('No archives found.\n');
    expect(locked.stderr).toContain(
      `The snapshots in the encrypted repository at ${repo} are listed once Tend knows its passphrase`,
    );
    const saved = process.env.TEND_PASSWORD_FILE;
    process.env.TEND_PASSWORD_FILE = s.passwordFile;
    try {
      const listedForRestore = await tend(['restore', 'backups', '--root', s.root], s.base);
      expect(listedForRestore.stdout).toMatch(
        /^snapshot:[0-9a-f]{8} +Full +— +Encrypted repository/m,
      );
      const ref = /^(snapshot:[0-9a-f]{8})/m.exec(listedForRestore.stdout)![1]!;
      const plan = await tend(['restore', 'plan', ref, '--root', s.root], s.base);
      expect(plan.code, plan.stderr).toBe(0);
    } finally {
      if (saved === undefined) delete process.env.TEND_PASSWORD_FILE;
      else process.env.TEND_PASSWORD_FILE = saved;
    }

    // Every repo verb takes the repository from Settings too.
    const listed = await tend(
      ['repo', 'snapshots', '--root', s.root, '--json', ...password],
      s.base,
    );
    expect(listed.code, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout)).toHaveLength(1);
    const checked = await tend(['repo', 'check', '--root', s.root, ...password], s.base);
    expect(checked.stdout).toMatch(/^OK: checked every pack of 1 snapshot/m);
  });

  it('a repo verb without --to, for a data folder whose Settings name no repository, says what to give', async () => {
    const none = await tend(
      ['repo', 'snapshots', '--root', s.root, '--password-file', s.passwordFile],
      s.base,
    );
    expect(none.code).toBe(2);
    expect(none.stderr).toContain(
      'No encrypted repository is set for this data folder: give --to DEST, or choose one in Settings',
    );
  });
});

describe.skipIf(!hasSshd)('tend repo over SFTP (a real sshd)', () => {
  let sshd: TestSshd;
  beforeAll(async () => {
    sshd = await startSshd();
  });
  afterAll(async () => {
    await sshd?.stop();
  });

  it('init, backup and snapshots with --identity; the host key is pinned, a changed one refused', async () => {
    const s = await setup();
    delete process.env.SSH_AUTH_SOCK;
    const folder = path.join(sshd.dir, 'cli-repo');
    const to = `sftp://${sshd.username}@127.0.0.1:${sshd.port}/${folder}`;
    const access = [
      '--to',
      to,
      '--password-file',
      s.passwordFile,
      '--identity',
      sshd.privateKeyFile,
    ];
    const noKey = await tend(
      ['repo', 'init', '--to', to, '--password-file', s.passwordFile],
      s.base,
    );
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain('--identity');
    const made = await tend(['repo', 'init', ...access], s.base);
    expect(made.code).toBe(0);
    expect(made.stderr).toContain(
      `Pinned the host key of 127.0.0.1:${sshd.port}: ${sshd.hostKeyFingerprint}`,
    );
    const id = (await tend(['repo', 'backup', '--root', s.root, ...access], s.base)).stdout.trim();
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect((await tend(['repo', 'snapshots', ...access], s.base)).stdout).toContain(id.slice(0, 8));
    if (hasRestic) {
      const checked = restic(
        `sftp:${sshd.username}@127.0.0.1:${folder}`,
        ['-o', `sftp.command=${sshd.sftpCommand()}`, 'check', '--read-data'],
        { password: PASSPHRASE },
      );
      expect(checked.status).toBe(0);
    }
    // Another key pinned for this server (as after a reinstall, or a man in the middle).
    const pins = path.join(s.base, 'tend-state', 'repository-host-keys.json');
    fs.writeFileSync(pins, JSON.stringify({ [`127.0.0.1:${sshd.port}`]: 'SHA256:somethingelse' }));
    const changed = await tend(['repo', 'snapshots', ...access], s.base);
    expect(changed.code).toBe(6);
    expect(changed.stderr).toContain('DESTINATION_HOST_KEY_CHANGED');
  });

  it('an unreachable server: DESTINATION_UNAVAILABLE, exit 6', async () => {
    const s = await setup();
    const closed = await tend(
      [
        'repo',
        'snapshots',
        '--to',
        `sftp://nobody@127.0.0.1:1//x`,
        '--password-file',
        s.passwordFile,
        '--identity',
        sshd.privateKeyFile,
      ],
      s.base,
    );
    expect(closed.code).toBe(6);
    expect(closed.stderr).toContain('DESTINATION_UNAVAILABLE');
  });
});

describe('tend repo on S3 (local s3rver: it accepts any secret, so this proves the path, not the security)', () => {
  let target: S3Target;
  beforeAll(async () => {
    target = await startS3rver();
  });
  afterAll(async () => {
    await target?.stop();
  });

  it('keys only from the environment; init, backup, snapshots, restore', async () => {
    const s = await setup();
    const to = `s3:${target.endpoint}/${target.bucket}/cli-test`;
    const access = ['--to', to, '--password-file', s.passwordFile];
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
    const noKeys = await tend(['repo', 'init', ...access], s.base);
    expect(noKeys.code).toBe(2);
    expect(noKeys.stderr).toContain('AWS_ACCESS_KEY_ID');
    process.env.AWS_ACCESS_KEY_ID = target.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = target.secretAccessKey;
    expect((await tend(['repo', 'init', ...access], s.base)).code).toBe(0);
    const id = (await tend(['repo', 'backup', '--root', s.root, ...access], s.base)).stdout.trim();
    expect((await tend(['repo', 'snapshots', ...access], s.base)).stdout).toContain(id.slice(0, 8));
    const out = path.join(s.base, 'out');
    expect(
      (await tend(['repo', 'restore', id.slice(0, 8), ...access, '--target', out], s.base)).code,
    ).toBe(0);
    expect(digestTree(out, notDb)).toEqual(digestTree(s.root, notDb));
    // The keys are in no file Tend wrote.
    const state = path.join(s.base, 'tend-state');
    const written = fs.existsSync(state)
      ? fs.readdirSync(state, { recursive: true, withFileTypes: true })
      : [];
    for (const entry of written.filter((e) => e.isFile())) {
      expect(fs.readFileSync(path.join(entry.parentPath, entry.name), 'latin1')).not.toContain(
        target.secretAccessKey,
      );
    }
  });
});
