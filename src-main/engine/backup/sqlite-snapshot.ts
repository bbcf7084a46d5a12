import fs from 'node:fs/promises';
import type { Worker } from 'node:worker_threads';
import type { ManifestCollection } from '../../../src-shared/models/backup-manifest';
import { startWorkerModule } from '../jobs/worker-module';
import {
  companionsOf,
  tidyAfterReadOnly,
  withReadOnlyDatabase,
} from '../stores/sqlite/sqlite-open';
import type { SnapshotMessage, SnapshotTask } from './sqlite-snapshot-protocol';

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
const sqliteExtensions = /\.(db|sqlite|sqlite3|db3)$/i;

/** Companion files SQLite keeps beside a database; a snapshot already holds what they hold. */
export const sqliteCompanions = ['-wal', '-shm', '-journal'] as const;

/** Whether a file's name has an SQLite database's extension (isSqliteFile's first, synchronous test). */
export function hasSqliteExtension(file: string): boolean {
  return sqliteExtensions.test(file);
}

/** Whether a file is an SQLite database (by name, then by its header). */
export async function isSqliteFile(file: string): Promise<boolean> {
  if (!hasSqliteExtension(file)) return false;
  const handle = await fs.open(file, 'r').catch(() => null);
  if (!handle) return false;
  try {
    const head = Buffer.alloc(16);
    const { bytesRead } = await handle.read(head, 0, 16, 0);
    return bytesRead === 16 && head.equals(SQLITE_MAGIC);
  } finally {
    await handle.close();
  }
}

/**
 * Copies a live SQLite database to `target` with SQLite's online backup API, in a worker
 * thread (the typed module sqlite-snapshot-worker.ts) so the main thread keeps serving the UI
 * and feeding the compressors meanwhile.
 *
 * The copy holds every committed transaction, the WAL's included, and none half done, while
 * other processes keep writing. After the first small step the rest is copied in one step:
 * a writer that commits between steps makes SQLite start over, and copying the rest at once
 * means a busy writer cannot keep the copy from ever finishing. Aborting stops the worker.
 *
 * The source is opened read-only (stores/sqlite's rule: Tend never writes a database it backs
 * up, never checkpoints its WAL, never changes its journal mode); `-wal`/`-shm` the read made
 * where there were none are tidied away once the worker is gone.
 */
export function snapshotSqlite(
  source: string,
  target: string,
  signal?: AbortSignal,
): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const before = companionsOf(source);
    const task: SnapshotTask = { source, target };
    let worker: Worker;
    try {
      worker = startWorkerModule(
        { name: 'sqlite-snapshot-worker', from: import.meta.url, missingCode: 'INTERNAL' },
        { workerData: task },
      );
    } catch (error) {
      reject(error);
      return;
    }
    let settled = false;
    const settle = (error: unknown) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      // Settled only once the thread is gone, so the caller can remove the copy safely.
      void worker
        .terminate()
        .then(() => tidyAfterReadOnly(source, before))
        .catch(() => undefined)
        .finally(() => (error ? reject(error) : resolve()));
    };
    const onAbort = () => settle(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (message: SnapshotMessage) =>
      settle(message.ok ? null : new Error(message.message)),
    );
    worker.on('error', (error) => settle(error));
    worker.on('exit', () => settle(new Error('The SQLite snapshot worker stopped early.')));
  });
}

/** What restore needs to know of an assistant.db snapshot: schema version and collections. */
export function describeAssistantDb(file: string): {
  schemaVersion: number | null;
  collections: ManifestCollection[];
} {
  return withReadOnlyDatabase(file, (db) => {
    const version = db.pragma('user_version', { simple: true }) as number;
    const hasCollections = db
      .prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'collections'")
      .get();
    if (!hasCollections) return { schemaVersion: version || null, collections: [] };
    const rows = db
      .prepare(
        `SELECT c.name, c.dimension, c.space,
           (SELECT count(*) FROM chunks k WHERE k.collection_id = c.id AND k.deleted_at IS NULL) AS chunks
         FROM collections c ORDER BY c.name`,
      )
      .all() as ManifestCollection[];
    return { schemaVersion: version || null, collections: rows };
  });
}
