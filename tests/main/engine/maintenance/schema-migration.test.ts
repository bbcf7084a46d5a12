import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  migrateSchema,
  recoverSchemaMigration,
  schemaStatus,
} from '../../../../src-main/engine/maintenance/schema-migration';
import { maintenanceRootAt, nativePaths, stateDirBeside } from '../../../support/native-root';

/** The root as the maintenance functions take it, its state beside it. */
const m = (root: string) => maintenanceRootAt(root, stateDirBeside(root));
import {
  assistantMigrations,
  type AssistantMigration,
} from '../../../../src-main/engine/store/migrations';
import { addInteractions, versionOneRoot } from './support';

function read(root: string) {
  const db = new Database(path.join(root, nativePaths.assistantDb), { readonly: true });
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
    expect(schemaStatus(m(root))).toMatchObject({
      current: 1,
      latest: 2,
      pending: [{ version: 2 }],
    });
    const backups: string[][] = [];
    const report = await migrateSchema(m(root), {
      context: null,
      backup: async (paths) => {
        backups.push([...paths]);
        return 'backup-1';
      },
    });
    expect(report).toMatchObject({ from: 1, to: 2, backupId: 'backup-1' });
    expect(backups).toEqual([[nativePaths.assistantDb]]);
    expect(read(root)).toMatchObject({ version: 2, rows: 30 });
    expect(read(root).columns).toContain('scrubbed_at');
    expect(fs.existsSync(m(root).state.schemaCopy)).toBe(false);
    expect((await migrateSchema(m(root), { context: null, backup: null })).applied).toEqual([]);
  });

  it('a failing step rolls back alone: committed steps and rows written meanwhile are kept, and it says so', async () => {
    const root = versionOneRoot();
    const broken: AssistantMigration = {
      version: 3,
      name: 'broken',
      up(db) {
        db.exec('DELETE FROM interactions');
        throw new Error('disk full, say');
      },
    };
    const error = await migrateSchema(m(root), {
      context: null,
      // The assistant writes 100 rows after the copy was taken, while the backup runs.
      backup: async () => {
        const db = new Database(path.join(root, nativePaths.assistantDb));
        addInteractions(db, '2026-03-01', 50, 2);
        db.close();
        return null;
      },
      migrations: [...assistantMigrations, broken],
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SCHEMA_MIGRATION_FAILED' });
    expect((error as Error).message).toMatch(
      /stopped at step 003 broken, which failed and was rolled back by itself: disk full, say.*at version 2: the steps that committed are kept.*no row written since is lost/,
    );
    // Step 2 had committed and stays; the failed step's DELETE was rolled back with it.
    expect(read(root)).toMatchObject({ version: 2, rows: 130 });
    expect(read(root).columns).toContain('scrubbed_at');
    const status = schemaStatus(m(root), [...assistantMigrations, broken]);
    expect(status).toMatchObject({ current: 2, pending: [{ version: 3 }] });
    expect(status.notice).toMatch(/Run tend migrate apply/);
    expect(fs.existsSync(m(root).state.schemaCopy)).toBe(true);

    // Run again with the step fixed: it finishes, and the notice and the copy go.
    const fixed: AssistantMigration = { version: 3, name: 'fixed', up: () => undefined };
    const report = await migrateSchema(m(root), {
      context: null,
      backup: null,
      migrations: [...assistantMigrations, fixed],
    });
    expect(report).toMatchObject({ from: 2, to: 3, applied: [{ version: 3 }] });
    expect(read(root)).toMatchObject({ version: 3, rows: 130 });
    expect(schemaStatus(m(root), [...assistantMigrations, fixed]).notice).toBeNull();
    expect(fs.existsSync(m(root).state.schemaCopy)).toBe(false);
  });

  it('a start after a crash never puts the copy back over rows written since; it records where things stand', async () => {
    const root = versionOneRoot();
    // As a process killed right after step 002 committed leaves it: the copy, the journal
    // of a dead process, the database at version 2.
    const error = await migrateSchema(m(root), {
      context: null,
      backup: null,
      migrations: [
        ...assistantMigrations,
        {
          version: 3,
          name: 'never',
          up: () => {
            throw new Error('stop here');
          },
        },
      ],
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SCHEMA_MIGRATION_FAILED' });
    const journalFile = m(root).state.schemaJournal;
    const journal = JSON.parse(fs.readFileSync(journalFile, 'utf8'));
    fs.writeFileSync(
      journalFile,
      JSON.stringify({
        ...journal,
        state: 'migrating',
        notice: undefined,
        owner: { ...journal.owner, pid: 2 ** 22 + 7 },
      }),
    );
    const db = new Database(path.join(root, nativePaths.assistantDb));
    addInteractions(db, '2026-03-01', 50, 2);
    db.close();
    const notice = recoverSchemaMigration(m(root));
    expect(notice).toMatch(/was interrupted .* at version 2: the steps that committed are kept/);
    expect(read(root)).toMatchObject({ version: 2, rows: 130 });
    expect(schemaStatus(m(root)).notice).toBe(notice);
    // Nothing is left to do with this Tend's migrations: the next run finishes it.
    expect((await migrateSchema(m(root), { context: null, backup: null })).applied).toEqual([]);
    expect(schemaStatus(m(root)).notice).toBeNull();
    expect(read(root)).toMatchObject({ version: 2, rows: 130 });
  });

  it('a failed backup stops the migration before any step', async () => {
    const root = versionOneRoot();
    const error = await migrateSchema(m(root), {
      context: null,
      backup: async () => {
        throw new Error('destination unplugged');
      },
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SCHEMA_MIGRATION_FAILED' });
    expect(read(root)).toMatchObject({ version: 1, rows: 30 });
    expect(schemaStatus(m(root)).notice).toMatch(/still at version 1, as before/);
    expect(recoverSchemaMigration(m(root))).toBeNull();
  });
});
