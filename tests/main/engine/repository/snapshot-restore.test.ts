import childProcess from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TendFailure } from '../../../../src-shared/errors';
import { MasterIndex } from '../../../../src-main/engine/repository/master-index';
import { backupSnapshot } from '../../../../src-main/engine/repository/snapshot-backup';
import { findSnapshot, TreeReader } from '../../../../src-main/engine/repository/snapshot-reader';
import {
  packReadRanges,
  restoreSnapshot,
} from '../../../../src-main/engine/repository/snapshot-restore';
import { tempDir, writeFile } from '../../../support/temp-dir';
import { flipPackByte, newRepository, noise, writeSampleTree } from './repository-fixtures';

/** A backed-up tree of 30 small files in three folders, and where to restore it. */
async function backedUpTree() {
  const root = tempDir();
  for (let i = 0; i < 30; i++) writeFile(path.join(root, `d${i % 3}`, `f${i}.txt`), `file ${i}\n`);
  writeFile(path.join(root, 'empty'), '');
  const repository = await newRepository(path.join(tempDir(), 'repo'));
  const backup = await backupSnapshot(repository, { root });
  return { root, repository, backup, out: path.join(tempDir(), 'out') };
}

/** Paths fsynced (through fs.fsyncSync) while `run` runs, beneath `under`. */
/** Makes `sync --file-system` fail, as where it is missing: the restore fsyncs one by one. */
function failFilesystemSync(): void {
  vi.spyOn(childProcess, 'execFile').mockImplementation(((...args: unknown[]) => {
    const callback = args.at(-1) as (error: Error | null) => void;
    callback(new Error('sync: not supported'));
  }) as unknown as typeof childProcess.execFile);
}

async function fsyncedUnder(under: string, run: () => Promise<unknown>): Promise<string[]> {
  const synced: string[] = [];
  const real = fs.fsyncSync;
  vi.spyOn(fs, 'fsyncSync').mockImplementation((fd: number) => {
    synced.push(fs.readlinkSync(`/proc/self/fd/${fd}`));
    real(fd);
  });
  await run();
  return synced.filter((file) => file === under || file.startsWith(`${under}${path.sep}`)).sort();
}

describe.runIf(process.platform === 'linux')('restoreSnapshot durability', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('makes the whole restore durable with one filesystem sync, not an fsync per file', async () => {
    const { repository, backup, out } = await backedUpTree();
    const synced = await fsyncedUnder(out, () =>
      restoreSnapshot(repository, backup.snapshotId, { target: out }),
    );
    expect(synced).toEqual([]);
    expect(fs.readFileSync(path.join(out, 'd1', 'f4.txt'), 'utf8')).toBe('file 4\n');
  });

  it('fsyncs every file and folder one by one when the filesystem sync fails', async () => {
    const { repository, backup, out } = await backedUpTree();
    failFilesystemSync();
    const synced = await fsyncedUnder(out, () =>
      restoreSnapshot(repository, backup.snapshotId, { target: out }),
    );
    const expected = [out, path.join(out, 'empty')];
    for (let d = 0; d < 3; d++) expected.push(path.join(out, `d${d}`));
    for (let i = 0; i < 30; i++) expected.push(path.join(out, `d${i % 3}`, `f${i}.txt`));
    expect(synced).toEqual(expected.sort());
  });

  it('fsyncs the files the writer threads wrote too when the filesystem sync fails', async () => {
    const { repository, backup, out } = await backedUpTree();
    failFilesystemSync();
    const synced = await fsyncedUnder(out, () =>
      restoreSnapshot(repository, backup.snapshotId, { target: out, writers: 2 }),
    );
    expect(synced).toContain(path.join(out, 'empty'));
    for (let i = 0; i < 30; i++) expect(synced).toContain(path.join(out, `d${i % 3}`, `f${i}.txt`));
  });
});

