/**
 * A PostgreSQL-backed bot (seed 003) on the Database page, through the web host against a real
 * throwaway cluster: the connection's check, a backup of the database, migrations of which the
 * last fails and is shown rolled back (the database keeps what came before it), a restore by
 * swap that lists the app's session and waits for "end them", its validation and unavailable
 * window, the undo, and dropping the old database. Skipped, saying why, where PostgreSQL's
 * server programs are missing (`.ci/run` installs Debian's postgresql).
 */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import {
  findServerBinaries,
  startScratchCluster,
  type ScratchCluster,
} from '../src-main/engine/stores/postgres/scratch-cluster';
import { expect, screenshot, startHost, tempFolder, tend, test } from './support/tend';

const binaries = await findServerBinaries();
const skipReason =
  'missing' in binaries
    ? `PostgreSQL's server programs are missing (${binaries.missing}); install postgresql`
    : null;

/** The variable the password travels in, as a person's shell would hand it to Tend. */
const PASSWORD_VARIABLE = 'E2E_BOT_PGPASSWORD';
const DATABASE = 'impactbot_v2';

test.describe('the Database page', () => {
  test.skip(skipReason !== null, skipReason ?? '');

  let cluster: ScratchCluster;

  test.beforeAll(async () => {
    cluster = await startScratchCluster();
  });

  test.afterAll(async () => {
    await cluster?.remove();
  });

  async function sql<T extends pg.QueryResultRow>(text: string): Promise<T[]> {
    const client = new pg.Client({
      host: cluster.host,
      port: cluster.port,
      user: cluster.superuser,
      password: cluster.password,
      database: DATABASE,
    });
    await client.connect();
    try {
      return (await client.query<T>(text)).rows;
    } finally {
      await client.end();
    }
  }

  const count = async (table: string) =>
    Number((await sql<{ n: string }>(`SELECT count(*) AS n FROM ${table}`))[0]!.n);

  test('back up, a failing migration rolled back, restore by swap and undo', async ({ page }) => {
    test.setTimeout(300_000);
    const admin = new pg.Client({
      host: cluster.host,
      port: cluster.port,
      user: cluster.superuser,
      password: cluster.password,
      database: 'postgres',
    });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${DATABASE}`);
    await admin.end();

    // The bot's folder, its database filled by the demo, connected and given a destination
    // with the real command line.
    const root = path.join(tempFolder('bot'), 'bot');
    const destination = path.join(tempFolder('dest'), 'backups');
    tend(['demo', '--profile', 'postgres-app', '--root', root, '--size', 'small', '--seed', '1'], {
      TEND_DEMO_DATABASE_URL: cluster.url(DATABASE),
      PGPASSWORD: cluster.password,
    });
    const passwordEnv = { [PASSWORD_VARIABLE]: cluster.password };
    tend(['adopt', root], passwordEnv);
    tend(['settings', 'set', '--root', root, `backup.destination=${JSON.stringify(destination)}`]);
    // The demo's two migrations, and one that fails on the rows already there.
    fs.writeFileSync(
      path.join(root, 'database/migrations/003_chats_need_a_title.sql'),
      'ALTER TABLE users ADD COLUMN nickname text;\n' +
        'ALTER TABLE chats ADD CONSTRAINT chats_never CHECK (false);\n',
    );

    const host = await startHost(root, { env: passwordEnv });
    const app = new pg.Client({
      host: cluster.host,
      port: cluster.port,
      user: cluster.superuser,
      password: cluster.password,
      database: DATABASE,
      application_name: 'impactbot-backend',
    });
    // The restore ends this session when told to: that end is expected.
    app.on('error', () => {});
    try {
      await page.goto(host.url);
      await page
        .getByRole('navigation', { name: 'Pages' })
        .getByRole('button', { name: 'Database' })
        .click();
      await expect(page.getByRole('heading', { name: 'Database', level: 1 })).toBeVisible();

      // Connect from the app: a database that does not exist saves nothing; the right one does.
      const connect = page.getByTestId('database-connect');
      await connect
        .getByLabel('Database URL, without the password')
        .fill(cluster.url('impactbot_v1'));
      await connect.getByRole('textbox', { name: 'Name of the variable' }).fill(PASSWORD_VARIABLE);
      await connect.getByRole('button', { name: 'Check and connect' }).click();
      await expect(connect.getByRole('alert')).toContainText('PG_DATABASE_MISSING');
      await screenshot(page, 'database-connect');
      await connect.getByLabel('Database URL, without the password').fill(cluster.url(DATABASE));
      await connect.getByRole('button', { name: 'Check and connect' }).click();
      const check = page.getByTestId('database-check');
      await expect(check).toContainText('PostgreSQL 1');
      await expect(check.getByTestId('database-size')).toContainText('4 tables');
      await expect(check).toContainText('able to dump this server');

      // Back up the database.
      const backups = page.getByTestId('database-backups');
      await backups.getByTestId('database-backup-now').click();
      await expect(backups.getByTestId('database-backup-list')).toContainText(DATABASE);
      await expect(backups.getByTestId('job-outcome')).toContainText('Backed up');

      // Migrations: two pending from the demo and the failing third.
      const migrations = page.getByTestId('database-migrations');
      const rows = migrations.getByTestId('database-migration-list').locator('tbody tr');
      await expect(rows).toHaveCount(3);
      await expect(rows.nth(2)).toHaveAttribute('data-state', 'pending');
      await migrations.getByTestId('database-migrate').click();
      const failed = migrations.getByTestId('database-migration-failed');
      await expect(failed).toContainText('003_chats_need_a_title.sql failed and was rolled back');
      await expect(failed).toContainText('PG_MIGRATION_FAILED');
      await expect(rows.nth(0)).toHaveAttribute('data-state', 'applied');
      await expect(rows.nth(1)).toHaveAttribute('data-state', 'applied');
      await expect(rows.nth(2)).toHaveAttribute('data-state', 'failed');
      await expect(rows.nth(2)).toContainText('Failed, rolled back');
      const columns = await sql<{ column_name: string }>(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'users'",
      );
      expect(columns.map((row) => row.column_name)).toContain('locale');
      expect(columns.map((row) => row.column_name)).not.toContain('nickname');
      await migrations.getByTestId('database-integrity').click();
      await expect(migrations.getByTestId('database-integrity-result')).toContainText('Sound');
      await screenshot(page, 'database-page');

      // Yesterday's mistake: the messages are gone. The app is connected meanwhile.
      const messages = await count('messages');
      expect(messages).toBeGreaterThan(0);
      await sql('DELETE FROM messages');
      await app.connect();

      await backups.getByRole('button', { name: 'Restore by swap…' }).click();
      const wizard = page.getByTestId('restore-swap-wizard');
      await wizard.getByLabel('A query of your own (optional)').fill('SELECT 1 FROM users LIMIT 1');
      await wizard.getByRole('button', { name: 'Next' }).click();
      await expect(wizard.getByTestId('restore-swap-sessions')).toContainText('One session is');
      await expect(wizard.getByTestId('database-sessions')).toContainText('impactbot-backend');
      const start = wizard.getByTestId('restore-swap-start');
      await expect(start).toBeDisabled();
      await screenshot(page, 'database-restore-sessions');
      await wizard.getByTestId('restore-swap-end-sessions').check();
      await start.click();
      await expect(wizard.getByTestId('restore-swap-done')).toBeVisible({ timeout: 120_000 });
      await expect(wizard.getByTestId('restore-swap-window')).toContainText(' ms');
      const validation = wizard.getByTestId('restore-swap-validation');
      await expect(validation).toContainText('Validation passed');
      await expect(validation).toContainText('messages');
      await expect(validation.locator('tr[data-mismatch="yes"]')).toHaveCount(0);
      await expect(wizard.getByTestId('restore-swap-query-result')).toContainText('1 row');
      await screenshot(page, 'database-restore-result');
      expect(await count('messages')).toBe(messages);
      await wizard.getByRole('button', { name: 'Close' }).click();

      // Undo: the database as it was before the restore (without its messages) comes back.
      const undo = page.getByTestId('database-undo');
      await expect(undo).toContainText(`${DATABASE}_tend_undo_`);
      await undo.getByTestId('database-undo-button').click();
      await expect(undo.getByTestId('database-undone')).toContainText('Undone');
      expect(await count('messages')).toBe(0);
      await screenshot(page, 'database-undone');

      // Drop the old database, after a confirmation.
      await undo.getByTestId('database-drop-old').click();
      await page.getByTestId('database-drop-confirm').click();
      await expect(undo.getByTestId('database-dropped')).toContainText('Dropped');
      await expect(undo.getByTestId('database-undo-button')).toBeDisabled();
    } finally {
      await app.end().catch(() => {});
      await host.stop();
    }
  });
});
