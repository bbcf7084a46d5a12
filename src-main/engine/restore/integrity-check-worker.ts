/**
 * The integrity-check worker: `PRAGMA integrity_check` of one staged SQLite file, off the main
 * thread.
 *
 * Note: this file is a worker entry (its own entry in electron.vite.config.ts and in
 * scripts/build-cli.mjs); integrity-worker.ts starts it with the file as its data and reads its
 * one message.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { withReadOnlyDatabase } from '../stores/sqlite/sqlite-open';
import type { IntegrityMessage, IntegrityTask } from './integrity-worker-protocol';

function check(task: IntegrityTask): IntegrityMessage {
  try {
    // Read-only, closed whatever happens, no -wal/-shm left beside the staged file.
    const rows = withReadOnlyDatabase(task.file, (db) =>
      (db.pragma('integrity_check') as Array<{ integrity_check: string }>).map(
        (row) => row.integrity_check,
      ),
    );
    return { rows };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

parentPort?.postMessage(check(workerData as IntegrityTask));
