import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCatalog } from '../../../src-main/engine/catalog/catalog';
import { JobStore } from '../../../src-main/engine/jobs/job-store';
import { emptyProgress } from '../../../src-shared/models/jobs';
import { tend } from '../../support/run-tend';
import { tempDir } from '../../support/temp-dir';
import { stateOfRoot } from '../../support/root-state';

const tendBin = path.resolve(__dirname, '../../../bin/tend.mjs');

/** Runs the real `tend` in a child process with its stdout into a pipe, read to the end. */
function runThroughPipe(args: ReadonlyArray<string>, stateDir: string) {
  return new Promise<{ code: number | null; stdout: Buffer; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [tendBin, ...args], {
      // The state folder as the in-process runner makes it: beside the roots, never around them.
      env: { ...process.env, TEND_STATE_DIR: path.join(stateDir, 'tend-state'), TEND_ROOT: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout: Buffer.concat(chunks), stderr }));
  });
}

describe('tend output into a pipe', () => {
  it('prints all of a --json answer larger than a pipe holds (64 KiB)', async () => {
    const base = tempDir();
    const root = path.join(base, 'root');
    expect((await tend(['init', root], base)).code).toBe(0);
    // 400 finished jobs: about 150 KiB of JSON, more than twice a pipe's buffer.
    const catalog = openCatalog(stateOfRoot(path.join(base, 'tend-state'), root).catalog);
    const store = new JobStore(catalog);
    for (let i = 0; i < 400; i++) {
      const at = new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString();
      store.save(
        {
          id: `job-${String(i).padStart(4, '0')}`,
          kind: 'usage-scan',
          title: `Measure disk usage, run ${i} of a long history`,
          state: 'succeeded',
          writesRoot: false,
          progress: { ...emptyProgress, filesDone: i, filesTotal: i },
          createdAt: at,
          startedAt: at,
          finishedAt: at,
          result: { files: i, note: 'x'.repeat(120) },
          error: null,
        },
        { host: 'test', pid: 1 },
      );
    }
    catalog.close();

    const run = await runThroughPipe(
      ['jobs', 'list', '--json', '--limit', '1000', '--root', root],
      base,
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.length).toBeGreaterThan(2 * 65_536);
    const jobs = JSON.parse(run.stdout.toString('utf8')) as Array<{ id: string }>;
    expect(jobs).toHaveLength(400);
    expect(jobs.at(-1)?.id).toBe('job-0000');
  });
});
