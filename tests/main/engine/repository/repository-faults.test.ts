import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TendFailure } from '../../../../src-shared/errors';
import type { Backend } from '../../../../src-main/engine/repository/backend';
import { LocalBackend } from '../../../../src-main/engine/repository/local-backend';
import { Repository } from '../../../../src-main/engine/repository/repository';
import { storageFull } from '../../../../src-main/engine/repository/repository-errors';
import { forgetSnapshots } from '../../../../src-main/engine/repository/repository-prune';
import { verifyRepository } from '../../../../src-main/engine/repository/repository-verify';
import { backupSnapshot } from '../../../../src-main/engine/repository/snapshot-backup';
import { TreeReader } from '../../../../src-main/engine/repository/snapshot-reader';
import { tempDir, writeFile } from '../../../support/temp-dir';
import {
  digestTree,
  FAST_KDF,
  flipPackByte,
  hasRestic,
  newRepository,
  noise,
  PASSWORD,
  restic,
  writeSampleTree,
} from './repository-fixtures';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Runs fault-child.ts and SIGKILLs it when it announces its `killAt`-th storage write or delete. */
function runAndKill(
  args: ReadonlyArray<string>,
  killAt: number,
): Promise<{ killed: boolean; steps: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(here, 'fault-child.ts'), ...args],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, REPOSITORY_PASSWORD: PASSWORD },
      },
    );
    let steps = 0;
    let killed = false;
    let buffered = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        if (line.startsWith('write') || line.startsWith('remove')) steps += 1;
        if (steps >= killAt && !killed) {
          killed = true;
          child.kill('SIGKILL');
        }
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (!killed && code !== 0) reject(new Error(`child failed (${code}): ${stderr}`));
      else resolve({ killed, steps });
    });
  });
}

/** A seeded sequence of kill points, so a failure can be replayed. */
function killPoints(seed: number, count: number, max: number): number[] {
  let x = seed;
  return Array.from({ length: count }, () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return 1 + (x % max);
  });
}

async function expectConsistent(repoDir: string, root: string): Promise<void> {
  // restic 0.14 refuses to check while any lock exists, stale or not: `restic unlock` removes
  // the lock of the killed process (same host, process gone), as a person would run it.
  expect(restic(repoDir, ['unlock']).status).toBe(0);
  const check = restic(repoDir, ['check', '--read-data']);
  expect(check.stdout + check.stderr).toContain('no errors were found');
  const repository = await Repository.open(new LocalBackend(repoDir), PASSWORD);
  const verified = await verifyRepository(repository, { mode: 'full' });
  expect(verified.problems).toEqual([]);
  // And the next backup works and restores the data.
  const after = await backupSnapshot(repository, { root });
  const out = path.join(tempDir(), 'out');
  const { restoreSnapshot } =
    await import('../../../../src-main/engine/repository/snapshot-restore');
  await restoreSnapshot(repository, after.snapshotId, { target: out });
  const db = 'local_data/internal_assistant/assistant.db';
  const skipDb = (rel: string) => rel === '.tend' || rel === db;
  expect(digestTree(out, skipDb)).toEqual(digestTree(root, skipDb));
}

describe.skipIf(!hasRestic)('a backup or prune killed part way leaves a valid repository', () => {
  it.each(killPoints(12, 3, 9))(
    'backup killed at storage step %i: restic check passes, nothing points at missing data',
    async (killAt) => {
      const root = tempDir();
      writeSampleTree(root);
      writeFile(path.join(root, 'more/big.bin'), noise(2 * 1024 * 1024, killAt));
      const repoDir = path.join(tempDir(), 'repo');
      await newRepository(repoDir);
      const run = await runAndKill(['backup', repoDir, root], killAt);
      expect(run.killed).toBe(true);
      await expectConsistent(repoDir, root);
    },
  );

  it.each(killPoints(99, 3, 30))(
    'prune killed at storage step %i: restic check passes',
    async (killAt) => {
      const root = tempDir();
      writeSampleTree(root);
      const repoDir = path.join(tempDir(), 'repo');
      const repository = await newRepository(repoDir);
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        writeFile(path.join(root, `round-${i}.bin`), noise(512 * 1024, i + 1));
        ids.push((await backupSnapshot(repository, { root, packSize: 64 * 1024 })).snapshotId);
        fs.rmSync(path.join(root, `round-${i}.bin`));
      }
      await forgetSnapshots(repository, [ids[2]!]);
      const run = await runAndKill(['prune', repoDir], killAt);
      expect(run.steps).toBeGreaterThan(0);
      await expectConsistent(repoDir, root);
    },
  );
});

