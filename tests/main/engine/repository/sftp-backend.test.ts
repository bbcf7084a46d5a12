import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TendFailure } from '../../../../src-shared/errors';
import { checkDestination } from '../../../../src-main/engine/repository/destination-check';
import { Repository } from '../../../../src-main/engine/repository/repository';
import { verifyRepository } from '../../../../src-main/engine/repository/repository-verify';
import { SftpBackend, type SftpOptions } from '../../../../src-main/engine/repository/sftp-backend';
import { hostKeyFingerprint } from '../../../../src-main/engine/repository/sftp-host-key';
import { backupSnapshot } from '../../../../src-main/engine/repository/snapshot-backup';
import { listSnapshots } from '../../../../src-main/engine/repository/snapshot-reader';
import { restoreSnapshot } from '../../../../src-main/engine/repository/snapshot-restore';
import { tempDir, writeFile } from '../../../support/temp-dir';
import { startFlakyProxy } from './flaky-proxy';
import {
  digestTree,
  FAST_KDF,
  hasRestic,
  noise,
  PASSWORD,
  restic,
  writeSampleTree,
} from './repository-fixtures';
import { SFTP_SERVER, startPasswordSshd } from './password-sshd';
import { hasSshd, startSshd, type TestSshd } from './test-sshd';

const FAST_RETRY = { attempts: 4, firstDelayMs: 20 };
const skipDb = (rel: string) =>
  rel === '.tend' || rel === 'local_data/internal_assistant/assistant.db';

