/**
 * Small blobs sealed in batches on the file-seal thread (blob-batcher.ts): every blob, data or
 * tree, is stored once and reads back as it was saved, whether its batch went to the thread or
 * the walk sealed it itself (the thread busy); a failure of the thread reaches `finish`; and a
 * backup of a tree of many small files restores byte for byte and passes restic's check.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BlobBatcher } from '../../../../src-main/engine/repository/blob-batcher';
import { BlobWriter } from '../../../../src-main/engine/repository/blob-writer';
import { FileSealer } from '../../../../src-main/engine/repository/file-sealer';
import type { BlobType } from '../../../../src-main/engine/repository/pack-format';
import type { Repository } from '../../../../src-main/engine/repository/repository';
import { hashId } from '../../../../src-main/engine/repository/restic-id';
import { backupSnapshot } from '../../../../src-main/engine/repository/snapshot-backup';
import { restoreSnapshot } from '../../../../src-main/engine/repository/snapshot-restore';
import { tempDir, writeFile } from '../../../support/temp-dir';
import { digestTree, hasRestic, newRepository, noise, restic } from './repository-fixtures';

const sealers: FileSealer[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(sealers.splice(0).map((sealer) => sealer.stop()));
});

/** 300 blobs of 1–9 KiB, about a third of them compressible, and every tenth saved twice. */
function sampleBlobs(): Array<{ type: BlobType; bytes: Buffer }> {
  const blobs: Array<{ type: BlobType; bytes: Buffer }> = [];
  for (let i = 0; i < 300; i++) {
    const size = 1024 + ((i * 2917) % 8192);
    const bytes = i % 3 === 0 ? Buffer.from(`line ${i}\n`.repeat(size / 8)) : noise(size, i + 1);
    blobs.push({ type: i % 7 === 0 ? 'tree' : 'data', bytes });
    if (i % 10 === 0)
      blobs.push({ type: i % 7 === 0 ? 'tree' : 'data', bytes: Buffer.from(bytes) });
  }
  return blobs;
}

async function batcherFor(repository: Repository, queueBytes: number) {
  const writer = new BlobWriter(repository, await repository.loadIndex(), { packSize: 64 * 1024 });
  const sealer = new FileSealer(repository.masterKey, true);
  sealers.push(sealer);
  const sealBlobs = vi.spyOn(sealer, 'sealBlobs');
  const batcher = new BlobBatcher(
    writer,
    () => sealer,
    (promise) => promise,
    { fromBytes: 16 * 1024, queueBytes },
  );
  return { writer, sealer, sealBlobs, batcher };
}

/** Saves the blobs, reusing one buffer as the walk does, and returns the ids given. */
async function saveAll(batcher: BlobBatcher, blobs: Array<{ type: BlobType; bytes: Buffer }>) {
  const reused = Buffer.alloc(16 * 1024);
  const ids: string[] = [];
  for (const { type, bytes } of blobs) {
    bytes.copy(reused);
    ids.push(await batcher.save(type, reused.subarray(0, bytes.length)));
    reused.fill(0xee);
  }
  return ids;
}

