/**
 * Sealing files on a worker thread (file-sealer.ts, file-seal-worker.ts): the chunks are the
 * walk's own, each new one sealed once and opening to its bytes; the parent's chunks are only
 * hashed; one the repository lacks is read again from the file; a failure reaches the caller.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openBlob } from '../../../../src-main/engine/repository/blob-opening';
import { BlobWriter } from '../../../../src-main/engine/repository/blob-writer';
import { readChunks, type ChunkPlan } from '../../../../src-main/engine/repository/file-chunks';
import type { SealedBatch } from '../../../../src-main/engine/repository/file-seal-protocol';
import { FASTCDC_LIMITS } from '../../../../src-main/engine/repository/fastcdc';
import { FileSealer, storeSealedFile } from '../../../../src-main/engine/repository/file-sealer';
import type { Repository } from '../../../../src-main/engine/repository/repository';
import { hashId, type ResticId } from '../../../../src-main/engine/repository/restic-id';
import { tempDir, writeFile } from '../../../support/temp-dir';
import { hasRestic, newRepository, noise, restic } from './repository-fixtures';

const sealers: FileSealer[] = [];
afterEach(async () => {
  await Promise.all(sealers.splice(0).map((sealer) => sealer.stop()));
});

function sealerFor(repository: Repository): FileSealer {
  const sealer = new FileSealer(repository.masterKey, true);
  sealers.push(sealer);
  return sealer;
}

/** Every chunk of the batches: its id, plaintext length, and sealed bytes (null when not sealed). */
async function chunksOf(batches: AsyncIterable<SealedBatch>) {
  const chunks: Array<{
    id: ResticId;
    length: number;
    sealed: Buffer | null;
    uncompressedLength: number;
  }> = [];
  for await (const batch of batches) {
    const sealed = Buffer.from(batch.sealed);
    let at = 0;
    for (let i = 0; i < batch.layout.length / 3; i++) {
      const sealedLength = batch.layout[3 * i]!;
      chunks.push({
        id: batch.ids.slice(64 * i, 64 * i + 64),
        length: batch.layout[3 * i + 2]!,
        // A copy: the batch's buffer goes back to the thread once the next is asked for.
        sealed: sealedLength ? Buffer.from(sealed.subarray(at, at + sealedLength)) : null,
        uncompressedLength: batch.layout[3 * i + 1]!,
      });
      at += sealedLength;
    }
  }
  return chunks;
}

/** The chunks the walk itself would cut, as copies. */
async function walkChunks(file: string, plan: ChunkPlan): Promise<Buffer[]> {
  const chunks: Buffer[] = [];
  for await (const chunk of readChunks(file, plan)) chunks.push(Buffer.from(chunk));
  return chunks;
}

