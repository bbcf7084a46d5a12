import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TendFailure } from '../../../../src-shared/errors';
import { checkDestination } from '../../../../src-main/engine/repository/destination-check';
import { Repository } from '../../../../src-main/engine/repository/repository';
import { verifyRepository } from '../../../../src-main/engine/repository/repository-verify';
import { S3Backend, type S3Options } from '../../../../src-main/engine/repository/s3-backend';
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
import { endpointFromEnvironment, startQuotaRelay, startS3rver, type S3Target } from './test-s3';

const MiB = 1024 * 1024;
const FAST_RETRY = { attempts: 4, firstDelayMs: 20 };
const skipDb = (rel: string) =>
  rel === '.tend' || rel === 'local_data/internal_assistant/assistant.db';

const fromEnvironment = endpointFromEnvironment();
const targets: ReadonlyArray<'local' | 'environment'> = [
  'local',
  ...('target' in fromEnvironment ? (['environment'] as const) : []),
];

if ('why' in fromEnvironment) {
  describe('S3 backend against a real endpoint', () => {
    it.skip(`runs the suite below against it (skipped: ${fromEnvironment.why})`, () => {});
  });
}

describe.each(targets)('S3 backend against %s S3', (which) => {
  let target: S3Target;
  let counter = 0;

  beforeAll(async () => {
    target =
      which === 'local'
        ? await startS3rver()
        : {
            ...(fromEnvironment as { target: Omit<S3Target, 'stop'> }).target,
            stop: async () => {},
          };
  });
  afterAll(async () => {
    await target?.stop();
  });

  const options = (extra: Partial<S3Options> = {}): S3Options => ({
    endpoint: target.endpoint,
    region: target.region,
    bucket: target.bucket,
    prefix: `${target.prefix}/repo-${process.pid}-${++counter}`,
    accessKeyId: target.accessKeyId,
    secretAccessKey: target.secretAccessKey,
    multipartThreshold: 5 * MiB,
    partSize: 5 * MiB,
    retry: FAST_RETRY,
    ...extra,
  });
  const resticS3 = (backend: S3Options, args: ReadonlyArray<string>) =>
    restic(
      `s3:${backend.endpoint}/${backend.bucket}/${backend.prefix}`,
      // Against s3rver restic cannot write its lock (see test-s3.ts): it reads without one.
      [...(target.local ? ['--no-lock'] : []), ...args],
      {
        env: {
          AWS_ACCESS_KEY_ID: backend.accessKeyId,
          AWS_SECRET_ACCESS_KEY: backend.secretAccessKey,
          AWS_DEFAULT_REGION: backend.region ?? 'us-east-1',
        },
      },
    );

  it('backs up and restores in restic’s s3 layout, packs in parts; restic checks and restores it', async () => {
    const root = tempDir();
    writeSampleTree(root);
    writeFile(path.join(root, 'more/large.bin'), noise(12 * MiB, 21));
    const settings = options();
    const backend = new S3Backend(settings);
    try {
      const repository = await Repository.init(backend, PASSWORD, { kdf: FAST_KDF });
      const backup = await backupSnapshot(repository, { root });
      const packs = await backend.list('data');
      // The large file's pack is over the multipart threshold: it went up in parts.
      expect(Math.max(...packs.map((pack) => pack.size))).toBeGreaterThan(10 * MiB);

      const client = new S3Client({
        endpoint: settings.endpoint,
        region: settings.region,
        forcePathStyle: true,
        credentials: {
          accessKeyId: settings.accessKeyId,
          secretAccessKey: settings.secretAccessKey,
        },
      });
      const listed = await client.send(
        new ListObjectsV2Command({ Bucket: settings.bucket, Prefix: `${settings.prefix}/` }),
      );
      client.destroy();
      const keys = (listed.Contents ?? []).map((object) =>
        object.Key!.slice(settings.prefix!.length + 1),
      );
      expect(keys).toContain('config');
      expect(keys.filter((key) => key.startsWith('keys/'))).toHaveLength(1);
      for (const pack of packs)
        expect(keys).toContain(`data/${pack.name.slice(0, 2)}/${pack.name}`);
      expect(keys.some((key) => key.startsWith('snapshots/'))).toBe(true);
      expect(keys.some((key) => key.startsWith('index/'))).toBe(true);

      const out = path.join(tempDir(), 'out');
      await restoreSnapshot(repository, backup.snapshotId, { target: out });
      expect(digestTree(out, skipDb)).toEqual(digestTree(root, skipDb));
      expect((await verifyRepository(repository, { mode: 'full' })).problems).toEqual([]);
    } finally {
      await backend.close();
    }

    if (!hasRestic) return; // said in restic-interop.test.ts: no restic, no independent check
    const check = resticS3(settings, ['check', '--read-data']);
    expect(check.stdout + check.stderr).toContain('no errors were found');
    const theirs = path.join(tempDir(), 'theirs');
    expect(resticS3(settings, ['restore', 'latest', '--target', theirs]).status).toBe(0);
    expect(digestTree(theirs, skipDb)).toEqual(digestTree(root, skipDb));
  });

  it('tests a destination step by step; object storage tells no free space', async () => {
    const backend = new S3Backend(options());
    const seen: string[] = [];
    const result = await checkDestination(backend, { onStep: (step) => seen.push(step.step) });
    await backend.close();
    expect(seen).toEqual(['reach', 'write', 'read-back', 'delete', 'free-space']);
    expect(result.ok).toBe(true);
    expect(result.freeBytes).toBeNull();
    expect(result.steps.at(-1)!.detail).toMatch(/does not tell its free space/);
    expect(result.repositoryPresent).toBe(false);
  });

  it('wrong keys: a clear DESTINATION_LOGIN_REFUSED from a real endpoint (s3rver accepts any secret)', async (context) => {
    if (target.local) {
      context.skip('s3rver accepts any secret key, so it cannot show a refusal');
      return;
    }
    const backend = new S3Backend(options({ secretAccessKey: 'not-the-secret' }));
    const failure = await backend.stat({ type: 'config', name: '' }).catch((e) => e);
    await backend.close();
    expect(failure).toBeInstanceOf(TendFailure);
    expect(failure.code).toBe('DESTINATION_LOGIN_REFUSED');
  });

  it('the connection dropped mid-upload: the part is sent again and the backup completes', async (context) => {
    if (!target.local) {
      context.skip('connections are cut only on loopback, in front of the local server');
      return;
    }
    const root = tempDir();
    writeFile(path.join(root, 'large.bin'), noise(12 * MiB, 22));
    const port = Number(new URL(target.endpoint).port);
    const proxy = await startFlakyProxy(port);
    const settings = options({ endpoint: `http://127.0.0.1:${proxy.port}` });
    const backend = new S3Backend(settings);
    try {
      const repository = await Repository.init(backend, PASSWORD, { kdf: FAST_KDF });
      proxy.cutAfter(7 * MiB);
      const backup = await backupSnapshot(repository, { root });
      expect(proxy.connections).toBeGreaterThan(1);
      // Only the part cut off went up again, not the whole pack.
      expect(proxy.bytesUp).toBeLessThan(backup.bytesStored + 6 * MiB);
      const out = path.join(tempDir(), 'out');
      await restoreSnapshot(repository, backup.snapshotId, { target: out });
      expect(digestTree(out)).toEqual(digestTree(root));
      expect((await verifyRepository(repository, { mode: 'full' })).problems).toEqual([]);
    } finally {
      await backend.close();
      await proxy.close();
    }
  });

  it('the connection dropped for good: the backup fails cleanly and the repository stays valid', async (context) => {
    if (!target.local) {
      context.skip('connections are cut only on loopback, in front of the local server');
      return;
    }
    const root = tempDir();
    writeSampleTree(root);
    const port = Number(new URL(target.endpoint).port);
    const proxy = await startFlakyProxy(port);
    const settings = options({ endpoint: `http://127.0.0.1:${proxy.port}` });
    const backend = new S3Backend(settings);
    try {
      const repository = await Repository.init(backend, PASSWORD, { kdf: FAST_KDF });
      await backupSnapshot(repository, { root });
      writeFile(path.join(root, 'more/new.bin'), noise(9 * MiB, 23));
      proxy.cutAfter(2 * MiB);
      proxy.refuse(true);
      const failure = await backupSnapshot(repository, { root }).catch((e) => e);
      expect(failure).toBeInstanceOf(TendFailure);
      expect(failure.code).toBe('DESTINATION_UNAVAILABLE');
      expect(failure.message).toContain(backend.location);
    } finally {
      await backend.close();
      await proxy.close();
    }
    const direct = new S3Backend({ ...settings, endpoint: target.endpoint });
    try {
      const repository = await Repository.open(direct, PASSWORD);
      expect(await listSnapshots(repository)).toHaveLength(1);
      expect((await verifyRepository(repository, { mode: 'full' })).problems).toEqual([]);
      const again = await backupSnapshot(repository, { root });
      expect(again.files.new).toBe(1);
    } finally {
      await direct.close();
    }
    if (hasRestic) {
      const check = resticS3({ ...settings, endpoint: target.endpoint }, ['check', '--read-data']);
      expect(check.stdout + check.stderr).toContain('no errors were found');
    }
  });

  it('a bucket that fills up (its quota is reached): fails with the numbers, the repository stays valid', async (context) => {
    if (!target.local) {
      context.skip('a quota is staged only in front of the local server');
      return;
    }
    const root = tempDir();
    writeFile(path.join(root, 'notes.txt'), 'small\n');
    const port = Number(new URL(target.endpoint).port);
    const relay = await startQuotaRelay(port, 2 * MiB);
    const settings = options({ endpoint: `http://127.0.0.1:${relay.port}` });
    const backend = new S3Backend(settings);
    try {
      const repository = await Repository.init(backend, PASSWORD, { kdf: FAST_KDF });
      await backupSnapshot(repository, { root });
      writeFile(path.join(root, 'too-big.bin'), noise(3 * MiB, 24));
      const failure = await backupSnapshot(repository, { root }).catch((e) => e);
      expect(failure).toBeInstanceOf(TendFailure);
      expect(failure.code).toBe('NO_SPACE');
      expect(failure.details.neededBytes).toBeGreaterThan(3 * MiB);
      expect(failure.details.usedBytes).toBeGreaterThan(0);
      expect(failure.message).toMatch(
        /writing [\d.]+ (B|KiB|MiB) failed .* holds [\d.]+ (B|KiB|MiB)/,
      );
      expect((await verifyRepository(repository, { mode: 'full' })).problems).toEqual([]);
      expect(await listSnapshots(repository)).toHaveLength(1);
    } finally {
      await backend.close();
      await relay.close();
    }
  });
});
