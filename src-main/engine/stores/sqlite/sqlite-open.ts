/**
 * The one place Tend opens SQLite databases (lint keeps `new Database(` out of every other
 * file of src-main).
 *
 * Foreign databases (another app's webui.db, chroma.sqlite3, anythingllm.db) are opened
 * read-only: Tend never writes to them, never checkpoints their WAL and never changes their
 * journal mode. Tend's own files (its catalog, its history, the native assistant.db it
 * migrates) are opened writable through `openOwnDatabase`; a copy Tend made in restore staging
 * through `openStagedDatabase`. Every handle is closed by whoever opened it, in a `finally`;
 * `withReadOnlyDatabase` and `withReadOnlyDatabaseAsync` do it for you.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { TendFailure } from '../../../../src-shared/errors';
import { parseSqliteHeader, SQLITE_HEADER_BYTES } from './sqlite-header';

/** How long a statement waits for another process's lock before it fails. */
export const BUSY_TIMEOUT_MS = 5000;

/** A read-only handle; `close` closes it and tidies what SQLite left beside the file. */
export interface ReadOnlyDatabase {
  readonly db: Database.Database;
  close(): void;
}

function exists(file: string): boolean {
  return fs.existsSync(file);
}

function size(file: string): number | null {
  try {
    return fs.statSync(file).size;
  } catch {
    return null;
  }
}

/**
 * Opens a database read-only.
 *
 * Why the tidying on close: a read-only connection to a database in WAL mode creates `-wal`
 * and `-shm` beside it when they are not there, and being read-only it cannot remove them when
 * it closes (SQLite removes them only on the last close of a connection that can checkpoint).
 * So when neither file was there before and the WAL is still empty, `close` opens one more
 * connection, reads the schema version through it with `query_only` on, and closes it: SQLite
 * itself then removes both files if, and only if, no other process has the database open. An
 * empty WAL has nothing to checkpoint, so the database file is not written; its bytes and mtime
 * stay as they were (tests/main/engine/stores/sqlite-store.test.ts checks both).
 */
export function openReadOnly(file: string): ReadOnlyDatabase {
  if (!exists(file)) {
    throw new TendFailure('FILE_UNREADABLE', `There is no database at ${file}.`);
  }
  const before = companionsOf(file);
  const db = new Database(file, { readonly: true, fileMustExist: true });
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  let closed = false;
  return {
    db,
    close() {
      if (closed) return;
      closed = true;
      db.close();
      tidyAfterReadOnly(file, before);
    },
  };
}

/** Which of a database's `-wal` and `-shm` are there: taken before a read-only read. */
export interface Companions {
  readonly wal: boolean;
  readonly shm: boolean;
}

/** Which of `file`'s `-wal` and `-shm` are there now. */
export function companionsOf(file: string): Companions {
  return { wal: exists(`${file}-wal`), shm: exists(`${file}-shm`) };
}

/**
 * Once every read-only connection (of this process: a worker thread's too) to `file` has
 * closed: removes the `-wal` and `-shm` they made when neither was there before and the WAL is
 * still empty, as `openReadOnly`'s close does (the why is there).
 */
export function tidyAfterReadOnly(file: string, before: Companions): void {
  if (!before.wal && !before.shm && size(`${file}-wal`) === 0) tidyCompanions(file);
}

function tidyCompanions(file: string): void {
  let tidy: Database.Database;
  try {
    tidy = new Database(file, { fileMustExist: true });
  } catch {
    // Not writable by this user: SQLite could not have made the files either, or they stay.
    return;
  }
  try {
    tidy.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    tidy.pragma('query_only = ON');
    // A read, so the connection joins the WAL and its close is a last-connection close.
    tidy.pragma('schema_version');
  } catch {
    // Busy or unreadable: another process has the database; the files are its own now.
  } finally {
    tidy.close();
  }
}

/** Runs `work` on a read-only handle and closes it, whatever `work` does. */
export function withReadOnlyDatabase<T>(file: string, work: (db: Database.Database) => T): T {
  const handle = openReadOnly(file);
  try {
    return work(handle.db);
  } finally {
    handle.close();
  }
}

/** Runs async `work` on a read-only handle and closes it when `work` settles. */
export async function withReadOnlyDatabaseAsync<T>(
  file: string,
  work: (db: Database.Database) => Promise<T>,
): Promise<T> {
  const handle = openReadOnly(file);
  try {
    return await work(handle.db);
  } finally {
    handle.close();
  }
}

