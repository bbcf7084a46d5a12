import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FileWriters } from '../../../../src-main/engine/fs/file-writers';
import { RestoreFileWriter } from '../../../../src-main/engine/repository/restore-file-writer';
import type { TreeNode } from '../../../../src-main/engine/repository/tree-node';

const MTIME = 1_700_000_000n * 1_000_000_000n;

function fileNode(name: string, blobs: number, mode = 0o640): TreeNode {
  return {
    name,
    type: 'file',
    mode,
    mtime: MTIME,
    atime: MTIME,
    ctime: MTIME,
    uid: 0,
    gid: 0,
    content: Array.from({ length: blobs }, (_, i) => `${i}`.padStart(64, '0')),
  };
}

describe('RestoreFileWriter', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tend-writer-'));
  });
  afterEach(() => {
    vi.restoreAllMocks();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes blobs in any order, gives each file its mode and time when its last blob is in', () => {
    const files = [
      { path: path.join(dir, 'a'), node: fileNode('a', 3) },
      { path: path.join(dir, 'b'), node: fileNode('b', 1, 0o600) },
    ];
    const writer = new RestoreFileWriter(files);
    writer.write(0, Buffer.from('cc'), 4);
    writer.write(1, Buffer.from('bb'), 0);
    // The same blob twice in one file (a repeated block): one target each.
    writer.write(0, Buffer.from('aa'), 0);
    expect(fs.statSync(files[0]!.path).mode & 0o777).toBe(0o600); // still the creation mode
    writer.write(0, Buffer.from('aa'), 2);
    writer.finishEmpty();
    writer.closeAll();
    expect(fs.readFileSync(files[0]!.path, 'utf8')).toBe('aaaacc');
    expect(fs.readFileSync(files[1]!.path, 'utf8')).toBe('bb');
    const stat = fs.statSync(files[0]!.path);
    expect(stat.mode & 0o777).toBe(0o640);
    expect(stat.mtimeMs).toBe(1_700_000_000_000);
  });

  it('reopens a file closed to stay under the limit, and makes empty files', () => {
    const files = Array.from({ length: 5 }, (_, i) => ({
      path: path.join(dir, `f${i}`),
      node: fileNode(`f${i}`, i === 4 ? 0 : 2),
    }));
    const writer = new RestoreFileWriter(files, 2);
    for (let i = 0; i < 4; i++) writer.write(i, Buffer.from(`${i}`), 0);
    for (let i = 0; i < 4; i++) writer.write(i, Buffer.from('x'), 1);
    writer.finishEmpty();
    writer.closeAll();
    for (let i = 0; i < 4; i++) expect(fs.readFileSync(files[i]!.path, 'utf8')).toBe(`${i}x`);
    expect(fs.statSync(files[4]!.path).size).toBe(0);
    expect(fs.statSync(files[4]!.path).mode & 0o777).toBe(0o640);
  });

  it('never writes through a file that was already there', () => {
    const existing = path.join(dir, 'taken');
    fs.writeFileSync(existing, 'keep');
    const writer = new RestoreFileWriter([{ path: existing, node: fileNode('taken', 1) }]);
    expect(() => writer.write(0, Buffer.from('new'), 0)).toThrow(/EEXIST/);
    writer.closeAll();
    expect(fs.readFileSync(existing, 'utf8')).toBe('keep');
  });

  it('fsyncs no file as it goes; syncEach fsyncs every file made, empty ones too', () => {
    const synced: string[] = [];
    const real = fs.fsyncSync;
    vi.spyOn(fs, 'fsyncSync').mockImplementation((fd: number) => {
      synced.push(fs.readlinkSync(`/proc/self/fd/${fd}`));
      real(fd);
    });
    const files = [
      { path: path.join(dir, 'a'), node: fileNode('a', 2) },
      { path: path.join(dir, 'b'), node: fileNode('b', 1) },
      { path: path.join(dir, 'empty'), node: fileNode('empty', 0) },
    ];
    const writer = new RestoreFileWriter(files, 64, false);
    writer.write(0, Buffer.from('a'), 0);
    writer.write(1, Buffer.from('b'), 0);
    writer.write(0, Buffer.from('a'), 1);
    writer.finishEmpty();
    writer.closeAll();
    // The restore makes its whole target durable at once (snapshot-restore.ts, syncBatch).
    expect(synced).toEqual([]);
    writer.syncEach();
    expect(synced.sort()).toEqual(files.map((file) => file.path).sort());
  });

  it('writes the blobs that follow each other in one file with one call', () => {
    const calls: number[] = [];
    const real = fs.writevSync;
    vi.spyOn(fs, 'writevSync').mockImplementation((fd, buffers, position) => {
      calls.push(buffers.length);
      return real(fd, buffers, position);
    });
    // A lone blob goes through a plain write: one call of one buffer.
    const realWrite = fs.writeSync;
    vi.spyOn(fs, 'writeSync').mockImplementation(((...args: Parameters<typeof fs.writeSync>) => {
      calls.push(1);
      return (realWrite as (...a: Parameters<typeof fs.writeSync>) => number)(...args);
    }) as typeof fs.writeSync);
    const files = [
      { path: path.join(dir, 'db'), node: fileNode('db', 10) },
      { path: path.join(dir, 'other'), node: fileNode('other', 2) },
    ];
    const writer = new RestoreFileWriter(files);
    for (let i = 0; i < 10; i++) writer.write(0, Buffer.from(`${i}`), i);
    // Out of order: the run breaks where the offset jumps.
    writer.write(1, Buffer.from('y'), 1);
    writer.write(1, Buffer.from('x'), 0);
    writer.finishEmpty();
    writer.closeAll();
    expect(fs.readFileSync(files[0]!.path, 'utf8')).toBe('0123456789');
    expect(fs.readFileSync(files[1]!.path, 'utf8')).toBe('xy');
    expect(calls).toEqual([10, 1, 1]);
  });

  it('writes blobs decoded back to back into one buffer as one buffer', () => {
    const buffers: number[] = [];
    const real = fs.writevSync;
    vi.spyOn(fs, 'writevSync').mockImplementation((fd, chunks, position) => {
      buffers.push(chunks.length);
      return real(fd, chunks, position);
    });
    const realWrite = fs.writeSync;
    vi.spyOn(fs, 'writeSync').mockImplementation(((...args: Parameters<typeof fs.writeSync>) => {
      buffers.push(1);
      return (realWrite as (...a: Parameters<typeof fs.writeSync>) => number)(...args);
    }) as typeof fs.writeSync);
    const files = [{ path: path.join(dir, 'db'), node: fileNode('db', 4) }];
    const decoded = Buffer.from('aaaabbbbccccdddd');
    const writer = new RestoreFileWriter(files);
    for (let i = 0; i < 4; i++) writer.write(0, decoded.subarray(4 * i, 4 * i + 4), 4 * i);
    writer.closeAll();
    expect(fs.readFileSync(files[0]!.path, 'utf8')).toBe('aaaabbbbccccdddd');
    expect(buffers).toEqual([1]);
  });

  it('goes on after a short write, for a lone blob and for a run of blobs', () => {
    // A kernel may write less than asked (a signal, a nearly full disk): at most 3 bytes a call.
    const realWrite = fs.writeSync;
    vi.spyOn(fs, 'writeSync').mockImplementation(((
      fd: number,
      buffer: Uint8Array,
      offset: number,
      length: number,
      position: number,
    ) => realWrite(fd, buffer, offset, Math.min(length, 3), position)) as typeof fs.writeSync);
    const realWritev = fs.writevSync;
    vi.spyOn(fs, 'writevSync').mockImplementation((fd, buffers, position) => {
      const first = buffers[0]!;
      const head = new Uint8Array(first.buffer, first.byteOffset, Math.min(first.byteLength, 3));
      return realWritev(fd, [head], position);
    });
    const files = [
      { path: path.join(dir, 'lone'), node: fileNode('lone', 1) },
      { path: path.join(dir, 'run'), node: fileNode('run', 2) },
    ];
    const writer = new RestoreFileWriter(files);
    writer.write(0, Buffer.from('a lone blob of bytes'), 0);
    writer.write(1, Buffer.from('first blob, '), 0);
    writer.write(1, Buffer.from('second blob'), 12);
    writer.finishEmpty();
    writer.closeAll();
    expect(fs.readFileSync(files[0]!.path, 'utf8')).toBe('a lone blob of bytes');
    expect(fs.readFileSync(files[1]!.path, 'utf8')).toBe('first blob, second blob');
  });

  it('fsyncs each file before closing it where no filesystem sync follows, and a file its owner cannot read', () => {
    const synced: string[] = [];
    const real = fs.fsyncSync;
    vi.spyOn(fs, 'fsyncSync').mockImplementation((fd: number) => {
      synced.push(fs.readlinkSync(`/proc/self/fd/${fd}`));
      real(fd);
    });
    const each = [
      { path: path.join(dir, 'a'), node: fileNode('a', 1) },
      { path: path.join(dir, 'b'), node: fileNode('b', 0) },
    ];
    const writer = new RestoreFileWriter(each, 64, true);
    writer.write(0, Buffer.from('a'), 0);
    expect(synced).toEqual([each[0]!.path]);
    writer.finishEmpty();
    writer.syncEach(); // nothing left to sync
    expect(synced).toEqual(each.map((file) => file.path));

    synced.length = 0;
    const locked = [
      { path: path.join(dir, 'write-only'), node: fileNode('write-only', 1, 0o200) },
      { path: path.join(dir, 'plain'), node: fileNode('plain', 1) },
    ];
    const batch = new RestoreFileWriter(locked, 64, false);
    batch.write(0, Buffer.from('w'), 0);
    batch.write(1, Buffer.from('p'), 0);
    expect(synced).toEqual([locked[0]!.path]);
    batch.syncEach();
    expect(synced).toEqual(locked.map((file) => file.path));
  });
});

