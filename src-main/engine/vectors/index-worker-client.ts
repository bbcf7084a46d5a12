/**
 * Starts the index worker and runs one task in it, under the bundle and from source alike.
 */
import type { Worker } from 'node:worker_threads';
import { TendFailure } from '../../../src-shared/errors';
import { startWorkerModule } from '../jobs/worker-module';
import type {
  IndexWorkerMessage,
  IndexWorkerTask,
  InspectReport,
  InspectTask,
  WrittenIndex,
} from './index-worker-protocol';

/**
 * A new worker thread running index-build-worker with `task` as its data (jobs/worker-module.ts
 * finds the bundled entry, or runs the .ts one through tsx from source).
 */
function startWorker(task: IndexWorkerTask): Worker {
  const transfer = task.kind === 'extend' ? [task.labels.buffer, task.values.buffer] : [];
  return startWorkerModule(
    { name: 'index-build-worker', from: import.meta.url, missingCode: 'INDEX_BUILD_FAILED' },
    { workerData: task, transferList: transfer as ArrayBuffer[] },
  );
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
