/**
 * `PRAGMA integrity_check` of a staged SQLite file in a worker thread, so the check of a large
 * assistant.db runs while the rest of the archive is still being unpacked (DESIGN §6: CPU-heavy
 * work off the main thread).
 *
 * The staged file is the very file the swap renames into place, so its check stands for the
 * restored one. The worker is the typed module integrity-check-worker.ts (its protocol in
 * integrity-worker-protocol.ts), started through jobs/worker-module.ts from the bundles and
 * from source alike.
 */
import type { Worker } from 'node:worker_threads';
import type { RestoreCheck } from '../../../src-shared/models/restore';
import { startWorkerModule } from '../jobs/worker-module';
import type { IntegrityMessage, IntegrityTask } from './integrity-worker-protocol';

/** The check's name in the report, for a root-relative path. */
export function integrityCheckName(relative: string): string {
  return `integrity_check ${relative}`;
}

/** Runs integrity_check on `file` in a worker; never rejects, a failure is a failed check. */
export function integrityCheckInWorker(file: string, relative: string): Promise<RestoreCheck> {
  const name = integrityCheckName(relative);
  return new Promise((resolve) => {
    const task: IntegrityTask = { file };
    let worker: Worker;
    try {
      worker = startWorkerModule(
        {
          name: 'integrity-check-worker',
          from: import.meta.url,
          missingCode: 'INTERNAL',
        },
        { workerData: task },
      );
    } catch (error) {
      resolve({ name, ok: false, detail: (error as Error).message });
      return;
    }
    let settled = false;
    const finish = (check: RestoreCheck) => {
      if (settled) return;
      settled = true;
      resolve(check);
      void worker.terminate();
    };
    worker.once('message', (message: IntegrityMessage) => {
      if ('error' in message) {
        finish({ name, ok: false, detail: message.error });
        return;
      }
      const { rows } = message;
      const ok = rows.length === 1 && rows[0] === 'ok';
      finish({ name, ok, detail: ok ? 'ok' : rows.slice(0, 3).join('; ') });
    });
    worker.once('error', (error) => finish({ name, ok: false, detail: error.message }));
    worker.once('exit', (code) =>
      finish({ name, ok: false, detail: `the check stopped early (exit ${code})` }),
    );
  });
}
