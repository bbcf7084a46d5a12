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
    if (migration.version <= current) continue;
    db.transaction(() => {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
  return db.pragma('user_version', { simple: true }) as number;
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
