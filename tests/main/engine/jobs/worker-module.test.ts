/**
 * The typed worker modules (issue 10, redesign item 3): the integrity-check and SQLite snapshot
 * workers are TypeScript entries started through jobs/worker-module.ts, from the sources under
 * vitest and from the bundled command line, and a bundle's worker is found beside or one folder
 * above the chunk that starts it.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startWorkerModule } from '../../../../src-main/engine/jobs/worker-module';
import { openBlob } from '../../../../src-main/engine/repository/blob-opening';
import { newRandomKey, seal } from '../../../../src-main/engine/repository/restic-crypto';
import { hashId } from '../../../../src-main/engine/repository/restic-id';
import { tempDir } from '../../../support/temp-dir';

const repo = fileURLToPath(new URL('../../../../', import.meta.url));

/** The next message of a worker (then stopped, unless `stop` is false), or the error it failed with. */
function firstMessage(worker: ReturnType<typeof startWorkerModule>, stop = true): Promise<unknown> {
  return new Promise((resolve, reject) => {
    worker.once('message', (message) => {
      resolve(message);
      if (stop) void worker.terminate();
    });
    worker.once('error', reject);
  });
}

describe('starting a worker module', () => {
  it.each([
    ['beside the caller', 'main.js', 'echo-worker.js'],
    ['one folder above a chunk', 'chunks/engine-x1.js', 'echo-worker.js'],
  ])('finds a bundled worker %s', async (_where, caller, worker) => {
    const bundle = tempDir();
    fs.mkdirSync(path.join(bundle, 'chunks'));
    fs.writeFileSync(
      path.join(bundle, worker),
      "import { parentPort, workerData } from 'node:worker_threads';\nparentPort.postMessage({ echo: workerData });\n",
    );
    fs.writeFileSync(path.join(bundle, 'package.json'), '{"type":"module"}');
    const from = pathToFileURL(path.join(bundle, caller)).href;
    const started = startWorkerModule(
      { name: 'echo-worker', from, missingCode: 'INTERNAL' },
      { workerData: { n: 7 } },
    );
    expect(await firstMessage(started)).toEqual({ echo: { n: 7 } });
  });

  it('says a bundle lacks the worker, with the code given', () => {
    const from = pathToFileURL(path.join(tempDir(), 'main.js')).href;
    expect(() =>
      startWorkerModule({ name: 'integrity-check-worker', from, missingCode: 'INTERNAL' }),
    ).toThrow(
      expect.objectContaining({
        code: 'INTERNAL',
        message: expect.stringMatching(/integrity-check-worker\.js.*Reinstall Tend/),
      }),
    );
  });

  it('runs the integrity and snapshot workers from the command line’s bundle', () => {
    const meta = JSON.parse(fs.readFileSync(path.join(repo, 'out/cli/meta.json'), 'utf8')) as {
      outputs: Record<string, { entryPoint?: string }>;
    };
    const entries = Object.values(meta.outputs).map((output) => output.entryPoint);
    expect(entries).toEqual(
      expect.arrayContaining([
        'src-main/engine/restore/integrity-check-worker.ts',
        'src-main/engine/backup/sqlite-snapshot-worker.ts',
        'src-main/engine/repository/blob-decode-worker.ts',
        'src-main/engine/repository/file-seal-worker.ts',
      ]),
    );
    // A Jan folder: its database is backed up by the snapshot worker and checked after the
    // restore by the integrity worker, both from out/cli.
    const base = tempDir();
    const root = path.join(base, 'root');
    const run = (...args: string[]) =>
      spawnSync(process.execPath, [path.join(repo, 'bin/tend.mjs'), '--root', root, ...args], {
        encoding: 'utf8',
        env: { ...process.env, TEND_STATE_DIR: path.join(base, 'state'), TEND_ROOT: '' },
        timeout: 120_000,
      });
    expect(run('demo', '--profile', 'jan', '--size', 'small').status).toBe(0);
    expect(run('adopt', root, '--yes').status).toBe(0);
    fs.mkdirSync(path.join(base, 'backups'));
    const backup = run('backup', 'create', '--dest', path.join(base, 'backups'));
    expect(backup.status, backup.stderr).toBe(0);
    expect(backup.stderr).not.toMatch(/running the sources/);
    const database = fs.readdirSync(path.join(root, 'db')).find((name) => name.endsWith('.db'))!;
    fs.rmSync(path.join(root, 'db', database));
    const restored = run('restore', 'apply', 'latest', '--yes');
    expect(restored.status, restored.stderr).toBe(0);
    expect(restored.stdout).toMatch(new RegExp(`ok +integrity_check db/${database}: ok`));
  });

  it('opens a batch of blobs with the bundled decode worker of the command line', async () => {
    const from = pathToFileURL(path.join(repo, 'out/cli/main.js')).href;
    const key = newRandomKey();
    const plaintext = Buffer.from('opened in a bundled worker '.repeat(100));
    const sealed = new Uint8Array(seal(key, plaintext));
    const worker = startWorkerModule(
      { name: 'blob-decode-worker', from, missingCode: 'INTERNAL' },
      { workerData: key },
    );
    try {
      const answer = firstMessage(worker, false);
      const layout = new Uint32Array([0, sealed.length, 0]);
      worker.postMessage({ id: 1, sealed: sealed.buffer, layout, ids: hashId(plaintext) }, [
        sealed.buffer,
      ]);
      const reply = (await answer) as { id: number; ok: boolean; plain: ArrayBuffer };
      expect(reply).toMatchObject({ id: 1, ok: true });
      expect(Buffer.from(reply.plain).equals(plaintext)).toBe(true);
    } finally {
      await worker.terminate();
    }
  });

  it('seals a file with the bundled file-seal worker of the command line', async () => {
    const from = pathToFileURL(path.join(repo, 'out/cli/main.js')).href;
    const key = newRandomKey();
    const file = path.join(tempDir(), 'copy.db');
    const plaintext = Buffer.from('sealed in a bundled worker '.repeat(100));
    fs.writeFileSync(file, plaintext);
    const worker = startWorkerModule(
      { name: 'file-seal-worker', from, missingCode: 'INTERNAL' },
      { workerData: { key, compress: true } },
    );
    try {
      const answer = firstMessage(worker, false);
      worker.postMessage({ kind: 'task', task: 1, file, plan: 'database', previous: '' });
      const batch = (await answer) as {
        task: number;
        ids: string;
        layout: Uint32Array;
        sealed: ArrayBuffer;
      };
      expect(batch.task).toBe(1);
      expect(batch.ids).toBe(hashId(plaintext));
      const [length, uncompressedLength] = batch.layout;
      const sealed = Buffer.from(batch.sealed, 0, length);
      const opened = openBlob(key, sealed, {
        id: batch.ids,
        uncompressedLength: uncompressedLength!,
      });
      expect(opened.equals(plaintext)).toBe(true);
    } finally {
      await worker.terminate();
    }
  });
});
