/**
 * The Database page's channels over a real throwaway cluster (skipped, saying why, where the
 * server programs are missing): the check, the backups with the database each holds, the
 * sessions a restore would meet, a restore by swap refused while a session is connected and
 * done when told to end it, its validation and unavailable window, undo, dropping the undo
 * databases, and migrations listed, applied after a pre-migration backup, a failing one
 * rolled back.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { BackupRecord } from '../../../../src-shared/models/backups';
import {
  MigrationRunResultSchema,
  SwapRestoreResultSchema,
} from '../../../../src-shared/models/postgres';
import { Engine } from '../../../../src-main/engine/engine';
import { writePostgresSettings } from '../../../../src-main/engine/profiles/postgres-app/postgres-settings';
import { writeFile } from '../../../support/temp-dir';
import { postgresAppFolder } from './app-profiles-support';
import {
  countRows,
  createSeedDatabase,
  describePostgres,
  listDatabases,
  PASSWORD_VARIABLE,
  superuserClient,
  useCluster,
  withSuperuser,
} from '../stores/postgres/support/cluster';

afterEach(() => {
  delete process.env[PASSWORD_VARIABLE];
});

describePostgres('the Database page’s channels', () => {
  const cluster = useCluster();

  async function connectedBot(database: string) {
    const { base, root, dest } = await postgresAppFolder();
    await createSeedDatabase(cluster(), database);
    const engine = await Engine.start({ appStateDir: path.join(base, 'state'), root: null });
    const session = await engine.openRoot(root, { adopt: true });
    process.env[PASSWORD_VARIABLE] = cluster().password;
    await writePostgresSettings(session.state, {
      url: cluster().url(database),
      password: { from: 'env', variable: PASSWORD_VARIABLE },
    });
    return { engine, session, root, dest };
  }

  it('check, back up, restore by swap (refused while connected), undo and drop the old one', async () => {
    const { engine, session, dest } = await connectedBot('swapme');
    try {
      const check = await engine.call('pg:check');
      expect(check).toMatchObject({ database: 'swapme', tableCount: 4, undoDatabases: [] });
      expect(check.serverVersion).toMatch(/^\d+/);
      expect(check.pgDump.version).toMatch(/^\d+/);

      const job = await engine.call('pg:backup', { kind: 'database', destination: dest });
      const backedUp = await session.jobs.wait(job.id);
      expect(backedUp.error).toBe(null);
      const backup = backedUp.result as BackupRecord;
      const { backups } = await engine.call('pg:backups');
      expect(backups[0]).toMatchObject({ id: backup.id, kind: 'database', database: 'swapme' });

      const usersBefore = await countRows(cluster(), 'swapme', 'users');
      await withSuperuser(cluster(), 'swapme', (client) =>
        client.query('DELETE FROM messages; DELETE FROM chats; DELETE FROM measurements'),
      );

      // A session of the app: listed, and the restore refuses while it is there.
      const app = await superuserClient(cluster(), 'swapme');
      // The restore ends this session: its end is expected, not an error of the test.
      app.on('error', () => {});
      await app.query("SET application_name = 'impactbot-backend'");
      try {
        const { sessions } = await engine.call('pg:sessions');
        expect(sessions.map((one) => one.application)).toContain('impactbot-backend');
        const refused = await session.jobs.wait(
          (await engine.call('pg:restore', { backup: backup.id })).id,
        );
        expect(refused.error?.code).toBe('PG_SESSIONS_CONNECTED');
        expect(await countRows(cluster(), 'swapme', 'messages')).toBe(0);

        const restoring = await engine.call('pg:restore', {
          backup: backup.id,
          endSessions: true,
          validationQuery: 'SELECT 1 FROM users LIMIT 1',
        });
        const restored = await session.jobs.wait(restoring.id);
        expect(restored.error).toBe(null);
        const result = SwapRestoreResultSchema.parse(restored.result);
        expect(result.validation.ok).toBe(true);
        expect(result.validation.query).toMatchObject({ rows: 1, error: null });
        expect(result.undoDatabase).toMatch(/^swapme_tend_undo_/);
        expect(result.endedSessions.map((one) => one.application)).toContain('impactbot-backend');
        expect(result.unavailableMs).toBeGreaterThanOrEqual(0);
      } finally {
        await app.end().catch(() => {});
      }
      expect(await countRows(cluster(), 'swapme', 'messages')).toBeGreaterThan(0);
      expect(await countRows(cluster(), 'swapme', 'users')).toBe(usersBefore);
      expect((await engine.call('pg:check')).undoDatabases).toHaveLength(1);

      const undone = await engine.call('pg:undo', { endSessions: false });
      expect(undone.database).toBe('swapme');
      expect(await countRows(cluster(), 'swapme', 'messages')).toBe(0);

      const { dropped } = await engine.call('pg:drop-old');
      expect(dropped.length).toBeGreaterThan(0);
      expect((await listDatabases(cluster())).filter((name) => name.includes('_tend_'))).toEqual(
        [],
      );
    } finally {
      await engine.close();
    }
  });

  it('lists migrations, applies them after a backup, and rolls a failing one back', async () => {
    const { engine, session, root, dest } = await connectedBot('migrateme');
    try {
      const folder = path.join(root, 'database/migrations');
      for (const name of fs.readdirSync(folder)) fs.rmSync(path.join(folder, name));
      writeFile(
        path.join(folder, '0001_user_locale.sql'),
        "ALTER TABLE users ADD COLUMN locale text NOT NULL DEFAULT 'en';\n",
      );
      const listed = await engine.call('pg:migrations', {});
      expect(listed.folder).toBe(folder);
      expect(listed.migrations).toEqual([
        { name: '0001_user_locale.sql', state: 'pending', appliedAt: null },
      ]);

      const first = await session.jobs.wait(
        (await engine.call('pg:migrate', { destination: dest })).id,
      );
      expect(first.error).toBe(null);
      const run = MigrationRunResultSchema.parse(first.result);
      expect(run.applied).toEqual(['0001_user_locale.sql']);
      expect(run.backup).toMatch(/pre-migration/);

      writeFile(
        path.join(folder, '0002_broken.sql'),
        'ALTER TABLE users ADD COLUMN nickname text;\nALTER TABLE no_such_table ADD COLUMN x int;\n',
      );
      const failed = await session.jobs.wait(
        (await engine.call('pg:migrate', { destination: dest })).id,
      );
      expect(failed.error?.code).toBe('PG_MIGRATION_FAILED');
      expect(failed.error?.message).toContain('rolled back');
      const columns = await withSuperuser(cluster(), 'migrateme', async (client) => {
        const result = await client.query<{ column_name: string }>(
          "SELECT column_name FROM information_schema.columns WHERE table_name = 'users'",
        );
        return result.rows.map((row) => row.column_name);
      });
      expect(columns).toContain('locale');
      expect(columns).not.toContain('nickname');
      const after = await engine.call('pg:migrations', { folder });
      expect(after.migrations.map((row) => [row.name, row.state])).toEqual([
        ['0001_user_locale.sql', 'applied'],
        ['0002_broken.sql', 'pending'],
      ]);

      const integrity = await engine.call('pg:integrity');
      expect(integrity).toMatchObject({ ok: true, invalidConstraints: [], invalidIndexes: [] });
    } finally {
      await engine.close();
    }
  });

  it('connects from the app only when the check passes, never saving the password', async () => {
    const { engine, session } = await connectedBot('connectme');
    try {
      const settingsFile = path.join(session.state.dir, 'postgres.json');
      fs.rmSync(settingsFile, { force: true });
      expect(await engine.call('pg:status')).toMatchObject({ connected: false });
      process.env.TEND_TEST_WRONG_PASSWORD = 'not-the-password';
      const wrong = await engine.dispatch('pg:connect', {
        url: cluster().url('connectme'),
        password: { from: 'env', variable: 'TEND_TEST_WRONG_PASSWORD' },
      });
      expect(wrong).toMatchObject({ ok: false, error: { code: 'PG_AUTH_FAILED' } });
      expect(fs.existsSync(settingsFile)).toBe(false);
      const missing = await engine.dispatch('pg:connect', {
        url: cluster().url('no_such_database'),
        password: { from: 'env', variable: PASSWORD_VARIABLE },
      });
      expect(missing).toMatchObject({ ok: false, error: { code: 'PG_DATABASE_MISSING' } });

      const check = await engine.call('pg:connect', {
        url: cluster().url('connectme'),
        password: { from: 'env', variable: PASSWORD_VARIABLE },
      });
      expect(check).toMatchObject({ database: 'connectme', tableCount: 4 });
      expect(await engine.call('pg:status')).toMatchObject({ connected: true });
      expect(fs.readFileSync(settingsFile, 'utf8')).not.toContain(cluster().password);
    } finally {
      delete process.env.TEND_TEST_WRONG_PASSWORD;
      await engine.close();
    }
  });
});
