import type Database from 'better-sqlite3';

/**
 * One numbered step of assistant.db's schema; applied once, in order, in its own transaction.
 *
 * Version 1 is the whole original schema (applied to an empty database); each later step
 * changes a database that holds the user's data, so it must keep every row.
 */
export interface AssistantMigration {
  readonly version: number;
  readonly name: string;
  up(db: Database.Database): void;
}
