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
});
