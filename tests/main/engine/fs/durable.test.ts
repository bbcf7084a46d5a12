import childProcess, { type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  removeFileDurably,
  renameDurably,
  syncBatch,
  syncFile,
  syncFileSync,
  syncFolder,
  syncFolderSync,
  writeFileDurably,
  writeFileDurablySync,
} from '../../../../src-main/engine/fs/durable';

let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tend-durable-'));
});

afterEach(() => {
  vi.restoreAllMocks();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** What a folder holds after a write: only the names a reader should see. */
function names(): string[] {
  return fs.readdirSync(dir).sort();
}

/** The fds passed to fsync, as the paths they were open on. */
function watchFsyncs(): string[] {
  const synced: string[] = [];
  const real = fs.fsyncSync;
  vi.spyOn(fs, 'fsyncSync').mockImplementation((fd: number) => {
    synced.push(fs.readlinkSync(`/proc/self/fd/${fd}`));
    real(fd);
  });
  return synced;
}

const writers = [
  { name: 'writeFileDurably', write: writeFileDurably },
  {
    name: 'writeFileDurablySync',
    write: async (...args: Parameters<typeof writeFileDurablySync>) =>
      writeFileDurablySync(...args),
  },
] as const;

describe.each(writers)('$name', ({ write }) => {
  it.each([
    { case: 'a new file from text', before: null, content: 'hello\n', expected: 'hello\n' },
    { case: 'an old file replaced whole', before: 'old old old', content: 'new', expected: 'new' },
    {
      case: 'bytes as given',
      before: null,
      content: new Uint8Array([0, 255, 10]),
      expected: Buffer.from([0, 255, 10]).toString('latin1'),
    },
    { case: 'an empty file', before: 'x', content: '', expected: '' },
  ])('writes $case and leaves no temp file', async ({ before, content, expected }) => {
    const file = path.join(dir, 'settings.json');
    if (before !== null) fs.writeFileSync(file, before);
    await write(file, content);
    expect(fs.readFileSync(file).toString('latin1')).toBe(expected);
    expect(names()).toEqual(['settings.json']);
  });

  it.each([
    { case: 'the mode asked for', before: null, mode: 0o600, expected: 0o600 },
    { case: 'the replaced file’s mode', before: 0o640, mode: undefined, expected: 0o640 },
    { case: '0644 for a new file', before: null, mode: undefined, expected: 0o644 },
  ])('gives the file $case', async ({ before, mode, expected }) => {
    const file = path.join(dir, 'f');
    if (before !== null) {
      fs.writeFileSync(file, 'x');
      fs.chmodSync(file, before);
    }
    await write(file, 'y', { mode });
    expect(fs.statSync(file).mode & 0o777).toBe(expected);
  });

  it('makes missing folders unless told they must exist', async () => {
    const file = path.join(dir, 'a', 'b', 'c.json');
    await expect(write(file, '{}', { makeFolders: false })).rejects.toThrow(/ENOENT/);
    await write(file, '{}');
    expect(fs.readFileSync(file, 'utf8')).toBe('{}');
  });
});

describe('what is fsynced', () => {
  it('the blocking writer fsyncs the temp file, then the folder that holds the new name', () => {
    const synced = watchFsyncs();
    writeFileDurablySync(path.join(dir, 'journal.json'), 'x');
    expect(synced).toHaveLength(2);
    expect(synced[0]).toMatch(/\.journal\.json\..*\.partial$/);
    expect(synced[1]).toBe(dir);
  });

  it('the async writer fsyncs the temp file, then the folder that holds the new name', async () => {
    const synced: string[] = [];
    const realOpen = fsp.open;
    vi.spyOn(fsp, 'open').mockImplementation(async (...args: Parameters<typeof fsp.open>) => {
      const handle = await realOpen(...args);
      const realSync = handle.sync.bind(handle);
      handle.sync = async () => {
        synced.push(fs.readlinkSync(`/proc/self/fd/${handle.fd}`));
        await realSync();
      };
      return handle;
    });
    await writeFileDurably(path.join(dir, 'catalog.json'), 'x');
    expect(synced).toHaveLength(2);
    expect(synced[0]).toMatch(/\.catalog\.json\..*\.partial$/);
    expect(synced[1]).toBe(dir);
  });
});

describe('a crash before the rename', () => {
  it('leaves the old content when the write fails half-way (async)', async () => {
    const file = path.join(dir, 'catalog.json');
    fs.writeFileSync(file, 'the old content');
    const realOpen = fsp.open;
    vi.spyOn(fsp, 'open').mockImplementation(async (...args: Parameters<typeof fsp.open>) => {
      const handle = await realOpen(...args);
      // Half the bytes reach the temp file, then the disk fails.
      handle.writeFile = async (data) => {
        const bytes = Buffer.from(data as string);
        await handle.write(bytes.subarray(0, bytes.length >> 1));
        throw Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO' });
      };
      return handle;
    });
    await expect(writeFileDurably(file, 'the new content, much longer')).rejects.toThrow(/EIO/);
    expect(fs.readFileSync(file, 'utf8')).toBe('the old content');
    expect(names()).toEqual(['catalog.json']);
  });

  it('leaves the old content when the write fails half-way (blocking)', () => {
    const file = path.join(dir, 'journal.json');
    fs.writeFileSync(file, 'the old content');
    const realWrite = fs.writeSync;
    vi.spyOn(fs, 'writeFileSync').mockImplementation((fd, data) => {
      const bytes = Buffer.from(data as string);
      realWrite(fd as number, bytes, 0, bytes.length >> 1);
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), {
        code: 'ENOSPC',
      });
    });
    expect(() => writeFileDurablySync(file, 'the new content, much longer')).toThrow(/ENOSPC/);
    expect(fs.readFileSync(file, 'utf8')).toBe('the old content');
    expect(names()).toEqual(['journal.json']);
  });

  it('leaves the old content when the rename fails after a whole write', async () => {
    const file = path.join(dir, 'registry.json');
    fs.writeFileSync(file, 'old');
    vi.spyOn(fsp, 'rename').mockRejectedValue(
      Object.assign(new Error('EIO: i/o error, rename'), { code: 'EIO' }),
    );
    await expect(writeFileDurably(file, 'new')).rejects.toThrow(/EIO/);
    expect(fs.readFileSync(file, 'utf8')).toBe('old');
    expect(names()).toEqual(['registry.json']);
  });
});

