/**
 * The writer threads (fs/file-writers.ts) shared by the restore export and the repository
 * restore: small files spread over every writer, and a file finished as asked (exact mode, both
 * times), as restore-file-writer finishes one on the main thread.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileWriters } from '../../../../src-main/engine/fs/file-writers';
import { tempDir } from '../../../support/temp-dir';

describe('FileWriters', () => {
  let writers: FileWriters | null = null;
  afterEach(async () => {
    await writers?.stop();
    writers = null;
  });

  it('spreads many small files over both writers, each file whole', async () => {
    const dir = tempDir('tend-file-writers-');
    writers = new FileWriters(2);
    // 5,000-byte files: a 256 KiB batch fills up in the middle of one, batch after batch.
    const files = Array.from({ length: 400 }, (_, i) => ({
      path: path.join(dir, `f${i}`),
      bytes: Buffer.alloc(5000, i % 251),
    }));
    for (const file of files) {
      writers.open(file.path, 0o600);
      writers.write(file.bytes);
      writers.close(1_700_000_000);
    }
    await writers.finish();
    const [first, second] = writers.bytesPerWriter as [number, number];
    expect(first + second).toBe(400 * 5000);
    expect(Math.min(first, second)).toBeGreaterThan(0.3 * (first + second));
    for (const file of files) expect(fs.readFileSync(file.path).equals(file.bytes)).toBe(true);
  });

  it('counts a batch sent as its whole buffer, however few bytes of tiny files it holds', async () => {
    const dir = tempDir('tend-file-writers-');
    writers = new FileWriters(2);
    // No answer comes in while this loop runs (it never yields): every batch is still out.
    // 16 batches of 64 ten-byte files are 10 KiB of files but 4 MiB of buffers.
    let sent = 0;
    while (!writers.full && sent < 64 * 70) {
      writers.open(path.join(dir, `f${sent}`), 0o600);
      writers.write(Buffer.from(`file ${String(sent).padStart(5, '0')}`));
      writers.close(1_700_000_000);
      sent++;
    }
    expect(writers.full).toBe(true);
    expect(sent).toBeLessThanOrEqual(64 * 17);
    await writers.room();
    expect(writers.full).toBe(false);
    await writers.finish();
    expect(fs.readdirSync(dir)).toHaveLength(sent);
    expect(fs.readFileSync(path.join(dir, 'f7'), 'utf8')).toBe('file 00007');
  });

  it('gives a file its exact mode and its own access time when asked', async () => {
    const dir = tempDir('tend-file-writers-');
    writers = new FileWriters(1);
    const file = path.join(dir, 'script.sh');
    writers.open(file, 0o600);
    writers.write(Buffer.from('#!/bin/sh\n'));
    writers.close(1_700_000_000.25, undefined, {
      mode: 0o755,
      atimeSeconds: 1_600_000_000.5,
      sync: true,
    });
    await writers.finish();
    const stat = fs.statSync(file);
    expect(stat.mode & 0o777).toBe(0o755);
    expect(stat.mtimeMs).toBe(1_700_000_000_250);
    expect(stat.atimeMs).toBe(1_600_000_000_500);
    expect(fs.readFileSync(file, 'utf8')).toBe('#!/bin/sh\n');
  });

  it('writes a handed-over file at its positions, among small files, then finishes it last', async () => {
    const dir = tempDir('tend-file-writers-');
    writers = new FileWriters(2);
    // 3 MiB in 768 KiB pieces, sent last piece first: every piece spans batches, and the
    // small files between them go to whichever writer is less busy.
    const piece = 768 * 1024;
    const whole = Buffer.alloc(4 * piece);
    for (let i = 0; i < whole.length; i += 4) whole.writeUInt32LE(i, i);
    const big = path.join(dir, 'big.bin');
    const fd = fs.openSync(big, 'wx', 0o600);
    for (let k = 3; k >= 0; k--) {
      writers.writeAt(7, fd, big, k * piece, whole.subarray(k * piece, (k + 1) * piece));
      writers.open(path.join(dir, `small${k}`), 0o600);
      writers.write(Buffer.from(`small ${k}`));
      writers.close(1_700_000_000);
    }
    // Closed and opened again (as the restore's limit of open files does): the same writer.
    writers.endAt(7, fd, big, null);
    const again = fs.openSync(big, 'r+');
    writers.writeAt(7, again, big, whole.length, Buffer.from('tail'));
    writers.endAt(7, again, big, {
      mtimeSeconds: 1_700_000_000.5,
      ending: { mode: 0o640, atimeSeconds: 1_600_000_000 },
    });
    await writers.finish();
    // Read after the times (a read may move the access time).
    const stat = fs.statSync(big);
    // The times are set after the last write: a write after them would have moved mtime.
    expect(stat.mtimeMs).toBe(1_700_000_000_500);
    expect(stat.atimeMs).toBe(1_600_000_000_000);
    expect(stat.mode & 0o777).toBe(0o640);
    expect(fs.readFileSync(big).equals(Buffer.concat([whole, Buffer.from('tail')]))).toBe(true);
    for (let k = 0; k < 4; k++) {
      expect(fs.readFileSync(path.join(dir, `small${k}`), 'utf8')).toBe(`small ${k}`);
    }
    // Both descriptors were closed by the writer.
    for (const closed of [fd, again]) expect(() => fs.fstatSync(closed)).toThrow(/EBADF/);
  });

  it('keeps every step of a handed-over file in one writer, though the other is idle', async () => {
    const dir = tempDir('tend-file-writers-');
    writers = new FileWriters(2);
    const big = path.join(dir, 'big.bin');
    const fd = fs.openSync(big, 'wx', 0o600);
    // 16 MiB for one writer; the finish sent alone after it, when the other writer is free.
    const chunk = Buffer.alloc(1024 * 1024, 7);
    for (let i = 0; i < 16; i++) {
      await writers.room();
      writers.writeAt(1, fd, big, i * chunk.length, chunk);
    }
    for (let i = 0; i < 64; i++) {
      writers.open(path.join(dir, `f${i}`), 0o600);
      writers.write(Buffer.from('x'));
      writers.close(1_700_000_000);
    }
    writers.endAt(1, fd, big, { mtimeSeconds: 1_500_000_000 });
    await writers.finish();
    // All of the file's bytes went to one writer (the small files to either).
    expect(Math.max(...writers.bytesPerWriter)).toBeGreaterThanOrEqual(16 * chunk.length);
    expect(fs.statSync(big).size).toBe(16 * chunk.length);
    expect(fs.statSync(big).mtimeMs).toBe(1_500_000_000_000);
  });

  it('names the file a handed-over write failed on, and still closes the descriptors handed over', async () => {
    const dir = tempDir('tend-file-writers-');
    writers = new FileWriters(1);
    const readOnly = path.join(dir, 'read-only');
    fs.writeFileSync(readOnly, 'keep');
    const bad = fs.openSync(readOnly, 'r');
    const later = fs.openSync(path.join(dir, 'later'), 'wx', 0o600);
    writers.writeAt(1, bad, readOnly, 0, Buffer.from('no'));
    writers.endAt(1, bad, readOnly, { mtimeSeconds: 1_700_000_000 });
    await expect(writers.finish()).rejects.toMatchObject({ code: 'EBADF', path: readOnly });
    // After the failure: nothing written, the descriptor still closed by its writer.
    writers.writeAt(2, later, 'later', 0, Buffer.from('never'));
    writers.endAt(2, later, 'later', null);
    await writers.stop();
    writers = null;
    expect(fs.readFileSync(readOnly, 'utf8')).toBe('keep');
    expect(fs.readFileSync(path.join(dir, 'later'), 'utf8')).toBe('');
    for (const closed of [bad, later]) expect(() => fs.fstatSync(closed)).toThrow(/EBADF/);
  });
});