/** How to open one of Tend's own databases. */
export interface OwnDatabaseOptions {
  /** Create the file when it does not exist. */
  readonly create?: boolean;
  /**
   * Leave the journal mode as the file has it (assistant.db, the analytics warm tier: files
   * in the data folder); a file created here (or empty, with `create`) still starts in WAL.
   * Without it the database is put in WAL (Tend's catalog, in its state folder).
   */
  readonly keepJournalMode?: boolean;
}

/**
 * Opens a database that Tend owns (never another app's): writable, foreign keys on, WAL
 * unless `keepJournalMode`, and NORMAL sync under WAL (durable: a power cut loses at most the
 * last commits, never the file).
 */
export function openOwnDatabase(file: string, options: OwnDatabaseOptions = {}): Database.Database {
  const fresh = options.create === true && (!exists(file) || size(file) === 0);
  const db = new Database(file, { fileMustExist: !options.create });
  try {
    // The busy timeout goes first so that switching to WAL waits for another writer.
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    if (!options.keepJournalMode || fresh) db.pragma('journal_mode = WAL');
    if (db.pragma('journal_mode', { simple: true }) === 'wal') db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Opens another app's database for a maintenance job the person started (the analytics
 * profile's tiers), or fails with MAINTENANCE_APP_RUNNING when any other connection has it open.
 *
 * Writable, its journal mode left as the app keeps it, and in SQLite's exclusive locking mode
 * from the first statement: in WAL mode every open connection holds a shared lock on the file,
 * so taking the exclusive lock at once (no busy wait) proves that no app has it open, and
 * holding it until `close` keeps the app from writing while rows move. The last close folds
 * the WAL back in, as SQLite does for any last connection.
 */
export function openForeignExclusive(file: string): Database.Database {
  if (!exists(file)) {
    throw new TendFailure('FILE_UNREADABLE', `There is no database at ${file}.`);
  }
  const db = new Database(file, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 0');
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('COMMIT');
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    return db;
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code?.startsWith('SQLITE_BUSY')) {
      throw new TendFailure(
        'MAINTENANCE_APP_RUNNING',
        `${path.basename(file)} is open in another program (the app that writes it is running). Stop that app, then run this again; nothing was changed.`,
        { file },
      );
    }
    throw error;
  }
}

/**
 * Opens one of Tend's own databases (the native assistant.db) only to read it, leaving no
 * `-wal` or `-shm` behind that were not there before.
 *
 * Why it differs from `openReadOnly`: a read-only connection to a WAL database creates `-wal`
 * and `-shm` and, unable to write, never removes them; the last read-write connection to close
 * removes them. So where they do not exist yet (nobody has the database open), this reader
 * connects read-write with `query_only` (SQLite then refuses every change); where they exist
 * (the assistant has it open), a read-only connection leaves them as they are. A database Tend
 * does not own goes through `openReadOnly`, which never opens it writable while reading.
 */
export function openOwnForReading(file: string): Database.Database {
  const readWrite = ownReaderNeedsReadWrite(file);
  const db = new Database(file, { readonly: !readWrite, fileMustExist: true });
  // A read-write connection that refuses every change, as a read-only one would.
  if (readWrite) db.pragma('query_only = ON');
  return db;
}

function ownReaderNeedsReadWrite(file: string): boolean {
  if (!isWalFile(file) || exists(`${file}-wal`)) return false;
  try {
    fs.accessSync(file, fs.constants.W_OK);
    fs.accessSync(path.dirname(file), fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Whether a SQLite file's header says WAL (read synchronously; false when it is none). */
export function isWalFile(file: string): boolean {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const head = Buffer.alloc(SQLITE_HEADER_BYTES);
      const bytesRead = fs.readSync(fd, head, 0, SQLITE_HEADER_BYTES, 0);
      const parsed = parseSqliteHeader(head.subarray(0, bytesRead));
      return parsed.ok && parsed.header.wal;
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return false;
  }
}

/**
 * Opens a copy Tend made in restore staging (a merge of one collection or one workspace into
 * the live database's copy): writable, its journal mode left as the app had it, since the
 * copy is swapped in as the app's database. The last close folds the copy's own WAL back into
 * it, so only the one file is swapped.
 */
export function openStagedDatabase(file: string): Database.Database {
  const db = new Database(file, { fileMustExist: true });
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  return db;
}

/**
 * Creates a new database file in SQLite's defaults (rollback journal), the way most apps leave
 * theirs: for demos of other apps' databases (chroma.sqlite3, webui.db). Refuses a file that
 * exists, so a demo never writes into someone's data.
 */
export function createDatabase(file: string): Database.Database {
  if (exists(file)) {
    throw new TendFailure(
      'ROOT_NOT_EMPTY',
      `${file} already exists; a demo writes only new files.`,
    );
  }
  const db = new Database(file);
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  return db;
}
