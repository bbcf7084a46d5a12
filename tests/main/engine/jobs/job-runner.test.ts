import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyProgress, type JobRecord } from '../../../../src-shared/models/jobs';
import { TendFailure } from '../../../../src-shared/errors';
import { openCatalog } from '../../../../src-main/engine/catalog/catalog';
import { EventBus } from '../../../../src-main/engine/events';
import { DataLock } from '../../../../src-main/engine/jobs/data-lock';
import { estimateEta, JobRunner } from '../../../../src-main/engine/jobs/job-runner';
import { JobStore } from '../../../../src-main/engine/jobs/job-store';
import { tempDir } from '../../../support/temp-dir';

function setUp() {
  const dir = tempDir();
  const catalog = openCatalog(path.join(dir, 'catalog.db'));
  const events = new EventBus();
  const store = new JobStore(catalog);
  const runner = new JobRunner(store, events, new DataLock(dir));
  return { dir, catalog, events, store, runner };
}

/** A demo job's result, as the demo kind's schema describes it. */
const demoResult = { root: '/data', files: 2, bytes: 10 };

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('JobRunner', () => {
  it('runs a job to success, with events and the result kept in the catalog', async () => {
    const { runner, events, store } = setUp();
    const seen: string[] = [];
    events.on('job:progress', (job) => seen.push(`progress:${job.state}`));
    events.on('job:finished', (job) => seen.push(`finished:${job.state}`));
    const job = runner.start({
      kind: 'demo',
      title: 'Count',
      writesRoot: false,
      run: async (context) => {
        context.progress({ filesDone: 1, filesTotal: 2 });
        return demoResult;
      },
    });
    expect(job.state).toBe('queued');
    const done = await runner.wait(job.id);
    expect(done).toMatchObject({ state: 'succeeded', result: demoResult, error: null });
    expect(done.finishedAt).not.toBeNull();
    expect(store.get(job.id)).toMatchObject({ state: 'succeeded', result: demoResult });
    expect(seen[0]).toBe('progress:queued');
    expect(seen).toContain('progress:running');
    expect(seen.at(-1)).toBe('finished:succeeded');
  });

  it('starts the count of a new step from zero: never "26 of 4 files"', async () => {
    const { runner } = setUp();
    const seen: Array<[number, number | null]> = [];
    const job = runner.start({
      kind: 'restore',
      title: 'Steps',
      writesRoot: false,
      run: async (context) => {
        context.progress({ message: 'Comparing', filesDone: 0, filesTotal: 26 });
        context.progress({ filesDone: 26 });
        // The next step gives its own total and no count: the restore's safety snapshot.
        context.progress({ message: 'Taking a safety snapshot', filesTotal: 4 });
        const { filesDone, filesTotal } = runner.get(context.jobId).progress;
        seen.push([filesDone, filesTotal]);
        return null;
      },
    });
    await runner.wait(job.id);
    expect(seen).toEqual([[0, 4]]);
  });

  it.each([
    { case: 'nothing', kind: 'move' as const, result: null, at: /expected object/ },
    { case: 'another kind’s result', kind: 'move' as const, result: demoResult, at: /record:/ },
    {
      case: 'a field of the wrong type',
      kind: 'vectors-compact' as const,
      result: {
        collection: 'notes',
        reason: 'manual',
        startedAt: '2026-01-01T00:00:00.000Z',
        finishedAt: '2026-01-01T00:00:01.000Z',
        vectorsBefore: null,
        vectorsAfter: '12',
        bytesBefore: null,
        bytesAfter: 4096,
        seconds: 1,
      },
      at: /vectorsAfter: .*number/,
    },
  ])(
    'fails a job whose result is not its kind’s ($case) with JOB_RESULT_INVALID',
    async ({ kind, result, at }) => {
      const { runner, store } = setUp();
      const job = runner.start({
        kind,
        title: 'Wrong',
        writesRoot: false,
        run: async () => result,
      });
      const done = await runner.wait(job.id);
      expect(done.state).toBe('failed');
      expect(done.result).toBeNull();
      expect(done.error?.code).toBe('JOB_RESULT_INVALID');
      expect(done.error?.message).toMatch(new RegExp(`^The ${kind} job finished, but its result`));
      expect(done.error?.message).toMatch(at);
      expect(store.get(job.id)?.error?.code).toBe('JOB_RESULT_INVALID');
    },
  );

  it('records a failure with its code', async () => {
    const { runner, store } = setUp();
    const job = runner.start({
      kind: 'demo',
      title: 'Fail',
      writesRoot: false,
      run: async () => {
        throw new TendFailure('ROOT_NOT_WRITABLE', 'read-only disk');
      },
    });
    const done = await runner.wait(job.id);
    expect(done.state).toBe('failed');
    expect(done.error).toEqual({ code: 'ROOT_NOT_WRITABLE', message: 'read-only disk' });
    expect(store.get(job.id)?.error?.code).toBe('ROOT_NOT_WRITABLE');
  });

  it('cancels a running job through its signal', async () => {
    const { runner } = setUp();
    const started = deferred();
    const job = runner.start({
      kind: 'demo',
      title: 'Wait forever',
      writesRoot: true,
      run: (context) =>
        new Promise((_, reject) => {
          started.resolve();
          context.signal.addEventListener('abort', () => reject(context.signal.reason));
        }),
    });
    await started.promise;
    runner.cancel(job.id);
    const done = await runner.wait(job.id);
    expect(done.state).toBe('cancelled');
    expect(done.error?.code).toBe('CANCELLED');
    expect(() => runner.cancel(job.id)).toThrow(
      expect.objectContaining({ code: 'JOB_NOT_RUNNING' }),
    );
    expect(() => runner.get('nope')).toThrow(expect.objectContaining({ code: 'JOB_NOT_FOUND' }));
  });

  it('runs writers one at a time and readers beside them', async () => {
    const { runner } = setUp();
    const log: string[] = [];
    const gate = deferred();
    const firstRunning = deferred();
    const writer = (name: string) =>
      runner.start({
        kind: 'demo',
        title: name,
        writesRoot: true,
        run: async () => {
          log.push(`${name}:start`);
          if (name === 'w1') {
            firstRunning.resolve();
            await gate.promise;
          }
          log.push(`${name}:end`);
        },
      });
    const first = writer('w1');
    await firstRunning.promise;
    const second = writer('w2');
    const reader = runner.start({
      kind: 'usage-scan',
      title: 'r',
      writesRoot: false,
      run: async () => void log.push('reader'),
    });
    await runner.wait(reader.id);
    expect(log).toEqual(['w1:start', 'reader']);
    expect(runner.get(second.id).state).toBe('queued');
    gate.resolve();
    await runner.wait(first.id);
    await runner.wait(second.id);
    expect(log).toEqual(['w1:start', 'reader', 'w1:end', 'w2:start', 'w2:end']);
  });

  it('refuses a writer while another process holds the data lock', async () => {
    const { runner, dir } = setUp();
    const otherProcess = new DataLock(dir);
    const release = await otherProcess.acquire(new AbortController().signal, () => undefined);
    const job = runner.start({ kind: 'demo', title: 'w', writesRoot: true, run: async () => 1 });
    const done = await runner.wait(job.id);
    expect(done.state).toBe('failed');
    expect(done.error?.code).toBe('DATA_LOCKED');
    await release();
    const again = await runner.wait(
      runner.start({ kind: 'demo', title: 'w', writesRoot: true, run: async () => demoResult }).id,
    );
    expect(again.state).toBe('succeeded');
  });

  it('marks jobs of dead processes interrupted at start-up, and leaves live ones', () => {
    const { runner, store } = setUp();
    const base: JobRecord = {
      id: 'dead',
      kind: 'backup',
      title: 'b',
      state: 'running',
      writesRoot: true,
      progress: { ...emptyProgress },
      createdAt: '2026-01-01T00:00:00.000Z',
      startedAt: null,
      finishedAt: null,
      result: null,
      error: null,
    };
    // PID 2^22 + 1 is above Linux's pid_max, so no process has it.
    store.save(base, { host: os.hostname(), pid: 4_194_305 });
    store.save({ ...base, id: 'alive' }, { host: os.hostname(), pid: process.pid });
    const interrupted = runner.recoverInterrupted();
    expect(interrupted.map((job) => job.id)).toEqual(['dead']);
    expect(store.get('dead')?.state).toBe('interrupted');
    expect(store.get('alive')?.state).toBe('running');
  });
});