// A real OpenSSH sshd started here (test-sshd.ts); without /usr/sbin/sshd these tests cannot
// prove anything about SFTP, so they say so and skip.
describe.skipIf(!hasSshd)('SFTP backend against a real sshd', () => {
  let sshd: TestSshd;
  let counter = 0;

  beforeAll(async () => {
    sshd = await startSshd();
  });
  afterAll(async () => {
    await sshd?.stop();
  });

  /** A fresh repository folder on the server (the server is this machine). */
  const remoteDir = () => path.join(sshd.dir, `repo-${++counter}`);
  const options = (folder: string, extra: Partial<SftpOptions> = {}): SftpOptions => ({
    host: sshd.host,
    port: sshd.port,
    username: sshd.username,
    path: folder,
    privateKey: sshd.privateKey,
    hostKey: sshd.hostKeyFingerprint,
    retry: FAST_RETRY,
    ...extra,
  });
  const resticRepo = (folder: string) => `sftp:${sshd.username}@127.0.0.1:${folder}`;
  const resticSftp = (folder: string, args: ReadonlyArray<string>, cwd?: string) =>
    restic(resticRepo(folder), ['-o', `sftp.command=${sshd.sftpCommand()}`, ...args], { cwd });

  it('backs up and restores over SFTP in restic’s layout; restic checks and restores it', async () => {
    const root = tempDir();
    writeSampleTree(root);
    const folder = remoteDir();
    const backend = new SftpBackend(options(folder));
    try {
      const repository = await Repository.init(backend, PASSWORD, { kdf: FAST_KDF });
      const backup = await backupSnapshot(repository, { root, packSize: 256 * 1024 });
      expect(backup.packsWritten).toBeGreaterThan(1);
      // restic's layout on the server's disk: config, keys/, data/<2 hex>/<id>, index/, snapshots/.
      expect(fs.existsSync(path.join(folder, 'config'))).toBe(true);
      expect(fs.readdirSync(path.join(folder, 'data'))).toHaveLength(256);
      const pack = (await backend.list('data'))[0]!;
      expect(fs.statSync(path.join(folder, 'data', pack.name.slice(0, 2), pack.name)).size).toBe(
        pack.size,
      );

      const out = path.join(tempDir(), 'out');
      await restoreSnapshot(repository, backup.snapshotId, { target: out });
      expect(digestTree(out, skipDb)).toEqual(digestTree(root, skipDb));
      expect((await verifyRepository(repository, { mode: 'full' })).problems).toEqual([]);
    } finally {
      await backend.close();
    }

    if (!hasRestic) return; // said in restic-interop.test.ts: no restic, no independent check
    const check = resticSftp(folder, ['check', '--read-data']);
    expect(check.stdout + check.stderr).toContain('no errors were found');
    const theirs = path.join(tempDir(), 'theirs');
    expect(resticSftp(folder, ['restore', 'latest', '--target', theirs]).status).toBe(0);
    expect(digestTree(theirs, skipDb)).toEqual(digestTree(root, skipDb));
  });

  it.skipIf(!hasRestic)('reads a repository restic wrote over SFTP', async () => {
    const root = tempDir();
    writeFile(path.join(root, 'notes/a.txt'), 'from restic\n');
    writeFile(path.join(root, 'big.bin'), noise(1024 * 1024, 3));
    const folder = remoteDir();
    expect(resticSftp(folder, ['init']).status).toBe(0);
    expect(resticSftp(folder, ['backup', '.'], root).status).toBe(0);
    const backend = new SftpBackend(options(folder));
    try {
      const repository = await Repository.open(backend, PASSWORD);
      expect(await listSnapshots(repository)).toHaveLength(1);
      const out = path.join(tempDir(), 'out');
      await restoreSnapshot(repository, 'latest', { target: out, path: 'notes/a.txt' });
      expect(fs.readFileSync(path.join(out, 'notes/a.txt'), 'utf8')).toBe('from restic\n');
    } finally {
      await backend.close();
    }
  });

  it('pins the host key on first use, then refuses a server whose key changed', async () => {
    const folder = remoteDir();
    const pinned: string[] = [];
    const first = new SftpBackend(
      options(folder, { hostKey: null, onHostKeyPinned: (key) => pinned.push(key) }),
    );
    try {
      await first.writeScratch('hello', Buffer.from('hi'));
    } finally {
      await first.close();
    }
    // The fingerprint Tend pins is the one OpenSSH shows for the server's key.
    expect(pinned).toEqual([sshd.hostKeyFingerprint]);
    expect(first.hostKey).toBe(sshd.hostKeyFingerprint);

    const impostor = hostKeyFingerprint(Buffer.from('another server'));
    const second = new SftpBackend(options(folder, { hostKey: impostor }));
    const failure = await second.writeScratch('second', Buffer.from('x')).catch((e) => e);
    await second.close();
    expect(failure).toBeInstanceOf(TendFailure);
    expect(failure.code).toBe('DESTINATION_HOST_KEY_CHANGED');
    expect(failure.details.reason).toBe('host-key-changed');
    expect(failure.message).toContain(sshd.hostKeyFingerprint);
    expect(failure.message).toContain(impostor);
    // Refused before anything was sent: the second file is not there.
    expect(fs.existsSync(path.join(folder, 'second'))).toBe(false);
  });

  it('a wrong key is a clear DESTINATION_LOGIN_REFUSED, a closed port a clear DESTINATION_UNAVAILABLE', async () => {
    const other = tempDir();
    const { spawnSync } = await import('node:child_process');
    spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(other, 'k')]);
    const wrong = new SftpBackend(
      options(remoteDir(), { privateKey: fs.readFileSync(path.join(other, 'k')) }),
    );
    const refused = await wrong.stat({ type: 'config', name: '' }).catch((e) => e);
    await wrong.close();
    expect(refused.code).toBe('DESTINATION_LOGIN_REFUSED');
    expect(refused.details.reason).toBe('destination-credentials');

    const proxy = await startFlakyProxy(sshd.port);
    proxy.refuse(true);
    const gone = new SftpBackend({ ...options(remoteDir()), port: proxy.port });
    const unreachable = await gone.stat({ type: 'config', name: '' }).catch((e) => e);
    await gone.close();
    await proxy.close();
    expect(unreachable.code).toBe('DESTINATION_UNAVAILABLE');
    expect(unreachable.message).toMatch(/Could not reach/);
  });

  it('tests a destination step by step: reach, write, read back, delete, free space', async () => {
    const backend = new SftpBackend(options(remoteDir()));
    const seen: string[] = [];
    const result = await checkDestination(backend, { onStep: (step) => seen.push(step.step) });
    await backend.close();
    expect(seen).toEqual(['reach', 'write', 'read-back', 'delete', 'free-space']);
    expect(result.steps.map((step) => step.status)).toEqual(Array(5).fill('passed'));
    expect(result.repositoryPresent).toBe(false);
    expect(result.freeBytes).toBeGreaterThan(0);
    // The scratch file is gone again.
    expect(fs.readdirSync(backend.location.split(':').at(-1)!)).toEqual([]);

    const refused = new SftpBackend(options(remoteDir(), { hostKey: 'SHA256:not-this-one' }));
    const failed = await checkDestination(refused);
    await refused.close();
    expect(failed.ok).toBe(false);
    expect(failed.steps[0]).toMatchObject({
      step: 'reach',
      status: 'failed',
      code: 'DESTINATION_HOST_KEY_CHANGED',
    });
    expect(failed.steps.slice(1).every((step) => step.status === 'skipped')).toBe(true);
  });

  it('the connection dropped mid-upload: the upload resumes and the backup completes', async () => {
    const root = tempDir();
    writeSampleTree(root);
    writeFile(path.join(root, 'more/big.bin'), noise(3 * 1024 * 1024, 5));
    const folder = remoteDir();
    const proxy = await startFlakyProxy(sshd.port);
    const backend = new SftpBackend({ ...options(folder), port: proxy.port });
    try {
      const repository = await Repository.init(backend, PASSWORD, { kdf: FAST_KDF });
      proxy.cutAfter(2 * 1024 * 1024);
      const backup = await backupSnapshot(repository, { root });
      expect(proxy.connections).toBeGreaterThan(1);
      expect(backend.resumedWrites).toBeGreaterThan(0);
      // The pack cut mid-way went on from where it stopped: far less than twice the data went up.
      expect(proxy.bytesUp).toBeLessThan(2 * backup.bytesStored);
      const out = path.join(tempDir(), 'out');
      await restoreSnapshot(repository, backup.snapshotId, { target: out });
      expect(digestTree(out, skipDb)).toEqual(digestTree(root, skipDb));
      expect((await verifyRepository(repository, { mode: 'full' })).problems).toEqual([]);
    } finally {
      await backend.close();
      await proxy.close();
    }
    // No temp file is left where the resumed upload finished.
    const leftovers = fs
      .readdirSync(path.join(folder, 'data'), { recursive: true })
      .map(String)
      .filter((name) => name.includes('-tmp-'));
    expect(leftovers).toEqual([]);
    if (hasRestic) {
      const check = resticSftp(folder, ['check', '--read-data']);
      expect(check.stdout + check.stderr).toContain('no errors were found');
    }
  });

  it('the connection dropped for good: the backup fails cleanly and the repository stays valid', async () => {
    const root = tempDir();
    writeSampleTree(root);
    const folder = remoteDir();
    const proxy = await startFlakyProxy(sshd.port);
    const backend = new SftpBackend({ ...options(folder), port: proxy.port });
    try {
      const repository = await Repository.init(backend, PASSWORD, { kdf: FAST_KDF });
      await backupSnapshot(repository, { root, packSize: 256 * 1024 });
      writeFile(path.join(root, 'more/new.bin'), noise(2 * 1024 * 1024, 9));
      proxy.cutAfter(512 * 1024);
      proxy.refuse(true);
      const failure = await backupSnapshot(repository, { root, packSize: 256 * 1024 }).catch(
        (e) => e,
      );
      expect(failure).toBeInstanceOf(TendFailure);
      expect(failure.code).toBe('DESTINATION_UNAVAILABLE');
      expect(failure.message).toMatch(/reach|sftp:/);
    } finally {
      await backend.close();
      await proxy.close();
    }
    // Straight to the server again: one snapshot, and the repository checks clean.
    const direct = new SftpBackend(options(folder));
    try {
      const repository = await Repository.open(direct, PASSWORD);
      expect(await listSnapshots(repository)).toHaveLength(1);
      const verified = await verifyRepository(repository, { mode: 'full' });
      expect(verified.problems).toEqual([]);
      // And the next backup, with the server back, completes.
      const again = await backupSnapshot(repository, { root });
      expect(again.files.new).toBe(1);
    } finally {
      await direct.close();
    }
    if (hasRestic) {
      // The lock of the failed backup could not be removed while the server was gone.
      expect(resticSftp(folder, ['unlock', '--remove-all']).status).toBe(0);
      const check = resticSftp(folder, ['check', '--read-data']);
      expect(check.stdout + check.stderr).toContain('no errors were found');
    }
  });

  it('a destination that fills up: fails with the numbers, the repository stays valid', async (context) => {
    if (!sshd.fullDir) {
      context.skip(
        'sshd runs without its own mount namespace here (not root), so there is no small disk',
      );
      return;
    }
    const root = tempDir();
    writeFile(path.join(root, 'notes.txt'), 'small\n');
    const folder = path.join(sshd.fullDir, `repo-${++counter}`);
    const backend = new SftpBackend(options(folder));
    try {
      const repository = await Repository.init(backend, PASSWORD, { kdf: FAST_KDF });
      await backupSnapshot(repository, { root });
      const free = await backend.freeBytes();
      expect(free).not.toBeNull();
      expect(free!).toBeLessThan(2 * 1024 * 1024);
      writeFile(path.join(root, 'too-big.bin'), noise(3 * 1024 * 1024, 11));
      const failure = await backupSnapshot(repository, { root }).catch((e) => e);
      expect(failure).toBeInstanceOf(TendFailure);
      expect(failure.code).toBe('NO_SPACE');
      expect(failure.details.neededBytes).toBeGreaterThan(failure.details.freeBytes);
      expect(failure.message).toMatch(/[\d.]+ (B|KiB|MiB) failed with [\d.]+ (B|KiB|MiB|GiB) free/);
      const verified = await verifyRepository(repository, { mode: 'full' });
      expect(verified.problems).toEqual([]);
      expect(await listSnapshots(repository)).toHaveLength(1);
    } finally {
      await backend.close();
    }
  });
});