/** Each restored file under `root`: its bytes, mode and times. */
function restoredFiles(root: string, relatives: ReadonlyArray<string>) {
  return relatives.map((relative) => {
    const stat = fs.statSync(path.join(root, relative));
    return {
      relative,
      bytes: fs.readFileSync(path.join(root, relative)).toString('base64'),
      mode: stat.mode & 0o7777,
      mtimeMs: stat.mtimeMs,
      atimeMs: stat.atimeMs,
    };
  });
}

describe('restoreSnapshot with writer threads', () => {
  it('writes small files in the threads exactly as on this thread: bytes, modes, times', async () => {
    const root = tempDir();
    const relatives: string[] = [];
    const modes = [0o600, 0o644, 0o755, 0o640, 0o444];
    for (let i = 0; i < 60; i++) {
      const relative = `d${i % 4}/f${i}.txt`;
      writeFile(path.join(root, relative), `file ${i}\n${'y'.repeat(i * 101)}`);
      fs.chmodSync(path.join(root, relative), modes[i % modes.length]!);
      fs.utimesSync(path.join(root, relative), 1_600_000_000 + i / 8, 1_700_000_000 + i / 4);
      relatives.push(relative);
    }
    writeFile(path.join(root, 'empty'), '');
    // Several blobs (created here, handed to the threads by descriptor) beside the one-blob
    // files (created in the threads).
    writeFile(path.join(root, 'big.bin'), randomBytes(3 * 1024 * 1024));
    relatives.push('empty', 'big.bin');
    const repository = await newRepository(path.join(tempDir(), 'repo'));
    const backup = await backupSnapshot(repository, { root });

    const restored = [];
    for (const writers of [0, 2]) {
      const out = path.join(tempDir(), `out-${writers}`);
      const result = await restoreSnapshot(repository, backup.snapshotId, { target: out, writers });
      expect(result.files).toBe(relatives.length);
      restored.push(restoredFiles(out, relatives));
    }
    expect(restored[1]).toEqual(restored[0]);
    const source = restoredFiles(root, relatives);
    for (const [i, file] of restored[1]!.entries()) {
      expect(file.bytes).toBe(source[i]!.bytes);
      expect(file.mode).toBe(source[i]!.mode);
      // Times go through a double of seconds (microseconds kept), as on this thread.
      expect(file.mtimeMs).toBeCloseTo(source[i]!.mtimeMs, 2);
    }
  });
});

/** Every regular file under `root`, root-relative, sorted. */
function filesUnder(root: string): string[] {
  return (fs.readdirSync(root, { recursive: true }) as string[])
    .filter((relative) => fs.lstatSync(path.join(root, relative)).isFile())
    .sort();
}

