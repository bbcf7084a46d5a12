import type Database from 'better-sqlite3';

/** One numbered step of the catalog's schema; applied once, in order, in a transaction. */
export interface CatalogMigration {
  readonly version: number;
  readonly name: string;
  up(db: Database.Database): void;
}
