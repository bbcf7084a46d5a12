/**
 * Starts the index worker and runs one task in it, under the bundle and from source alike.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { TendFailure } from '../../../src-shared/errors';
import type {
  IndexWorkerMessage,
  IndexWorkerTask,
  InspectReport,
  InspectTask,
  WrittenIndex,
} from './index-worker-protocol';

// Variables, not literals, so the bundler leaves `new URL(…, import.meta.url)` alone. The
// worker is its own entry in electron.vite.config.ts, in out/main/; this module may end up in
// out/main/ itself or in a shared chunk under out/main/chunks/.
const bundledWorkerCandidates = ['./index-build-worker.js', '../index-build-worker.js'];

/** The bundled worker file beside (or one folder above) this bundled module. */
function bundledWorker(self: string): URL {
  for (const candidate of bundledWorkerCandidates) {
    const url = new URL(candidate, self);
    if (fs.existsSync(fileURLToPath(url))) return url;
  }
  throw new TendFailure(
    'INDEX_BUILD_FAILED',
    'The index worker is missing from this build of Tend (index-build-worker.js). Reinstall Tend.',
  );
}

/** The URL of tsx's ESM API (its `import` export), resolved from this module. */
function tsxApiUrl(self: string): string {
  try {
    return import.meta.resolve('tsx/esm/api');
  } catch {
    // Runners without import.meta.resolve: require finds the CommonJS twin beside the ESM file.
    const required = createRequire(self).resolve('tsx/esm/api');
    return pathToFileURL(required.replace(/\.cjs$/, '.mjs')).href;
  }
}

/**
 * A new worker thread running index-build-worker with `task` as its data.
 *
 * From source (tsx for the CLI, vitest for tests) this module's URL ends in .ts: the worker
 * then registers tsx's loader itself before importing the .ts entry, because loader hooks
 * registered on the main thread do not reach worker threads on Node 20.
 */
function startWorker(task: IndexWorkerTask): Worker {
  const self = import.meta.url;
  const transfer = task.kind === 'extend' ? [task.labels.buffer, task.values.buffer] : [];
  const options = { workerData: task, transferList: transfer as ArrayBuffer[] };
  if (!self.endsWith('.ts')) return new Worker(bundledWorker(self), options);
  const entry = new URL('./index-build-worker.ts', self).href;
  const tsx = tsxApiUrl(self);
  const bootstrap = `import(${JSON.stringify(tsx)})
    .then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })
    .catch((error) => { throw error; });`;
  return new Worker(bootstrap, { ...options, eval: true });
}

/**
 * Runs a task in a fresh worker; aborting the signal terminates the worker at once (whatever
 * it was writing is a temp file the caller removes).
 */
export function runIndexWorker(
  task: IndexWorkerTask,
  signal: AbortSignal,
  onProgress: (done: number, total: number) => void = () => undefined,
): Promise<WrittenIndex | InspectReport> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const worker = startWorker(task);
    let settled = false;
    const finish = (action: () => void) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      action();
      void worker.terminate();
    };
    const onAbort = () => finish(() => reject(signal.reason));
    signal.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (message: IndexWorkerMessage) => {
      if (message.type === 'progress') onProgress(message.done, message.total);
      else if (message.type === 'done') finish(() => resolve(message.result));
      else
        finish(() =>
          reject(
            new TendFailure('INDEX_BUILD_FAILED', `The index worker failed: ${message.message}`),
          ),
        );
    });
    worker.on('error', (error) =>
      finish(() =>
        reject(new TendFailure('INDEX_BUILD_FAILED', `The index worker failed: ${error.message}`)),
      ),
    );
    worker.on('exit', (code) =>
      finish(() =>
        reject(
          new TendFailure('INDEX_BUILD_FAILED', `The index worker stopped (exit code ${code}).`),
        ),
      ),
    );
  });
}

/** Runs an inspect task. */
export async function inspectInWorker(
  task: InspectTask,
  signal: AbortSignal,
  onProgress?: (done: number, total: number) => void,
): Promise<InspectReport> {
  return (await runIndexWorker(task, signal, onProgress)) as InspectReport;
}

/** Runs a build or extend task. */
export async function writeInWorker(
  task: Exclude<IndexWorkerTask, InspectTask>,
  signal: AbortSignal,
  onProgress?: (done: number, total: number) => void,
): Promise<WrittenIndex> {
  return (await runIndexWorker(task, signal, onProgress)) as WrittenIndex;
}