describe('restoreSnapshot with decode threads', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('opens blobs in the threads exactly as on this thread: bytes, modes, times', async () => {
    const root = tempDir();
    writeSampleTree(root);
    // Several batches of blobs: a 5 MiB file cut by FastCDC beside the database's pages.
    writeFile(path.join(root, 'local_data/models/more.bin'), noise(5 * 1024 * 1024, 11));
    const repository = await newRepository(path.join(tempDir(), 'repo'));
    const backup = await backupSnapshot(repository, { root });
    const relatives = filesUnder(root).filter((relative) => !relative.startsWith('.tend'));

    const restored = [];
    const openedHere: number[] = [];
    for (const decoders of [0, 1, 2]) {
      const out = path.join(tempDir(), `out-${decoders}`);
      const decode = vi.spyOn(repository, 'decodeBlob');
      const result = await restoreSnapshot(repository, backup.snapshotId, {
        target: out,
        decoders,
      });
      openedHere.push(decode.mock.calls.length);
      decode.mockRestore();
      expect(result.files).toBe(relatives.length);
      expect(filesUnder(out)).toEqual(relatives);
      restored.push(restoredFiles(out, relatives));
    }
    expect(restored[1]).toEqual(restored[0]);
    expect(restored[2]).toEqual(restored[0]);
    const source = restoredFiles(root, relatives);
    for (const [i, file] of restored[0]!.entries()) {
      expect(file.bytes).toBe(source[i]!.bytes);
      expect(file.mode).toBe(source[i]!.mode);
      expect(file.mtimeMs).toBeCloseTo(source[i]!.mtimeMs, 2);
    }
    // The first batches go to the threads: fewer blobs are opened on this thread.
    expect(openedHere[1]).toBeLessThan(openedHere[0]!);
    expect(openedHere[2]).toBeLessThan(openedHere[0]!);
  });

  it('stops with the damaged blob named when a thread finds it, and ends its threads', async () => {
    const root = tempDir();
    writeSampleTree(root);
    const repoDir = path.join(tempDir(), 'repo');
    const repository = await newRepository(repoDir);
    const backup = await backupSnapshot(repository, { root });
    const index = await repository.loadIndex();
    const node = await new TreeReader(repository, index).find(
      backup.tree,
      'local_data/models/weights.bin',
    );
    // The pack's first blob: in the first batch, which always goes to a thread.
    const { packId } = index.lookup('data', node!.content![0]!)!;
    const first = [...index.packs().get(packId)!].sort((a, b) => a.offset - b.offset)[0]!;
    flipPackByte(repoDir, packId, first.offset + 20);

    const decode = vi.spyOn(repository, 'decodeBlob');
    const failure = await restoreSnapshot(repository, backup.snapshotId, {
      target: path.join(tempDir(), 'out'),
      decoders: 1,
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TendFailure);
    expect((failure as TendFailure).code).toBe('BACKUP_CORRUPT');
    expect((failure as TendFailure).message).toContain(`Blob ${first.id} in pack ${packId}`);
    // Found by the thread, not by this one.
    expect(decode.mock.calls.map(([, blob]) => blob.id)).not.toContain(first.id);
  });
});

describe('packReadRanges', () => {
  const blob = (offset: number, length: number) => ({
    id: `${offset}`.padStart(64, '0'),
    type: 'data' as const,
    offset,
    length,
    uncompressedLength: 0,
  });
  const cases: Array<{
    name: string;
    blobs: Array<[number, number]>;
    ranges: Array<[number, number, number]>;
  }> = [
    { name: 'one blob', blobs: [[100, 50]], ranges: [[100, 50, 1]] },
    {
      name: 'close blobs together, in offset order',
      blobs: [
        [300, 100],
        [0, 100],
        [150, 100],
      ],
      ranges: [[0, 400, 3]],
    },
    {
      name: 'blobs further apart than the gap apart',
      blobs: [
        [0, 100],
        [1000, 100],
      ],
      ranges: [
        [0, 100, 1],
        [1000, 100, 1],
      ],
    },
    {
      name: 'a new read where one would grow past the longest',
      blobs: [
        [0, 400],
        [400, 400],
        [800, 400],
      ],
      ranges: [
        [0, 800, 2],
        [800, 400, 1],
      ],
    },
    {
      name: 'a blob longer than the longest read, alone and whole',
      blobs: [
        [0, 100],
        [100, 2000],
        [2100, 100],
      ],
      ranges: [
        [0, 100, 1],
        [100, 2000, 1],
        [2100, 100, 1],
      ],
    },
  ];
  for (const { name, blobs, ranges } of cases) {
    it(name, () => {
      const read = packReadRanges(
        blobs.map(([offset, length]) => blob(offset, length)),
        500,
        1000,
      );
      expect(read.map((range) => [range.offset, range.length, range.blobs.length])).toEqual(ranges);
    });
  }
});

