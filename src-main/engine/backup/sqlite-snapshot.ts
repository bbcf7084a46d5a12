import fs from 'node:fs/promises';
import Database from 'better-sqlite3';
import type { ManifestCollection } from '../../../src-shared/models/backup-manifest';

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
const sqliteExtensions = /\.(db|sqlite|sqlite3|db3)$/i;

/** Companion files SQLite keeps beside a database; a snapshot already holds what they hold. */
export const sqliteCompanions = ['-wal', '-shm', '-journal'] as const;

/** Whether a file is an SQLite database (by name, then by its header). */
export async function isSqliteFile(file: string): Promise<boolean> {
  if (!sqliteExtensions.test(file)) return false;
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
 * Copies a live SQLite database to `target` with SQLite's online backup API.
 *
 * The copy holds every committed transaction, the WAL's included, and none half done, while
 * other processes keep writing. After the first small step the rest is copied in one step:
 * a writer that commits between steps makes SQLite start over, and copying the rest at once
 * means a busy writer cannot keep the copy from ever finishing.
 */
export async function snapshotSqlite(source: string, target: string): Promise<void> {
  const db = new Database(source, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    await db.backup(target, { progress: () => 1_000_000_000 });
  } finally {
    db.close();
  }
}

/** What restore needs to know of an assistant.db snapshot: schema version and collections. */
export function describeAssistantDb(file: string): {
  schemaVersion: number | null;
  collections: ManifestCollection[];
} {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
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
  } finally {
    db.close();
  }
}
