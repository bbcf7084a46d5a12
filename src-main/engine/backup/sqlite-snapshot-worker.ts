/**
 * The SQLite snapshot worker: one database copied with SQLite's online backup API, off the main
 * thread (sqlite-snapshot.ts says why the copy is made this way).
 *
 * Note: this file is a worker entry (its own entry in electron.vite.config.ts and in
 * scripts/build-cli.mjs); sqlite-snapshot.ts starts it with the task as its data, reads its one
 * message, and terminates it on abort.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openReadOnly } from '../stores/sqlite/sqlite-open';
import type { SnapshotMessage, SnapshotTask } from './sqlite-snapshot-protocol';

/** After the first step (SQLite's default of 100 pages), the rest in one. */
const REST_AT_ONCE = 1_000_000_000;

async function snapshot(task: SnapshotTask): Promise<SnapshotMessage> {
  try {
    // Read-only (stores/sqlite): never written, its WAL never checkpointed, its mode kept.
    const handle = openReadOnly(task.source);
    try {
      await handle.db.backup(task.target, { progress: () => REST_AT_ONCE });
    } finally {
      handle.close();
    }
    return { ok: true };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

parentPort?.postMessage(await snapshot(workerData as SnapshotTask));