describe('findSnapshot', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('reads only the named snapshot for a full id, and every one for a prefix or latest', async () => {
    const root = tempDir();
    writeFile(path.join(root, 'a.txt'), 'a\n');
    const repository = await newRepository(path.join(tempDir(), 'repo'));
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      writeFile(path.join(root, 'a.txt'), `version ${i}\n`);
      ids.push((await backupSnapshot(repository, { root })).snapshotId);
    }
    const reads: string[] = [];
    const read = repository.backend.read.bind(repository.backend);
    vi.spyOn(repository.backend, 'read').mockImplementation((handle, range) => {
      if (handle.type === 'snapshots') reads.push(handle.name);
      return read(handle, range);
    });

    expect((await findSnapshot(repository, ids[1]!.toUpperCase())).id).toBe(ids[1]);
    expect(reads).toEqual([ids[1]]);
    reads.length = 0;
    expect((await findSnapshot(repository, ids[2]!.slice(0, 8))).id).toBe(ids[2]);
    expect(reads).toHaveLength(3);
    await expect(findSnapshot(repository, 'f'.repeat(64))).rejects.toMatchObject({
      code: 'BACKUP_NOT_FOUND',
    });
  });
});

describe('restoreSnapshot target', () => {
  it('refuses a file as the target with RESTORE_TARGET_NOT_EMPTY, and leaves it alone', async () => {
    const { repository, backup } = await backedUpTree();
    const file = path.join(tempDir(), 'a-file');
    writeFile(file, 'mine\n');
    await expect(
      restoreSnapshot(repository, backup.snapshotId, { target: file }),
    ).rejects.toMatchObject({
      code: 'RESTORE_TARGET_NOT_EMPTY',
      message: expect.stringMatching(/is a file/),
    });
    expect(fs.readFileSync(file, 'utf8')).toBe('mine\n');
  });

  it('refuses a path the snapshot lacks, or a blob no index lists, before making the target', async () => {
    const { repository, backup, out } = await backedUpTree();
    await expect(
      restoreSnapshot(repository, backup.snapshotId, { target: out, path: 'd1/missing.txt' }),
    ).rejects.toMatchObject({ code: 'BACKUP_NOT_FOUND' });
    expect(fs.existsSync(out)).toBe(false);

    const lookup = MasterIndex.prototype.lookup;
    vi.spyOn(MasterIndex.prototype, 'lookup').mockImplementation(function (
      this: MasterIndex,
      type,
      id,
    ) {
      return type === 'data' ? undefined : lookup.call(this, type, id);
    });
    await expect(restoreSnapshot(repository, backup.snapshotId, { target: out })).rejects.toThrow(
      /needs blob [0-9a-f]{64}, which no index lists/,
    );
    expect(fs.existsSync(out)).toBe(false);
    vi.restoreAllMocks();
  });

  it('refuses a target that is not empty before it walks the snapshot', async () => {
    const { repository, backup, out } = await backedUpTree();
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'mine.txt'), 'kept\n');
    // A path the snapshot lacks would fail the walk: the target's refusal comes first.
    await expect(
      restoreSnapshot(repository, backup.snapshotId, { target: out, path: 'd1/missing.txt' }),
    ).rejects.toMatchObject({ code: 'RESTORE_TARGET_NOT_EMPTY' });
    expect(fs.readdirSync(out)).toEqual(['mine.txt']);
    expect(fs.readFileSync(path.join(out, 'mine.txt'), 'utf8')).toBe('kept\n');
  });

  it('refuses a target whose parent folder is missing with PATH_PARENT_MISSING, making nothing', async () => {
    const { repository, backup } = await backedUpTree();
    const missing = path.join(tempDir(), 'no-such-folder');
    await expect(
      restoreSnapshot(repository, backup.snapshotId, { target: path.join(missing, 'out') }),
    ).rejects.toMatchObject({ code: 'PATH_PARENT_MISSING' });
    expect(fs.existsSync(missing)).toBe(false);
  });

  it('makes a new target folder inside an existing one', async () => {
    const { repository, backup, out } = await backedUpTree();
    await restoreSnapshot(repository, backup.snapshotId, { target: out });
    expect(fs.readFileSync(path.join(out, 'd0', 'f3.txt'), 'utf8')).toBe('file 3\n');
  });
});
