/**
 * A consistent copy of a live SQLite database through the online backup API.
 */
import fs from 'node:fs';
import { TendFailure } from '../../../../src-shared/errors';
import type { StoreRunOptions } from '../store-kind';
import { openReadOnly } from './sqlite-open';

/** Pages copied per step: about 1 MiB at 4 KiB pages, then the event loop gets a turn. */
const PAGES_PER_STEP = 256;

/** What a snapshot copied. */
export interface SqliteSnapshot {
  readonly pages: number;
  readonly pageSize: number;
  readonly bytes: number;
}

/**
 * Copies `source` to `target` as it was at one moment, its WAL included.
 *
 * The source is opened read-only and one read transaction is held for the whole copy. Why: the
 * backup API restarts whenever another process commits between two steps, so a busy writer
 * could keep a stepped copy from ever finishing; from inside one read transaction the copy sees
 * one snapshot and never restarts, while writers in WAL mode carry on (a database in rollback
 * mode has its writers wait until the copy ends). Steps of 256 pages leave the event loop free.
 * The target is written as a new file; on failure or abort it is removed. The target is not
 * fsynced here: the caller puts it in place (temp name, fsync, rename).
 */
export async function snapshotDatabase(
  source: string,
  target: string,
  options: StoreRunOptions = {},
): Promise<SqliteSnapshot> {
  options.signal?.throwIfAborted();
  const handle = openReadOnly(source);
  try {
    const { db } = handle;
    db.exec('BEGIN');
    // BEGIN is deferred: this read takes the snapshot the whole copy will see.
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const total = db.pragma('page_count', { simple: true }) as number;
    const report = (remaining: number) =>
      options.onProgress?.({
        bytesDone: (total - remaining) * pageSize,
        bytesTotal: total * pageSize,
        filesDone: remaining === 0 ? 1 : 0,
        filesTotal: 1,
        currentPath: source,
      });
    report(total);
    try {
      await db.backup(target, {
        progress: ({ remainingPages }) => {
          // Throwing here makes better-sqlite3 close the backup and reject.
          options.signal?.throwIfAborted();
          report(remainingPages);
          return PAGES_PER_STEP;
        },
      });
    } catch (error) {
      fs.rmSync(target, { force: true });
      fs.rmSync(`${target}-journal`, { force: true });
      if (options.signal?.aborted) throw options.signal.reason;
      throw new TendFailure(
        'FILE_UNREADABLE',
        `The database ${source} could not be copied: ${(error as Error).message}.`,
      );
    } finally {
      if (db.inTransaction) db.exec('COMMIT');
    }
    report(0);
    return { pages: total, pageSize, bytes: total * pageSize };
  } finally {
    handle.close();
  }
}
