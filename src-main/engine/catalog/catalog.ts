import type Database from 'better-sqlite3';
import { openOwnDatabase } from '../stores/sqlite/sqlite-open';
import { TendFailure } from '../../../src-shared/errors';
import type { CatalogMigration } from './migration';
import { catalogMigrations } from './migrations';

/** Tend's own SQLite catalog: jobs, and what later issues add (backups, usage history …). */
export type Catalog = Database.Database;

/**
 * Applies the migrations above the database's `user_version`, each in its own transaction.
 *
 * Two Tends may open a new catalog at the same moment (the app and a command, or two passes
 * of a timer): each migration reads the version again under the write lock
 * (applyMigration), so one Tend applies it and the other finds it done.
 *
 * A catalog written by a newer Tend is refused rather than guessed at.
 */
export function migrateCatalog(
  db: Database.Database,
  migrations: ReadonlyArray<CatalogMigration> = catalogMigrations,
): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  const ordered = [...migrations].sort((a, b) => a.version - b.version);
  const latest = ordered.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new TendFailure(
      'CATALOG_FAILED',
      `The catalog is at version ${current}, newer than this Tend knows (${latest}). Update Tend.`,
    );
  }
  for (const migration of ordered) {
    if (migration.version > current) applyMigration(db, migration);
  }
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Applies one migration in its own transaction, unless the catalog is already at its version
 * or above (another Tend applied it since this one read the version); returns whether it ran.
 * The version is read under the write lock (BEGIN IMMEDIATE), so two Tends never both run it.
 */
export function applyMigration(db: Database.Database, migration: CatalogMigration): boolean {
  return db
    .transaction(() => {
      if ((db.pragma('user_version', { simple: true }) as number) >= migration.version) {
        return false;
      }
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
      return true;
    })
    .immediate();
}

/** Opens (or creates) a catalog file with WAL and foreign keys on, and migrates it. */
export function openCatalog(file: string): Catalog {
  let db: Database.Database | undefined;
  try {
    // Tend's own file: writable, WAL, foreign keys on, NORMAL sync (stores/sqlite).
    db = openOwnDatabase(file, { create: true });
    migrateCatalog(db);
    return db;
  } catch (error) {
    db?.close();
    if (error instanceof TendFailure) throw error;
    throw new TendFailure(
      'CATALOG_FAILED',
      `Cannot open the catalog ${file}: ${(error as Error).message}`,
    );
  }
}