describe('syncFolder and syncFile', () => {
  const refusals = ['EINVAL', 'EISDIR', 'EPERM', 'ENOTSUP'];

  it.each(refusals)(
    'a folder whose filesystem refuses fsync (%s) is not an error',
    async (code) => {
      vi.spyOn(fs, 'fsyncSync').mockImplementation(() => {
        throw Object.assign(new Error(code), { code });
      });
      expect(() => syncFolderSync(dir)).not.toThrow();
      const handleSync = vi.fn().mockRejectedValue(Object.assign(new Error(code), { code }));
      const realOpen = fsp.open;
      vi.spyOn(fsp, 'open').mockImplementation(async (...args: Parameters<typeof fsp.open>) => {
        const handle = await realOpen(...args);
        handle.sync = handleSync;
        return handle;
      });
      await expect(syncFolder(dir)).resolves.toBeUndefined();
      expect(handleSync).toHaveBeenCalled();
    },
  );

  it('a file whose fsync fails is an error: its bytes are the point', async () => {
    const file = path.join(dir, 'f');
    fs.writeFileSync(file, 'x');
    vi.spyOn(fs, 'fsyncSync').mockImplementation(() => {
      throw Object.assign(new Error('EIO: i/o error'), { code: 'EIO' });
    });
    expect(() => syncFileSync(file)).toThrow(/EIO/);
  });

  it.each([
    { case: 'a missing file', run: () => syncFile(path.join(dir, 'nothing')) },
    { case: 'a missing folder', run: () => syncFolder(path.join(dir, 'nothing')) },
  ])('$case is an error, not a silent success', async ({ run }) => {
    await expect(run()).rejects.toThrow(/ENOENT/);
  });
});

describe('renameDurably and removeFileDurably', () => {
  it('renames across folders and fsyncs both folders', async () => {
    fs.mkdirSync(path.join(dir, 'a'));
    fs.mkdirSync(path.join(dir, 'b'));
    fs.writeFileSync(path.join(dir, 'a', 'f'), 'x');
    const opened: string[] = [];
    const realOpen = fsp.open;
    vi.spyOn(fsp, 'open').mockImplementation(async (...args: Parameters<typeof fsp.open>) => {
      opened.push(String(args[0]));
      return realOpen(...args);
    });
    await renameDurably(path.join(dir, 'a', 'f'), path.join(dir, 'b', 'f'));
    expect(fs.readFileSync(path.join(dir, 'b', 'f'), 'utf8')).toBe('x');
    expect(opened).toEqual([path.join(dir, 'b'), path.join(dir, 'a')]);
  });

  it.each([
    {
      case: 'a file',
      make: (at: string) => fs.writeFileSync(at, 'x'),
      removed: true,
      after: false,
    },
    { case: 'nothing', make: () => undefined, removed: false, after: false },
    { case: 'a folder', make: (at: string) => fs.mkdirSync(at), removed: false, after: true },
    {
      case: 'a link to a file',
      make: (at: string) => {
        fs.writeFileSync(`${at}.target`, 'x');
        fs.symlinkSync(`${at}.target`, at);
      },
      removed: false,
      after: true,
    },
  ])('removes $case: $removed', async ({ make, removed, after }) => {
    const at = path.join(dir, 'f');
    make(at);
    expect(await removeFileDurably(at)).toBe(removed);
    expect(fs.lstatSync(at, { throwIfNoEntry: false }) !== undefined).toBe(after);
  });
});

describe('syncBatch', () => {
  it('syncs the filesystem of the anchor in one call on Linux, without the one-by-one work', async () => {
    const calls: string[][] = [];
    const real = childProcess.execFile;
    vi.spyOn(childProcess, 'execFile').mockImplementation(((...args: unknown[]) => {
      calls.push([args[0] as string, ...(args[1] as string[])]);
      return (real as (...a: unknown[]) => ChildProcess)(...args);
    }) as typeof childProcess.execFile);
    const each = vi.fn();
    const how = await syncBatch(dir, each);
    expect(how).toBe(process.platform === 'linux' ? 'filesystem' : 'each');
    if (process.platform === 'linux') {
      expect(calls).toEqual([['sync', '--file-system', dir]]);
      expect(each).not.toHaveBeenCalled();
    }
  });

  it('falls back to one by one when the batch fails, and reports a failure of that', async () => {
    vi.spyOn(childProcess, 'execFile').mockImplementation(((...args: unknown[]) => {
      const callback = args[2] as (error: Error | null) => void;
      callback(new Error('sync: unrecognized option --file-system'));
      return {} as ChildProcess;
    }) as typeof childProcess.execFile);
    const each = vi.fn();
    expect(await syncBatch(dir, each)).toBe('each');
    expect(each).toHaveBeenCalledOnce();
    const failing = () => {
      throw Object.assign(new Error('EIO: i/o error'), { code: 'EIO' });
    };
    await expect(syncBatch(dir, failing)).rejects.toThrow(/EIO/);
  });
});