describe('damage, wrong passphrases and full destinations', () => {
  it('loads every index file of many backups, and a damaged one fails naming it', async () => {
    const root = tempDir();
    const repoDir = path.join(tempDir(), 'repo');
    const repository = await newRepository(repoDir);
    for (let i = 0; i < 7; i++) {
      writeFile(path.join(root, `round-${i}.bin`), noise(8 * 1024, i + 1));
      await backupSnapshot(repository, { root });
    }
    const ids = await repository.listIds('index');
    expect(ids.length).toBe(7);
    const index = await repository.loadIndex();
    expect([...index.indexFiles].sort()).toEqual([...ids].sort());
    // Every pack of every index file is in the merged index.
    expect([...index.packs().keys()].sort()).toEqual((await repository.listIds('data')).sort());

    const damaged = ids[4]!;
    const file = path.join(repoDir, 'index', damaged);
    fs.chmodSync(file, 0o600);
    const bytes = fs.readFileSync(file);
    bytes[bytes.length - 1]! ^= 0x01;
    fs.writeFileSync(file, bytes);
    await expect(repository.loadIndex()).rejects.toThrow(`index/${damaged}`);
  });

  it('a flipped bit in a pack: full verify names the snapshot and the file', async () => {
    const root = tempDir();
    writeSampleTree(root);
    const repoDir = path.join(tempDir(), 'repo');
    const repository = await newRepository(repoDir);
    const backup = await backupSnapshot(repository, { root });
    const index = await repository.loadIndex();
    const node = await new TreeReader(repository, index).find(backup.tree, 'config/settings.json');
    const location = index.lookup('data', node!.content![0]!)!;
    flipPackByte(repoDir, location.packId, location.blob.offset + 20);

    expect((await verifyRepository(repository, { mode: 'quick' })).ok).toBe(true);
    const full = await verifyRepository(repository, { mode: 'full' });
    expect(full.ok).toBe(false);
    expect(full.damaged).toEqual([
      expect.objectContaining({
        snapshotId: backup.snapshotId,
        files: expect.arrayContaining(['config/settings.json']),
      }),
    ]);
    expect(full.damaged[0]!.files).not.toContain('empty.txt');
  });

  it('a wrong passphrase: a clear REPOSITORY_WRONG_PASSPHRASE error and nothing written', async () => {
    const root = tempDir();
    writeSampleTree(root);
    const repoDir = path.join(tempDir(), 'repo');
    await backupSnapshot(await newRepository(repoDir), { root });
    const before = digestTree(repoDir, () => false);
    const failure = await Repository.open(new LocalBackend(repoDir), 'not the passphrase').catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(TendFailure);
    expect((failure as TendFailure).code).toBe('REPOSITORY_WRONG_PASSPHRASE');
    expect((failure as TendFailure).message).toMatch(/passphrase does not open/);
    expect(digestTree(repoDir, () => false)).toEqual(before);
  });

  it('a destination that fills up (fault hook): fails with the numbers, repository still valid', async () => {
    const root = tempDir();
    writeSampleTree(root);
    const repoDir = path.join(tempDir(), 'repo');
    const repository = await newRepository(repoDir);
    await backupSnapshot(repository, { root });
    writeFile(path.join(root, 'new.bin'), noise(1024 * 1024, 5));
    const local = new LocalBackend(repoDir);
    let budget = 200 * 1024;
    const filling: Backend = Object.assign(Object.create(local) as Backend, {
      write: async (handle: Parameters<Backend['write']>[0], data: Buffer) => {
        if (data.length > budget) throw storageFull(repoDir, data.length, budget);
        budget -= data.length;
        await local.write(handle, data);
      },
    });
    const full = await Repository.open(filling, PASSWORD);
    const failure = await backupSnapshot(full, { root, packSize: 64 * 1024 }).catch(
      (error: unknown) => error,
    );
    expect((failure as TendFailure).code).toBe('NO_SPACE');
    expect((failure as TendFailure).details).toMatchObject({
      neededBytes: expect.any(Number),
      freeBytes: expect.any(Number),
    });
    expect((await verifyRepository(repository, { mode: 'full' })).problems).toEqual([]);
    if (hasRestic) expect(restic(repoDir, ['check', '--read-data']).status).toBe(0);
  });

  const canMount = process.getuid?.() === 0 && spawnSync('mount', ['--version']).status === 0;
  it.skipIf(!canMount)(
    'a real full disk (2 MiB tmpfs): NO_SPACE with the numbers, repository still valid',
    async () => {
      const mount = tempDir();
      if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', mount]).status !== 0) return;
      try {
        const root = tempDir();
        writeFile(path.join(root, 'small.txt'), 'fits\n');
        const repoDir = path.join(mount, 'repo');
        const repository = await Repository.init(new LocalBackend(repoDir), PASSWORD, {
          kdf: FAST_KDF,
        });
        await backupSnapshot(repository, { root });
        writeFile(path.join(root, 'big.bin'), noise(3 * 1024 * 1024, 9));
        const failure = await backupSnapshot(repository, { root, packSize: 256 * 1024 }).catch(
          (error: unknown) => error,
        );
        expect((failure as TendFailure).code).toBe('NO_SPACE');
        expect((failure as TendFailure).message).toMatch(
          /writing [\d.]+ (B|KiB|MiB) failed with [\d.]+ (B|KiB|MiB) free/,
        );
        expect((await verifyRepository(repository, { mode: 'full' })).problems).toEqual([]);
        if (hasRestic) {
          restic(repoDir, ['unlock']);
          expect(restic(repoDir, ['check', '--read-data']).status).toBe(0);
        }
      } finally {
        spawnSync('umount', [mount]);
      }
    },
  );
});
