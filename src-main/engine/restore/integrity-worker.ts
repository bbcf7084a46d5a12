/**
 * `PRAGMA integrity_check` of a staged SQLite file in a worker thread, so the check of a large
 * assistant.db runs while the rest of the archive is still being unpacked (DESIGN §6: CPU-heavy
 * work off the main thread).
 *
 * The staged file is the very file the swap renames into place, so its check stands for the
 * restored one. The worker is a few lines of CommonJS evaluated inline and handed the resolved
 * path of better-sqlite3, so it needs no bundler entry of its own and runs the same from source
 * and from the built app.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { RestoreCheck } from '../../../src-shared/models/restore';

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
let db;
try {
  db = new Database(workerData.file, { readonly: true, fileMustExist: true });
  const rows = db.pragma('integrity_check');
  parentPort.postMessage({ rows: rows.map((row) => row.integrity_check) });
} catch (error) {
  parentPort.postMessage({ error: String(error && error.message ? error.message : error) });
} finally {
  if (db) db.close();
}
`;

let driverPath: string | null = null;

function driver(): string {
  driverPath ??= createRequire(import.meta.url).resolve('better-sqlite3');
  return driverPath;
}

/** The check's name in the report, for a root-relative path. */
export function integrityCheckName(relative: string): string {
  return `integrity_check ${relative}`;
}

/** Runs integrity_check on `file` in a worker; never rejects, a failure is a failed check. */
export function integrityCheckInWorker(file: string, relative: string): Promise<RestoreCheck> {
  const name = integrityCheckName(relative);
  return new Promise((resolve) => {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { file, driver: driver() },
    });
    let settled = false;
    const finish = (check: RestoreCheck) => {
      if (settled) return;
      settled = true;
      resolve(check);
      void worker.terminate();
    };
    worker.once('message', (message: { rows?: string[]; error?: string }) => {
      if (message.error !== undefined) {
        finish({ name, ok: false, detail: message.error });
        return;
      }
      const rows = message.rows ?? [];
      const ok = rows.length === 1 && rows[0] === 'ok';
      finish({ name, ok, detail: ok ? 'ok' : rows.slice(0, 3).join('; ') });
    });
    worker.once('error', (error) => finish({ name, ok: false, detail: error.message }));
    worker.once('exit', (code) =>
      finish({ name, ok: false, detail: `the check stopped early (exit ${code})` }),
    );
  });
}