describe('a file sealer', () => {
  it('cuts a large file as the walk does and seals each chunk so that it opens to its bytes', async () => {
    const repository = await newRepository(path.join(tempDir(), 'repo'));
    const file = path.join(tempDir(), 'large.bin');
    // Text compresses (stored compressed), noise does not (stored as it is).
    writeFile(file, Buffer.concat([Buffer.from('tend '.repeat(600_000)), noise(5_000_000, 3)]));
    const plan: ChunkPlan = { kind: 'cdc', limits: FASTCDC_LIMITS };
    const expected = await walkChunks(file, plan);
    expect(expected.length).toBeGreaterThan(3);

    const sealer = sealerFor(repository);
    const chunks = await chunksOf(sealer.seal(file, plan, [], 0).batches);
    expect(chunks.map((chunk) => chunk.id)).toEqual(expected.map((chunk) => hashId(chunk)));
    expect(chunks.some((chunk) => chunk.uncompressedLength > 0)).toBe(true);
    expect(chunks.some((chunk) => chunk.sealed && chunk.uncompressedLength === 0)).toBe(true);
    chunks.forEach((chunk, i) => {
      expect(chunk.length).toBe(expected[i]!.length);
      const opened = openBlob(repository.masterKey, chunk.sealed!, chunk);
      expect(opened.equals(expected[i]!)).toBe(true);
    });
  });

  it('seals a repeated block once and only hashes the blocks of the parent’s content', async () => {
    const repository = await newRepository(path.join(tempDir(), 'repo'));
    // Not a SQLite header, so a database plan cuts it in 4 KiB blocks: A B A C, and a short end.
    const [a, b, c] = [noise(4096, 1), noise(4096, 2), noise(4096, 3)];
    const file = path.join(tempDir(), 'copy.db');
    writeFile(file, Buffer.concat([a, b, a, c, noise(100, 4)]));
    const sealer = sealerFor(repository);
    const chunks = await chunksOf(sealer.seal(file, 'database', [hashId(c)], 0).batches);
    expect(chunks.map((chunk) => chunk.id)).toEqual(
      [a, b, a, c].map((block) => hashId(block)).concat(chunks[4]!.id),
    );
    expect(chunks.map((chunk) => chunk.length)).toEqual([4096, 4096, 4096, 4096, 100]);
    expect(chunks.map((chunk) => chunk.sealed !== null)).toEqual([true, true, false, false, true]);
  });

  it('seals the new blocks after batches of the parent’s blocks only hashed', async () => {
    const repository = await newRepository(path.join(tempDir(), 'repo'));
    // 1,100 blocks of the parent (more than a batch holds), then 1,100 new ones, twice over.
    const old = Array.from({ length: 1100 }, (_, i) => noise(4096, i + 1));
    const fresh = Array.from({ length: 1100 }, (_, i) => noise(4096, i + 5000));
    const file = path.join(tempDir(), 'copy.db');
    writeFile(
      file,
      Buffer.concat([...old, ...fresh, ...old, ...fresh.map((b) => noise(4096, b[0]! + 9e3))]),
    );
    const sealer = sealerFor(repository);
    const previous = old.map((block) => hashId(block));
    const chunks = await chunksOf(sealer.seal(file, 'database', previous, 0).batches);
    expect(chunks).toHaveLength(4400);
    expect(chunks.filter((chunk) => chunk.sealed).length).toBeGreaterThan(1100);
    expect(chunks.slice(0, 1100).every((chunk) => !chunk.sealed)).toBe(true);
    expect(chunks.slice(1100, 2200).every((chunk) => chunk.sealed)).toBe(true);
    chunks.slice(1100, 2200).forEach((chunk, i) => {
      expect(openBlob(repository.masterKey, chunk.sealed!, chunk).equals(fresh[i]!)).toBe(true);
    });
  });

  it('stores what it sealed, and reads again from the file a parent’s chunk the repository lacks', async () => {
    const repoDir = path.join(tempDir(), 'repo');
    const repository = await newRepository(repoDir);
    const blocks = Array.from({ length: 600 }, (_, i) => noise(4096, i + 10));
    const file = path.join(tempDir(), 'copy.db');
    writeFile(file, Buffer.concat(blocks));
    const writer = new BlobWriter(repository, await repository.loadIndex());
    const sealer = sealerFor(repository);
    // Two of the "parent's" blocks are not in this (empty) repository.
    const missing = [hashId(blocks[7]!), hashId(blocks[599]!)];
    let counted = 0;
    const stored = await storeSealedFile(
      writer,
      sealer.seal(file, 'database', missing, 0).batches,
      file,
      (length) => (counted += length),
    );
    await writer.flush();
    expect(stored.size).toBe(600 * 4096);
    expect(counted).toBe(600 * 4096);
    expect(stored.content).toEqual(blocks.map((block) => hashId(block)));
    expect(writer.totals.blobsAdded).toBe(600);
    const index = await repository.loadIndex();
    for (const i of [0, 7, 300, 599]) {
      expect(
        (await repository.readBlob(index, 'data', hashId(blocks[i]!))).equals(blocks[i]!),
      ).toBe(true);
    }
    if (hasRestic) {
      const check = restic(repoDir, ['check', '--read-data']);
      expect(check.stderr + check.stdout).toContain('no errors were found');
    }
  });

  it('refuses a chunk read again that is not what its id says', async () => {
    const repository = await newRepository(path.join(tempDir(), 'repo'));
    const blocks = [noise(4096, 1), noise(4096, 2)];
    const file = path.join(tempDir(), 'copy.db');
    writeFile(file, Buffer.concat(blocks));
    const writer = new BlobWriter(repository, await repository.loadIndex());
    const sealer = sealerFor(repository);
    const batches = sealer.seal(file, 'database', [hashId(blocks[1]!)], 0).batches;
    // The file changes after it was hashed and before its unsealed block is read again.
    const changed = (async function* () {
      for await (const batch of batches) {
        fs.writeFileSync(file, Buffer.concat([blocks[0]!, noise(4096, 9)]));
        yield batch;
      }
    })();
    await expect(storeSealedFile(writer, changed, file, () => {})).rejects.toMatchObject({
      code: 'ECHANGED',
    });
  });

  it('fails the task of a file that is gone, and goes on with the next', async () => {
    const repository = await newRepository(path.join(tempDir(), 'repo'));
    const sealer = sealerFor(repository);
    const plan: ChunkPlan = { kind: 'cdc', limits: FASTCDC_LIMITS };
    const gone = sealer.seal(path.join(tempDir(), 'gone.bin'), plan, [], 0).batches;
    const file = path.join(tempDir(), 'there.bin');
    writeFile(file, noise(700 * 1024, 5));
    const there = sealer.seal(file, plan, [], 0).batches;
    await expect(chunksOf(gone)).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await chunksOf(there)).length).toBeGreaterThan(0);
  });

  it('drops a file called off, stops one under way, and goes on with the next', async () => {
    const repository = await newRepository(path.join(tempDir(), 'repo'));
    const sealer = sealerFor(repository);
    const plan: ChunkPlan = { kind: 'cdc', limits: FASTCDC_LIMITS };
    const large = path.join(tempDir(), 'large.bin');
    writeFile(large, noise(24 * 1024 * 1024, 7));
    const small = path.join(tempDir(), 'small.bin');
    writeFile(small, noise(700 * 1024, 8));
    const underWay = sealer.seal(large, plan, [], 24 << 20);
    const queued = sealer.seal(large, plan, [], 24 << 20);
    const next = sealer.seal(small, plan, [], 700 << 10);
    expect(sealer.queuedBytes).toBe((48 << 20) + (700 << 10));
    // One batch taken, the rest (the thread waits on them) let go: the thread is not held up.
    expect((await underWay.batches.next()).done).toBe(false);
    underWay.cancel();
    queued.cancel();
    expect(sealer.queuedBytes).toBe(700 << 10);
    await expect(chunksOf(queued.batches)).rejects.toThrow(/called off/);
    const chunks = await chunksOf(next.batches);
    expect(chunks.map((chunk) => chunk.id)).toEqual([hashId(fs.readFileSync(small))]);
    expect(sealer.queuedBytes).toBe(0);
  });

  it('rejects the chunks not yet taken once it is stopped', async () => {
    const repository = await newRepository(path.join(tempDir(), 'repo'));
    const sealer = sealerFor(repository);
    const file = path.join(tempDir(), 'large.bin');
    writeFile(file, noise(12 * 1024 * 1024, 6));
    const batches = sealer.seal(file, { kind: 'cdc', limits: FASTCDC_LIMITS }, [], 0).batches;
    const first = await batches.next();
    expect(first.done).toBe(false);
    await sealer.stop();
    await expect(chunksOf(batches)).rejects.toThrow(/stopped/);
    await expect(chunksOf(sealer.seal(file, 'database', [], 0).batches)).rejects.toThrow(/stopped/);
  });
});
