import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { TendFailure } from '../../../../../src-shared/errors';
import type { PostgresConnection } from '../../../../../src-main/engine/stores/postgres/connection';
import { checkDatabaseIntegrity } from '../../../../../src-main/engine/stores/postgres/integrity-check';
import { createMigrationFile } from '../../../../../src-main/engine/stores/postgres/migration-files';
import {
  applyMigrations,
  migrationStatus,
} from '../../../../../src-main/engine/stores/postgres/migration-runner';
import { tempDir, writeFile } from '../../../../support/temp-dir';
import {
  connectionTo,
  createSeedDatabase,
  describePostgres,
  useCluster,
  withSuperuser,
} from './support/cluster';
import type { ScratchCluster } from '../../../../../src-main/engine/stores/postgres/scratch-cluster';

async function failureOf(work: Promise<unknown>): Promise<TendFailure> {
  try {
    await work;
  } catch (error) {
    if (error instanceof TendFailure) return error;
    throw error;
  }
  throw new Error('expected a TendFailure');
}

async function columnsOf(
  cluster: ScratchCluster,
  database: string,
  table: string,
): Promise<string[]> {
  return withSuperuser(cluster, database, async (client) => {
    const result = await client.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position`,
      [table],
    );
    return result.rows.map((row) => row.column_name);
  });
}

async function history(cluster: ScratchCluster, database: string): Promise<string[]> {
  return withSuperuser(cluster, database, async (client) => {
    const result = await client.query<{ name: string }>(
      'SELECT name FROM tend_migrations ORDER BY name',
    );
    return result.rows.map((row) => row.name);
  });
}

describePostgres('migrations', () => {
  const cluster = useCluster();

  async function freshDatabase(
    name: string,
  ): Promise<{ connection: PostgresConnection; folder: string }> {
    await createSeedDatabase(cluster(), name);
    return { connection: await connectionTo(cluster(), name), folder: tempDir('tend-migrations-') };
  }

  it('applies numbered files in order, each in a transaction, after the pre-migration hook', async () => {
    const { connection, folder } = await freshDatabase('m1');
    writeFile(
      path.join(folder, '0002_indicator_targets.sql'),
      'ALTER TABLE measurements ADD COLUMN target double precision;\n',
    );
    writeFile(
      path.join(folder, '0001_user_locale.sql'),
      "ALTER TABLE users ADD COLUMN locale text NOT NULL DEFAULT 'en';\n",
    );
    writeFile(path.join(folder, 'README.md'), 'not a migration');

    const before = await migrationStatus(connection, folder);
    expect(before.pending.map((entry) => entry.name)).toEqual([
      '0001_user_locale.sql',
      '0002_indicator_targets.sql',
    ]);
    expect(before.applied).toEqual([]);
    // Looking writes nothing: no history table yet.
    expect(
      await withSuperuser(
        cluster(),
        'm1',
        async (c) => (await c.query(`SELECT to_regclass('tend_migrations') AS t`)).rows[0].t,
      ),
    ).toBeNull();

    const hookSaw: string[][] = [];
    const result = await applyMigrations({
      connection,
      folder,
      beforeApply: async (pending) => {
        hookSaw.push(pending.map((entry) => entry.name));
        // The backup hook runs before any change.
        expect(await columnsOf(cluster(), 'm1', 'users')).not.toContain('locale');
      },
    });
    expect(hookSaw).toEqual([['0001_user_locale.sql', '0002_indicator_targets.sql']]);
    expect(result).toEqual({
      applied: ['0001_user_locale.sql', '0002_indicator_targets.sql'],
      skipped: 0,
    });
    expect(await columnsOf(cluster(), 'm1', 'users')).toContain('locale');
    expect(await history(cluster(), 'm1')).toEqual([
      '0001_user_locale.sql',
      '0002_indicator_targets.sql',
    ]);

    // Nothing pending: the hook is not called, nothing runs.
    const again = await applyMigrations({
      connection,
      folder,
      beforeApply: async () => {
        hookSaw.push(['again']);
      },
    });
    expect(again).toEqual({ applied: [], skipped: 2 });
    expect(hookSaw).toHaveLength(1);
  });

  it('a failing step is rolled back whole and the run stops there, naming the file and line', async () => {
    const { connection, folder } = await freshDatabase('m2');
    writeFile(
      path.join(folder, '0001_ok.sql'),
      'ALTER TABLE chats ADD COLUMN archived boolean NOT NULL DEFAULT false;\n',
    );
    writeFile(
      path.join(folder, '0002_broken.sql'),
      [
        'ALTER TABLE users ADD COLUMN plan text;',
        "UPDATE users SET plan = 'free';",
        'ALTER TABLE users ADD CONSTRAINT plan_known CHECK (plan IN (paid));',
      ].join('\n'),
    );
    writeFile(path.join(folder, '0003_never.sql'), 'ALTER TABLE users ADD COLUMN never int;\n');
    const failure = await failureOf(applyMigrations({ connection, folder }));
    expect(failure.code).toBe('PG_MIGRATION_FAILED');
    expect(failure.message).toMatch(
      /^Migration 0002_broken\.sql failed: column "paid" does not exist/,
    );
    expect(failure.message).toMatch(/rolled back.*the 1 before it stay applied/);
    const columns = await columnsOf(cluster(), 'm2', 'users');
    expect(columns).not.toContain('plan');
    expect(columns).not.toContain('never');
    expect(await columnsOf(cluster(), 'm2', 'chats')).toContain('archived');
    expect(await history(cluster(), 'm2')).toEqual(['0001_ok.sql']);
    const status = await migrationStatus(connection, folder);
    expect(status.pending.map((entry) => entry.name)).toEqual([
      '0002_broken.sql',
      '0003_never.sql',
    ]);

    // A syntax error is named by its line in the file.
    writeFile(
      path.join(folder, '0002_broken.sql'),
      "ALTER TABLE users ADD COLUMN plan text;\n\nALTER TABLE users ADD CONSTRAINT plan_known CHEK (plan <> '');\n",
    );
    const syntax = await failureOf(applyMigrations({ connection, folder }));
    expect(syntax.message).toMatch(
      /^Migration 0002_broken\.sql failed \(line 3\): syntax error at or near "CHEK"/,
    );
    expect(await columnsOf(cluster(), 'm2', 'users')).not.toContain('plan');
  });

  it('refuses an applied file that changed, a file with its own BEGIN/COMMIT, and a hook that fails', async () => {
    const { connection, folder } = await freshDatabase('m3');
    const first = path.join(folder, '0001_first.sql');
    writeFile(first, 'CREATE TABLE tags (id int PRIMARY KEY);\n');
    await applyMigrations({ connection, folder });
    writeFile(first, 'CREATE TABLE tags (id bigint PRIMARY KEY);\n');
    writeFile(path.join(folder, '0002_second.sql'), 'CREATE TABLE labels (id int);\n');
    const changed = await failureOf(applyMigrations({ connection, folder }));
    expect(changed.code).toBe('PG_MIGRATION_CHANGED');
    expect(changed.message).toMatch(/0001_first\.sql changed after it was applied/);
    writeFile(first, 'CREATE TABLE tags (id int PRIMARY KEY);\n');

    writeFile(
      path.join(folder, '0002_second.sql'),
      'BEGIN;\nCREATE TABLE labels (id int);\nCOMMIT;\n',
    );
    const own = await failureOf(applyMigrations({ connection, folder }));
    expect(own.code).toBe('INVALID_INPUT');
    expect(own.message).toMatch(/0002_second\.sql controls its own transaction \(line 1\)/);

    writeFile(path.join(folder, '0002_second.sql'), 'CREATE TABLE labels (id int);\n');
    const hook = await failureOf(
      applyMigrations({
        connection,
        folder,
        beforeApply: async () => {
          throw new TendFailure('NO_SPACE', 'The backup destination is full.');
        },
      }),
    );
    expect(hook.code).toBe('NO_SPACE');
    expect(await history(cluster(), 'm3')).toEqual(['0001_first.sql']);
    expect(
      await withSuperuser(
        cluster(),
        'm3',
        async (c) => (await c.query(`SELECT to_regclass('labels') AS t`)).rows[0].t,
      ),
    ).toBeNull();
  });

  it('creates the next numbered file', async () => {
    const folder = tempDir('tend-migrations-');
    expect(path.basename(await createMigrationFile(folder, 'Add user locale'))).toBe(
      '0001_add_user_locale.sql',
    );
    writeFile(path.join(folder, '0007_x.sql'), '');
    const file = await createMigrationFile(folder, 'indicator targets');
    expect(path.basename(file)).toBe('0008_indicator_targets.sql');
    expect(fs.readFileSync(file, 'utf8')).toMatch(/Runs inside one transaction/);
  });

  it('check reports table counts, constraints not validated and invalid indexes', async () => {
    const { connection } = await freshDatabase('m4');
    const clean = await checkDatabaseIntegrity(connection);
    expect(clean.ok).toBe(true);
    expect(clean.tableCount).toBe(4);
    expect(clean.tables.find((table) => table.name === 'users')?.rows).toBe(50);
    await withSuperuser(cluster(), 'm4', async (client) => {
      await client.query(
        `INSERT INTO users (email, name, created_at) VALUES ('a@x', 'Same', now()), ('b@x', 'Same', now())`,
      );
      await client.query(
        `ALTER TABLE users ADD CONSTRAINT short_names CHECK (length(name) < 3) NOT VALID`,
      );
      await client
        .query(`CREATE UNIQUE INDEX CONCURRENTLY users_name_unique ON users (name)`)
        .catch(() => {});
    });
    const report = await checkDatabaseIntegrity(connection);
    expect(report.ok).toBe(false);
    expect(report.invalidConstraints).toEqual(['short_names on users']);
    expect(report.invalidIndexes).toEqual(['users_name_unique']);
    expect(report.tables.find((table) => table.name === 'users')?.rows).toBe(52);
  });
});