describe('RestoreFileWriter with writer threads', () => {
  let dir: string;
  let threads: FileWriters | null = null;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tend-writer-'));
  });
  afterEach(async () => {
    await threads?.stop();
    threads = null;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('hands files of many blobs to the threads: any order, a file closed and opened again, mode and time last', async () => {
    threads = new FileWriters(2);
    const files = [
      ...Array.from({ length: 4 }, (_, i) => ({
        path: path.join(dir, `many${i}`),
        node: fileNode(`many${i}`, 3, 0o640),
      })),
      { path: path.join(dir, 'one'), node: fileNode('one', 1, 0o600) },
      { path: path.join(dir, 'empty'), node: fileNode('empty', 0) },
    ];
    // At most two open: the files of many blobs are closed and opened again on the way.
    const writer = new RestoreFileWriter(files, 2, false, threads);
    const blob = (file: number, part: number) => Buffer.alloc(300 * 1024, 10 * file + part);
    for (const part of [2, 0, 1]) {
      for (let file = 0; file < 4; file++) writer.write(file, blob(file, part), part * 300 * 1024);
      if (part === 0) writer.write(4, Buffer.from('one'), 0);
    }
    writer.finishEmpty();
    await writer.settle();
    writer.closeAll();
    for (let file = 0; file < 4; file++) {
      const stat = fs.statSync(files[file]!.path);
      expect(stat.mode & 0o777).toBe(0o640);
      expect(stat.mtimeMs).toBe(1_700_000_000_000);
      const expected = Buffer.concat([0, 1, 2].map((part) => blob(file, part)));
      expect(fs.readFileSync(files[file]!.path).equals(expected)).toBe(true);
    }
    expect(fs.readFileSync(files[4]!.path, 'utf8')).toBe('one');
    expect(fs.statSync(files[4]!.path).mode & 0o777).toBe(0o600);
    expect(fs.statSync(files[5]!.path).size).toBe(0);
  });

  it('never writes through a file that was already there, and leaves none open after a failure', async () => {
    threads = new FileWriters(1);
    const existing = path.join(dir, 'taken');
    fs.writeFileSync(existing, 'keep');
    const files = [
      { path: path.join(dir, 'started'), node: fileNode('started', 2) },
      { path: existing, node: fileNode('taken', 2) },
    ];
    const writer = new RestoreFileWriter(files, 64, false, threads);
    writer.write(0, Buffer.from('half'), 0);
    writer.flush();
    writer.write(1, Buffer.from('new'), 0);
    expect(() => writer.flush()).toThrow(/EEXIST/);
    // The restore's way out (snapshot-restore.ts): close what is open, then stop the threads.
    writer.closeAll();
    await threads.stop();
    threads = null;
    expect(fs.readFileSync(existing, 'utf8')).toBe('keep');
    // Its bytes were still gathered when the restore failed: dropped, the file closed.
    expect(fs.readFileSync(files[0]!.path, 'utf8')).toBe('');
    const open = fs.readdirSync('/proc/self/fd').map((fd) => {
      try {
        return fs.readlinkSync(`/proc/self/fd/${fd}`);
      } catch {
        return '';
      }
    });
    expect(open.filter((target) => target.startsWith(dir))).toEqual([]);
  });
});