describe('estimateEta', () => {
  const progress = {
    bytesDone: 0,
    bytesTotal: null,
    filesDone: 0,
    filesTotal: null,
    currentPath: null,
    etaSeconds: null,
    message: null,
  };
  it.each([
    [{ bytesDone: 50, bytesTotal: 100 }, 10_000, 10],
    [{ filesDone: 1, filesTotal: 4 }, 3_000, 9],
    [{ bytesDone: 0, bytesTotal: 100 }, 10_000, null],
    [{ bytesDone: 50, bytesTotal: 100 }, 100, null],
    [{}, 10_000, null],
  ])('%o after %i ms is %s s', (partial, elapsed, expected) => {
    expect(estimateEta({ ...progress, ...partial }, elapsed)).toBe(expected);
  });
});

describe('DataLock after a crash', () => {
  it('frees at once a lock whose holder on this machine is gone, and never a live one', async () => {
    const dir = tempDir();
    const signal = new AbortController().signal;
    // A child process takes the lock and is killed without releasing it.
    const script = `
      import { DataLock } from ${JSON.stringify(path.resolve('src-main/engine/jobs/data-lock.ts'))};
      await new DataLock(${JSON.stringify(dir)}).acquire(new AbortController().signal, () => {});
      process.stdout.write('held\\n');
      setInterval(() => {}, 1000);
    `;
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));

    // While it lives, the lock is refused.
    await expect(new DataLock(dir).acquire(signal, () => undefined)).rejects.toMatchObject({
      code: 'DATA_LOCKED',
    });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));

    // Gone: the next taker gets it without waiting for the 15 s staleness.
    const release = await new DataLock(dir).acquire(signal, () => undefined);
    await release();
    expect(fs.existsSync(path.join(dir, 'data.lock'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'data.owner.json'))).toBe(false);
  });
});
