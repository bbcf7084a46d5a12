import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  applyMigration,
  migrateCatalog,
  openCatalog,
} from '../../../../src-main/engine/catalog/catalog';
import { catalogMigrations } from '../../../../src-main/engine/catalog/migrations';
import { tempDir } from '../../../support/temp-dir';

describe('catalog', () => {
  it('opens with WAL and foreign keys on, at the latest version', () => {
    const file = path.join(tempDir(), 'catalog.db');
    const db = openCatalog(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('user_version', { simple: true })).toBe(catalogMigrations.at(-1)!.version);
    db.close();
    expect(fs.existsSync(file)).toBe(true);
  });

  it('numbers migrations 1, 2, 3 … with no gap', () => {
    catalogMigrations.forEach((migration, index) => expect(migration.version).toBe(index + 1));
  });

  it('applies only the migrations above the current version, each once', () => {
    const db = new Database(':memory:');
    const applied: number[] = [];
    const steps = [1, 2, 3].map((version) => ({
      version,
      name: `m${version}`,
      up: () => void applied.push(version),
    }));
    migrateCatalog(db, steps.slice(0, 2));
    migrateCatalog(db, steps);
    expect(applied).toEqual([1, 2, 3]);
  });

  it('skips a migration another Tend applied after this one read the version', () => {
    // Two Tends opening a new catalog at once ("table jobs already exists" otherwise).
    const file = path.join(tempDir(), 'catalog.db');
    const mine = new Database(file);
    const theirs = new Database(file);
    const applied: string[] = [];
    const steps = (who: string) =>
      [1, 2].map((version) => ({
        version,
        name: `m${version}`,
        up: (db: Database.Database) => {
          db.exec(`CREATE TABLE t${version} (x)`);
          applied.push(`${who}${version}`);
        },
      }));
    // This one read version 0 and is about to apply migration 1 when the other Tend applies both.
    migrateCatalog(theirs, steps('theirs'));
    expect(applyMigration(mine, steps('mine')[0]!)).toBe(false);
    expect(applyMigration(mine, steps('mine')[1]!)).toBe(false);
    expect(applied).toEqual(['theirs1', 'theirs2']);
    mine.close();
    theirs.close();
  });

  it('rolls back a migration that fails, leaving the version where it was', () => {
    const db = new Database(':memory:');
    const steps = [
      { version: 1, name: 'ok', up: (d: Database.Database) => void d.exec('CREATE TABLE a (x)') },
      {
        version: 2,
        name: 'bad',
        up: (d: Database.Database) => {
          d.exec('CREATE TABLE b (x)');
          throw new Error('boom');
        },
      },
    ];
    expect(() => migrateCatalog(db, steps)).toThrow('boom');
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name = 'b'`).get()).toBeUndefined();
  });

  it('refuses a catalog from a newer Tend', () => {
    const file = path.join(tempDir(), 'catalog.db');
    const db = new Database(file);
    db.pragma('user_version = 999');
    db.close();
    expect(() => openCatalog(file)).toThrow(expect.objectContaining({ code: 'CATALOG_FAILED' }));
  });
});