describe.skipIf(!fs.existsSync(SFTP_SERVER))('SFTP backend logging in by password', () => {
  it('a wrong password is a clear DESTINATION_LOGIN_REFUSED; the right one backs up and restores', async () => {
    const server = await startPasswordSshd();
    const root = tempDir();
    writeFile(path.join(root, 'notes/a.txt'), 'by password\n');
    const folder = path.join(tempDir(), 'repo');
    const settings: SftpOptions = {
      host: '127.0.0.1',
      port: server.port,
      username: server.username,
      password: 'not the password',
      path: folder,
      retry: FAST_RETRY,
    };
    try {
      const wrong = new SftpBackend(settings);
      const refused = await wrong.stat({ type: 'config', name: '' }).catch((e) => e);
      await wrong.close();
      expect(refused).toBeInstanceOf(TendFailure);
      expect(refused.code).toBe('DESTINATION_LOGIN_REFUSED');
      expect(refused.details.reason).toBe('destination-credentials');

      const backend = new SftpBackend({ ...settings, password: server.password });
      try {
        const repository = await Repository.init(backend, PASSWORD, { kdf: FAST_KDF });
        const backup = await backupSnapshot(repository, { root });
        const out = path.join(tempDir(), 'out');
        await restoreSnapshot(repository, backup.snapshotId, { target: out });
        expect(fs.readFileSync(path.join(out, 'notes/a.txt'), 'utf8')).toBe('by password\n');
      } finally {
        await backend.close();
      }
    } finally {
      await server.stop();
    }
  });
});
