import childProcess from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { backupSnapshot } from '../../../../src-main/engine/repository/snapshot-backup';
import { findSnapshot } from '../../../../src-main/engine/repository/snapshot-reader';
import { restoreSnapshot } from '../../../../src-main/engine/repository/snapshot-restore';
import { tempDir, writeFile } from '../../../support/temp-dir';
import { newRepository } from './repository-fixtures';

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
    vi.spyOn(childProcess, 'execFile').mockImplementation(((...args: unknown[]) => {
      const callback = args.at(-1) as (error: Error | null) => void;
      callback(new Error('sync: not supported'));
    }) as unknown as typeof childProcess.execFile);
    const synced = await fsyncedUnder(out, () =>
      restoreSnapshot(repository, backup.snapshotId, { target: out }),
    );
    const expected = [out, path.join(out, 'empty')];
    for (let d = 0; d < 3; d++) expected.push(path.join(out, `d${d}`));
    for (let i = 0; i < 30; i++) expected.push(path.join(out, `d${i % 3}`, `f${i}.txt`));
    expect(synced).toEqual(expected.sort());
  });
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
