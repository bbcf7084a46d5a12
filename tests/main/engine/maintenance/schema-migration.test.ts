import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  migrateSchema,
  recoverSchemaMigration,
  schemaStatus,
} from '../../../../src-main/engine/maintenance/schema-migration';
import { layout } from '../../../../src-main/engine/root/layout';
import {
  assistantMigrations,
  type AssistantMigration,
} from '../../../../src-main/engine/store/migrations';
import { versionOneRoot } from './support';

function read(root: string) {
  const db = new Database(path.join(root, layout.assistantDb), { readonly: true });
  try {
    return {
      version: db.pragma('user_version', { simple: true }),
      rows: (db.prepare('SELECT count(*) AS n FROM interactions').get() as { n: number }).n,
      columns: (db.prepare('PRAGMA table_info(interactions)').all() as Array<{ name: string }>).map(
        (c) => c.name,
      ),
    };
  } finally {
    db.close();
  }
}

describe('schema migration', () => {
  it('takes version 1 to the newest, keeping every row, and calls the backup first', async () => {
    const root = versionOneRoot();
    expect(schemaStatus(root)).toMatchObject({ current: 1, latest: 2, pending: [{ version: 2 }] });
    const backups: string[][] = [];
    const report = await migrateSchema(root, {
      context: null,
      backup: async (paths) => {
        backups.push([...paths]);
        return 'backup-1';
      },
    });
    expect(report).toMatchObject({ from: 1, to: 2, backupId: 'backup-1' });
    expect(backups).toEqual([[layout.assistantDb]]);
    expect(read(root)).toMatchObject({ version: 2, rows: 30 });
    expect(read(root).columns).toContain('scrubbed_at');
    expect(fs.existsSync(path.join(root, '.tend/schema-migration/assistant.db.pre'))).toBe(false);
    expect((await migrateSchema(root, { context: null, backup: null })).applied).toEqual([]);
  });

  it('a failing step puts the copy back: the database is as before', async () => {
    const root = versionOneRoot();
    const broken: AssistantMigration = {
      version: 3,
      name: 'broken',
      up(db) {
        db.exec('DELETE FROM interactions');
        throw new Error('disk full, say');
      },
    };
    const error = await migrateSchema(root, {
      context: null,
      backup: null,
      migrations: [...assistantMigrations, broken],
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SCHEMA_MIGRATION_FAILED' });
    expect((error as Error).message).toMatch(/as before.*disk full/);
    // Step 2 had committed; the copy took the database back to version 1.
    expect(read(root)).toMatchObject({ version: 1, rows: 30 });
    expect(read(root).columns).not.toContain('scrubbed_at');
  });

  it('a failed backup stops the migration before any step', async () => {
    const root = versionOneRoot();
    const error = await migrateSchema(root, {
      context: null,
      backup: async () => {
        throw new Error('destination unplugged');
      },
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SCHEMA_MIGRATION_FAILED' });
    expect(read(root)).toMatchObject({ version: 1, rows: 30 });
    expect(recoverSchemaMigration(root)).toBe(false);
  });
});
