/**
 * Sealing blobs off the main thread (issue 12, first backup speed): the sealing workers seal
 * what the main thread would, a backup through them makes the same snapshot and the same pack
 * layout as one sealed on the main thread, and a worker that cannot start or dies leaves its
 * batches to the main thread.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import {
  BlobSealerPool,
  sealingWorkers,
} from '../../../../src-main/engine/repository/blob-sealer-pool';
import { sealBatch, type PlainBatch } from '../../../../src-main/engine/repository/blob-sealing';
import { newRandomKey, open } from '../../../../src-main/engine/repository/restic-crypto';
import { backupSnapshot } from '../../../../src-main/engine/repository/snapshot-backup';
import { zstdDecompress } from '../../../../src-main/engine/repository/zstd';
import { tempDir } from '../../../support/temp-dir';
import { newRepository, noise, writeSampleTree } from './repository-fixtures';

/** Three blobs back to back: compressible text, random bytes (kept uncompressed) and an empty one. */
function sampleBatch(): { batch: PlainBatch; blobs: Buffer[] } {
  const blobs = [Buffer.from('tend '.repeat(2000)), noise(5000, 3), Buffer.alloc(0)];
  const ends: number[] = [];
  let end = 0;
  for (const blob of blobs) ends.push((end += blob.length));
  return { batch: { data: Buffer.concat(blobs), ends }, blobs };
}

/** The plaintexts a sealed batch opens to. */
function openAll(
  key: ReturnType<typeof newRandomKey>,
  sealed: ReturnType<typeof sealBatch>,
): Buffer[] {
  let start = 0;
  return sealed.ends.map((end, i) => {
    const body = open(key, sealed.data.subarray(start, end));
    start = end;
    return sealed.uncompressedLengths[i] ? zstdDecompress(body) : body;
  });
}

describe('sealing blobs', () => {
  it('uses the cores beside the main thread, at most two', () => {
    expect([1, 2, 3, 8].map((cores) => sealingWorkers(cores))).toEqual([0, 1, 2, 2]);
  });

  it('compresses where it saves bytes and seals each blob of a batch in order', () => {
    const key = newRandomKey();
    const { batch, blobs } = sampleBatch();
    const sealed = sealBatch(key, true, batch);
    expect(sealed.uncompressedLengths).toEqual([10000, 0, 0]);
    expect(openAll(key, sealed)).toEqual(blobs);
  });

  it('seals on worker threads what this thread would', async () => {
    const key = newRandomKey();
    const pool = new BlobSealerPool(key, true, { workers: 2, inThreadBytes: 0 });
    try {
      expect(await pool.whenReady()).toBe(2);
      const runs = await Promise.all([1, 2, 3, 4].map(() => pool.seal(sampleBatch().batch)));
      for (const sealed of runs) expect(openAll(key, sealed)).toEqual(sampleBatch().blobs);
      expect(pool.counts).toEqual({ workers: 4, inThread: 0 });
    } finally {
      await pool.close();
    }
  });

  it('seals the first bytes on this thread and starts no worker for them', async () => {
    const key = newRandomKey();
    let started = 0;
    const pool = new BlobSealerPool(key, true, {
      workers: 2,
      start: () => {
        started += 1;
        throw new Error('not expected');
      },
    });
    await pool.seal(sampleBatch().batch);
    await pool.close();
    expect(started).toBe(0);
    expect(pool.counts).toEqual({ workers: 0, inThread: 1 });
  });

  it('seals on this thread until a worker is ready', async () => {
    const key = newRandomKey();
    // A worker that never says it is ready.
    const pool = new BlobSealerPool(key, true, {
      workers: 1,
      inThreadBytes: 0,
      start: () => new Worker('setInterval(() => {}, 1000);', { eval: true }),
    });
    const sealed = await pool.seal(sampleBatch().batch);
    await pool.close();
    expect(openAll(key, sealed)).toEqual(sampleBatch().blobs);
    expect(pool.counts).toEqual({ workers: 0, inThread: 1 });
  });

  it('rejects, unsealed, the batches still waiting when it is closed (a cancelled backup)', async () => {
    const key = newRandomKey();
    // A worker that says it is ready and never answers.
    const pool = new BlobSealerPool(key, true, {
      workers: 1,
      inThreadBytes: 0,
      start: () =>
        new Worker(
          "const { parentPort } = require('node:worker_threads'); parentPort.postMessage({ ready: true }); parentPort.on('message', () => {});",
          { eval: true },
        ),
    });
    expect(await pool.whenReady()).toBe(1);
    const outcome = pool.seal(sampleBatch().batch).then(
      () => 'sealed',
      (error: Error) => error.message,
    );
    await pool.close();
    expect(await outcome).toMatch(/stopped/);
    expect(pool.counts).toEqual({ workers: 0, inThread: 0 });
  });

  it('seals on this thread when a worker cannot start', async () => {
    const key = newRandomKey();
    const pool = new BlobSealerPool(key, true, {
      workers: 2,
      inThreadBytes: 0,
      start: () => {
        throw new Error('blob-seal-worker.js is missing');
      },
    });
    const sealed = await pool.seal(sampleBatch().batch);
    await pool.close();
    expect(openAll(key, sealed)).toEqual(sampleBatch().blobs);
    expect(pool.counts).toEqual({ workers: 0, inThread: 1 });
  });

  it('seals on this thread what a worker that died was given', async () => {
    const key = newRandomKey();
    // A worker that says it is ready, then exits as soon as it gets a batch, without answering.
    const pool = new BlobSealerPool(key, true, {
      workers: 1,
      inThreadBytes: 0,
      start: () =>
        new Worker(
          "const { parentPort } = require('node:worker_threads'); parentPort.postMessage({ ready: true }); parentPort.on('message', () => process.exit(3));",
          { eval: true },
        ),
    });
    expect(await pool.whenReady()).toBe(1);
    const sealed = await Promise.all([
      pool.seal(sampleBatch().batch),
      pool.seal(sampleBatch().batch),
    ]);
    const after = await pool.seal(sampleBatch().batch);
    await pool.close();
    for (const batch of [...sealed, after])
      expect(openAll(key, batch)).toEqual(sampleBatch().blobs);
    expect(pool.counts).toEqual({ workers: 0, inThread: 3 });
  });

  it('backs up through the workers into the same snapshot and pack layout as on this thread', async () => {
    const base = tempDir();
    const root = path.join(base, 'root');
    writeSampleTree(root);
    const layouts = [];
    // The first walk moves the folders' access times (relatime); the trees compared come after.
    for (const workers of [0, 0, 2]) {
      const repository = await newRepository(path.join(base, `repo-${layouts.length}`));
      // Small packs, so the order of blobs across several packs is compared too.
      const result = await backupSnapshot(repository, {
        root,
        sealingWorkers: workers,
        packSize: 512 * 1024,
        time: new Date('2026-11-30T12:00:00Z'),
      });
      const index = await repository.loadIndex();
      const packs = [...index.packs().values()]
        .map((blobs) => blobs.map((blob) => `${blob.type}:${blob.id}`))
        .sort((a, b) => a[0]!.localeCompare(b[0]!));
      layouts.push({ tree: result.tree, packs, files: result.files });
    }
    expect(layouts[2]).toEqual(layouts[1]);
    expect(layouts[1]!.packs.length).toBeGreaterThan(2);
  });
});
