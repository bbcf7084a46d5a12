/**
 * Issue 13, item 4: the host's answer to `root:info` took 200 ms p99 during a full backup with
 * the event loop free: its file checks and statfs queued on libuv's thread pool behind the
 * backup's gzip members. `root:info` now answers without the pool: here it answers while every
 * thread of the pool is held (each opening a FIFO that no one writes to yet).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../../src-main/engine/engine';
import { tempDir } from '../../support/temp-dir';

const POOL_THREADS = Number(process.env.UV_THREADPOOL_SIZE ?? 4);

describe('root:info', () => {
  it("answers while libuv's thread pool is busy", async () => {
    const base = tempDir();
    const engine = await Engine.start({ appStateDir: path.join(base, 'state'), root: null });
    await engine.call('root:create', { path: path.join(base, 'root') });
    const fifos = Array.from({ length: POOL_THREADS }, (_, i) => path.join(base, `fifo-${i}`));
    for (const fifo of fifos) execFileSync('mkfifo', [fifo]);
    // Each open blocks a pool thread until a writer opens the FIFO.
    const held = fifos.map((fifo) => fsp.open(fifo, 'r'));
    try {
      const answer = await Promise.race([
        engine.call('root:info').then((info) => info.path),
        // Only a guard against a test that never ends: the pool stays held until this settles.
        new Promise<string>((resolve) => setTimeout(() => resolve('waited for the pool'), 5000)),
      ]);
      expect(answer).toBe(path.join(base, 'root'));
    } finally {
      for (const fifo of fifos) fs.closeSync(fs.openSync(fifo, 'w'));
      for (const handle of await Promise.all(held)) await handle.close();
      await engine.close();
    }
  });
});