describe('small blobs sealed in batches', () => {
  for (const [label, queueBytes, onThread] of [
    ['on the sealer thread', 64 * 1024 * 1024, true],
    ['by the walk while the thread is busy', 0, false],
  ] as const) {
    it(`stores each blob once and reads it back as saved: ${label}`, async () => {
      const repoDir = path.join(tempDir(), 'repo');
      const repository = await newRepository(repoDir);
      const { writer, sealBlobs, batcher } = await batcherFor(repository, queueBytes);
      const blobs = sampleBlobs();
      const ids = await saveAll(batcher, blobs);
      await batcher.finish();
      await writer.flush();

      expect(ids).toEqual(blobs.map(({ bytes }) => hashId(bytes)));
      const unique = new Map(blobs.map((blob) => [`${blob.type}${hashId(blob.bytes)}`, blob]));
      expect(writer.totals.blobsAdded).toBe(unique.size);
      // Batches of up to 1 MiB: the 1.5 MiB past the first 16 KiB make two.
      expect(sealBlobs).toHaveBeenCalledTimes(onThread ? 2 : 0);
      const index = await repository.loadIndex();
      for (const { type, bytes } of unique.values()) {
        expect((await repository.readBlob(index, type, hashId(bytes))).equals(bytes)).toBe(true);
      }
      if (hasRestic) {
        const check = restic(repoDir, ['check', '--read-data']);
        expect(check.stderr + check.stdout).toContain('no errors were found');
      }
    });
  }

  for (const [label, queueBytes] of [
    ['on the sealer thread', 64 * 1024 * 1024],
    ['by the walk', 0],
  ] as const) {
    it(`keeps a batch being sent apart from blobs saved meanwhile (a folder's tree): ${label}`, async () => {
      const repoDir = path.join(tempDir(), 'repo');
      const repository = await newRepository(repoDir);
      const { writer, batcher } = await batcherFor(repository, queueBytes);
      const blobs: Array<{ type: BlobType; bytes: Buffer }> = [];
      const save = (type: BlobType, bytes: Buffer) => {
        blobs.push({ type, bytes });
        return batcher.save(type, bytes);
      };
      await save('data', noise(20 * 1024, 1));
      // Almost a whole batch, then a blob that does not fit: its save sends the batch, and
      // while that waits, trees are saved, as a folder's tree is once its large files are in.
      for (let i = 0; i < 3; i++) await save('data', noise(300 * 1024, 10 + i));
      const sending = save('data', noise(200 * 1024, 20));
      const meanwhile = [
        save('tree', noise(150 * 1024, 30)),
        save('tree', noise(500 * 1024, 31)),
        save('data', noise(400 * 1024, 32)),
      ];
      await Promise.all([sending, ...meanwhile]);
      await batcher.finish();
      await writer.flush();
      const index = await repository.loadIndex();
      for (const { type, bytes } of blobs) {
        expect((await repository.readBlob(index, type, hashId(bytes))).equals(bytes)).toBe(true);
      }
      if (hasRestic) {
        const check = restic(repoDir, ['check', '--read-data']);
        expect(check.stderr + check.stdout).toContain('no errors were found');
      }
    });
  }

  it('passes on a failure of the sealer thread to finish', async () => {
    const repository = await newRepository(path.join(tempDir(), 'repo'));
    const { sealer, batcher } = await batcherFor(repository, 64 * 1024 * 1024);
    await saveAll(batcher, sampleBlobs());
    await sealer.stop();
    await expect(batcher.finish()).rejects.toThrow(/sealer/);
  });
});

describe('a backup of a tree of many small files', () => {
  it('seals them on the thread, and restores byte for byte with Tend and with restic', async () => {
    const root = tempDir();
    // 1,500 files of 4–12 KiB in 40 folders (about 12 MiB, past the 8 MiB sealed on the walk's
    // thread before batches go to the sealer), a tenth of them copies of another.
    const own = (i: number) => noise(4096 + ((i * 4099) % 8192), i);
    for (let i = 0; i < 1500; i++) {
      const content = i % 10 === 9 ? own(i - 1) : own(i);
      writeFile(path.join(root, `folder-${i % 40}`, `sub-${i % 3}`, `file-${i}.bin`), content);
    }
    const repoDir = path.join(tempDir(), 'repo');
    const repository = await newRepository(repoDir);
    const sealBlobs = vi.spyOn(FileSealer.prototype, 'sealBlobs');
    const result = await backupSnapshot(repository, { root });
    expect(result.files.new).toBe(1500);
    expect(sealBlobs).toHaveBeenCalled();

    const out = path.join(tempDir(), 'out');
    await restoreSnapshot(repository, result.snapshotId, { target: out });
    expect(digestTree(out)).toEqual(digestTree(root));
    if (hasRestic) {
      const check = restic(repoDir, ['check', '--read-data']);
      expect(check.stderr + check.stdout).toContain('no errors were found');
      const byRestic = path.join(tempDir(), 'restic-out');
      restic(repoDir, ['restore', 'latest', '--target', byRestic]);
      expect(digestTree(byRestic)).toEqual(digestTree(root));
    }
    expect(fs.readdirSync(root)).toHaveLength(40);
  });
});
