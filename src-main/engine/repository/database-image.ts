import { openReadOnly, type ReadOnlyDatabase } from '../stores/sqlite/sqlite-open';

/**
 * A SQLite database read whole into memory as one consistent image (better-sqlite3's
 * `serialize`, SQLite's sqlite3_serialize): the pages are read inside one read transaction
 * through SQLite's pager, so the image holds every committed transaction, the WAL's frames
 * included, and none half done, while other processes keep writing.
 *
 * For the repository this replaces the online-backup copy to a staging file and reading it
 * back (which cost a worker thread, a disk write and a disk read per database per backup: most
 * of a first backup's time on the demo). The image costs memory the size of the database, so
 * databases above IMAGE_LIMIT still go through the staged copy.
 */

/** Databases (with their WAL) up to this size are read as an in-memory image. */
export const IMAGE_LIMIT = 64 * 1024 * 1024;

/**
 * The database's image, or null when it is too large for memory or cannot be read this way
 * (the caller then makes a staged copy with the online backup API, which reports the error).
 * Opened read-only (stores/sqlite): nothing written, its journal mode and WAL left as they are,
 * no `-wal`/`-shm` left behind that were not there.
 */
export function databaseImage(
  file: string,
  sizeWithWal: number,
  limit = IMAGE_LIMIT,
): Buffer | null {
  if (sizeWithWal > limit) return null;
  let handle: ReadOnlyDatabase | null = null;
  try {
    // Read-only with a busy timeout: a writer in rollback-journal mode holds the file for a
    // moment at commit, and the read waits for it.
    handle = openReadOnly(file);
    return handle.db.serialize();
  } catch {
    return null;
  } finally {
    handle?.close();
  }
}
