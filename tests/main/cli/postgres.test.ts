/**
 * `tend pg …` and `tend guard` end to end against a real, throwaway PostgreSQL cluster: a
 * person adopts seed 003's bot, backs it up while it writes, sees a failing migration rolled
 * back, restores that backup by swap and undoes it. Skipped, saying why, where the server
 * programs are missing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { BackupRecord } from '../../../src-shared/models/backups';
import type { PostgresCheck } from '../../../src-main/engine/profiles/postgres-app/postgres-service';
import { tempDir } from '../../support/temp-dir';
import { tend } from '../../support/run-tend';
import {
  countRows,
  createSeedDatabase,
  describePostgres,
  listDatabases,
  PASSWORD_VARIABLE,
  superuserClient,
  useCluster,
  withSuperuser,
} from '../engine/stores/postgres/support/cluster';
import { stateOfRoot } from '../../support/root-state';

/** Where Tend keeps the folder's database setting: its state folder (none before adoption). */
const stateFile = (base: string) => {
  try {
    return path.join(
      stateOfRoot(path.join(base, 'tend-state'), path.join(base, 'root')).dir,
      'postgres.json',
    );
  } catch {
    return path.join(base, 'tend-state', 'not-registered', 'postgres.json');
  }
};

afterEach(() => {
  delete process.env[PASSWORD_VARIABLE];
});

describePostgres('tend pg', () => {
  const cluster = useCluster();

  /** A demo bot folder (seed 003) adopted by Tend, and its database on the cluster. */
  async function adoptedBot(database: string) {
    const base = tempDir();
    const root = path.join(base, 'root');
    const dest = path.join(base, 'dest');
    fs.mkdirSync(dest);
    const demo = await tend(['demo', '--root', root, '--profile', 'postgres-app'], base);
    expect(demo.code, demo.stderr).toBe(0);
    expect(demo.stdout).toContain('The database side needs a PostgreSQL server');
    await createSeedDatabase(cluster(), database);
    return { base, root, dest, url: cluster().url(database) };
  }

  it('refuses a wrong password, an unreachable server and a missing database with exit 3, writing nothing', async () => {
    const { base, root } = await adoptedBot('refusals');
    const before = fs.readdirSync(root).sort();
    const cases = [
      { url: cluster().url('refusals'), password: 'wrong', code: 'PG_AUTH_FAILED' },
      {
        url: `postgresql://postgres@127.0.0.1:1/refusals`,
        password: cluster().password,
        code: 'PG_UNREACHABLE',
      },
      { url: cluster().url('nope'), password: cluster().password, code: 'PG_DATABASE_MISSING' },
    ];
    for (const { url, password, code } of cases) {
      process.env[PASSWORD_VARIABLE] = password;
      const run = await tend(
        ['pg', 'connect', url, '--password-env', PASSWORD_VARIABLE, '--root', root],
        base,
      );
      expect(run.code, `${code}: ${run.stderr}`).toBe(3);
      expect(run.stderr).toContain(code);
      expect(run.stderr).not.toContain(password === 'wrong' ? 'wrong@' : cluster().password);
      expect(fs.existsSync(stateFile(base))).toBe(false);
    }
    // A password variable that is not set at all.
    delete process.env[PASSWORD_VARIABLE];
    const unset = await tend(
      [
        'pg',
        'connect',
        cluster().url('refusals'),
        '--password-env',
        PASSWORD_VARIABLE,
        '--root',
        root,
      ],
      base,
    );
    expect(unset.code).toBe(3);
    expect(unset.stderr).toContain('PG_PASSWORD_UNAVAILABLE');
    // Nothing before a saved connection either: check names how to set one.
    const check = await tend(['pg', 'check', '--root', root], base);
    expect(check.code).toBe(2);
    expect(check.stderr).toContain('tend pg connect');
    expect(fs.existsSync(stateFile(base))).toBe(false);
    expect(fs.readdirSync(root).sort()).toEqual(before);
    expect(await listDatabases(cluster())).not.toContain('nope');
  });

  it('adopts, backs up while the bot writes pairs, rolls a failing migration back, restores by swap and undoes', async () => {
    const { base, root, dest, url } = await adoptedBot('impactbot_v2');
    process.env[PASSWORD_VARIABLE] = cluster().password;

    // Adopt: the folder is detected as the bot's, the connection checked and saved.
    const connect = await tend(
      ['pg', 'connect', url, '--password-env', PASSWORD_VARIABLE, '--root', root, '--json'],
      base,
    );
    expect(connect.code, connect.stderr).toBe(0);
    const adopted = JSON.parse(connect.stdout) as PostgresCheck;
    expect(adopted.facts).toMatchObject({ database: 'impactbot_v2', tableCount: 4 });
    expect(adopted.caches[0]).toMatchObject({ kind: 'redis', backedUp: false });
    const saved = fs.readFileSync(stateFile(base), 'utf8');
    expect(JSON.parse(saved)).toEqual({
      url,
      password: { from: 'env', variable: PASSWORD_VARIABLE },
    });
    expect(saved).not.toContain(cluster().password);
    const check = await tend(['pg', 'check', '--root', root], base);
    expect(check.code, check.stderr).toBe(0);
    expect(check.stdout).toMatch(/in 4 tables/);
    expect(check.stdout).toContain('can dump this server');

    // Back up (full: the database and the uploads) while a writer inserts message pairs.
    const writer = await superuserClient(cluster(), 'impactbot_v2');
    let committed = 0;
    let running = true;
    const writing = (async () => {
      while (running) {
        await writer.query('BEGIN');
        await writer.query(
          `INSERT INTO messages (chat_id, role, content, created_at)
           VALUES (1, 'user', 'question', now()), (1, 'assistant', 'answer', now())`,
        );
        await writer.query('COMMIT');
        committed += 1;
      }
    })();
    while (committed < 20) await new Promise((resolve) => setTimeout(resolve, 5));
    const backup = await tend(
      ['pg', 'backup', '--kind', 'full', '--root', root, '--dest', dest, '--json'],
      base,
    );
    const committedAfterBackup = committed;
    running = false;
    await writing;
    await writer.end();
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.stderr).toContain('Dumping the database impactbot_v2');
    const record = JSON.parse(backup.stdout) as BackupRecord;
    expect(record).toMatchObject({ kind: 'full', state: 'completed' });
    expect(committedAfterBackup).toBeGreaterThan(20);
    const sidecar = JSON.parse(
      fs.readFileSync(path.join(dest, `${record.id}.manifest.json`), 'utf8'),
    ) as { entries: Array<{ path: string; sha256?: string }> };
    const paths = sidecar.entries.map((entry) => entry.path);
    expect(paths).toContain('database/impactbot_v2.dump');
    expect(paths).toContain('database/impactbot_v2.dump.json');
    expect(paths.some((entry) => entry.startsWith('backend/uploads/'))).toBe(true);
    // Logs and the Redis data are never backed up.
    expect(paths.some((entry) => entry.startsWith('backend/logs/'))).toBe(false);
    expect(paths.some((entry) => entry.startsWith('redis/'))).toBe(false);
    const messagesInBackup = (
      JSON.parse(
        await readArchived(path.join(dest, record.fileName), 'database/impactbot_v2.dump.json'),
      ) as { tables: Array<{ name: string; rows: number }> }
    ).tables.find((table) => table.name === 'messages')!.rows;
    expect(messagesInBackup % 2).toBe(0);

    // A migration that fails: its own transaction is rolled back, the one before it stays.
    const migrations = path.join(base, 'migrations');
    fs.mkdirSync(migrations);
    fs.writeFileSync(
      path.join(migrations, '001_add_locale.sql'),
      "ALTER TABLE users ADD COLUMN locale text NOT NULL DEFAULT 'en';\n",
    );
    fs.writeFileSync(
      path.join(migrations, '002_broken.sql'),
      'CREATE TABLE feedback (id bigserial PRIMARY KEY);\nINSERT INTO no_such_table VALUES (1);\n',
    );
    const migrate = await tend(
      ['pg', 'migrate', 'apply', migrations, '--root', root, '--dest', dest],
      base,
    );
    expect(migrate.code).toBe(3);
    expect(migrate.stderr).toContain('PG_MIGRATION_FAILED');
    expect(migrate.stderr).toContain('002_broken.sql');
    const tables = await withSuperuser(cluster(), 'impactbot_v2', async (client) =>
      (
        await client.query<{ tablename: string }>(
          "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
        )
      ).rows.map((row) => row.tablename),
    );
    expect(tables).not.toContain('feedback');
    const migrationCheck = await tend(
      ['pg', 'migrate', 'check', migrations, '--root', root, '--json'],
      base,
    );
    expect(migrationCheck.code, migrationCheck.stderr).toBe(0);
    const status = JSON.parse(migrationCheck.stdout) as {
      integrity: { ok: boolean };
      migrations: { applied: Array<{ name: string }>; pending: Array<{ name: string }> };
    };
    expect(status.integrity.ok).toBe(true);
    expect(status.migrations.applied.map((item) => item.name)).toEqual(['001_add_locale.sql']);
    expect(status.migrations.pending.map((item) => item.name)).toEqual(['002_broken.sql']);
    // The pre-migration backup holds the database as it was before.
    const list = JSON.parse(
      (await tend(['pg', 'list', '--root', root, '--json'], base)).stdout,
    ) as { backups: Array<{ backup: BackupRecord; database: string | null }> };
    expect(list.backups.map((item) => [item.backup.kind, item.database])).toEqual([
      ['pre-migration', 'impactbot_v2'],
      ['full', 'impactbot_v2'],
    ]);

    // Restore the backup by swap: the live database (with its later rows) is kept as the undo.
    const messagesLive = await countRows(cluster(), 'impactbot_v2', 'messages');
    expect(messagesLive).toBeGreaterThan(messagesInBackup);
    const restore = await tend(['pg', 'restore', record.id, '--root', root], base);
    expect(restore.code, restore.stderr).toBe(0);
    expect(restore.stdout).toContain('by swap');
    expect(restore.stdout).toMatch(/To undo: tend pg undo --root /);
    expect(await countRows(cluster(), 'impactbot_v2', 'messages')).toBe(messagesInBackup);
    const afterRestore = await listDatabases(cluster());
    expect(afterRestore.filter((name) => name.includes('_tend_restore_'))).toEqual([]);
    expect(afterRestore.filter((name) => name.startsWith('impactbot_v2_tend_undo_'))).toHaveLength(
      1,
    );

    // Undo: the database as it was before the restore is back.
    const undo = await tend(['pg', 'undo', '--root', root], base);
    expect(undo.code, undo.stderr).toBe(0);
    expect(await countRows(cluster(), 'impactbot_v2', 'messages')).toBe(messagesLive);

    // The undo databases go only when told.
    const refused = await tend(['pg', 'drop-old', '--root', root], base);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--yes');
    const dropped = await tend(['pg', 'drop-old', '--yes', '--root', root, '--json'], base);
    expect(dropped.code, dropped.stderr).toBe(0);
    expect((JSON.parse(dropped.stdout) as { dropped: string[] }).dropped).toHaveLength(1);
    expect((await listDatabases(cluster())).filter((name) => name.includes('_tend_'))).toEqual([]);
  });

  it('guard takes a pre-update backup and prints the restore command; usage lists the tables', async () => {
    const { base, root, dest, url } = await adoptedBot('guarded');
    process.env[PASSWORD_VARIABLE] = cluster().password;
    expect(
      (
        await tend(
          ['pg', 'connect', url, '--password-env', PASSWORD_VARIABLE, '--root', root],
          base,
        )
      ).code,
    ).toBe(0);
    const guard = await tend(['guard', '--root', root, '--dest', dest], base);
    expect(guard.code, guard.stderr).toBe(0);
    const id = /tend pg restore (\S+) /.exec(guard.stdout)?.[1];
    expect(id).toMatch(/-pre-update$/);
    expect(fs.existsSync(path.join(dest, `${id}.tar.gz`))).toBe(true);
    expect(guard.stdout).toContain('docker-compose down -v');
    // The uploads' command, pasted, brings a lost upload back and puts no dump in the folder.
    const uploads = path.join(root, 'backend', 'uploads');
    const user = fs.readdirSync(uploads)[0]!;
    fs.rmSync(path.join(uploads, user), { recursive: true });
    const files = /^\s+(tend restore apply .*)$/m.exec(guard.stdout)![1]!.split(' ').slice(1);
    const restored = await tend(files, base);
    expect(restored.code, restored.stderr).toBe(0);
    expect(fs.existsSync(path.join(uploads, user))).toBe(true);
    expect(fs.readdirSync(path.join(root, 'database'))).not.toContain('guarded.dump');

    // The database-only backup holds the dump and no file of the folder.
    const database = await tend(['pg', 'backup', '--root', root, '--dest', dest, '--json'], base);
    expect(database.code, database.stderr).toBe(0);
    const record = JSON.parse(database.stdout) as BackupRecord;
    const sidecar = JSON.parse(
      fs.readFileSync(path.join(dest, `${record.id}.manifest.json`), 'utf8'),
    ) as { entries: Array<{ path: string }> };
    expect(sidecar.entries.map((entry) => entry.path)).toEqual([
      'database/guarded.dump',
      'database/guarded.dump.json',
    ]);

    const usage = await tend(['pg', 'usage', '--root', root, '--json'], base);
    expect(usage.code, usage.stderr).toBe(0);
    const tables = (JSON.parse(usage.stdout) as { tables: Array<{ name: string }> }).tables;
    expect(tables.map((table) => table.name).sort()).toEqual([
      'chats',
      'measurements',
      'messages',
      'users',
    ]);
  });

  it('a dump killed part way records no backup and leaves nothing behind', async () => {
    const { base, root, dest, url } = await adoptedBot('killed');
    process.env[PASSWORD_VARIABLE] = cluster().password;
    expect(
      (
        await tend(
          ['pg', 'connect', url, '--password-env', PASSWORD_VARIABLE, '--root', root],
          base,
        )
      ).code,
    ).toBe(0);
    // The bot holds a lock the dump must wait for; the dump's session is then ended.
    const locker = await superuserClient(cluster(), 'killed');
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE messages IN ACCESS EXCLUSIVE MODE');
    const backup = tend(['pg', 'backup', '--root', root, '--dest', dest], base);
    const killer = await superuserClient(cluster(), 'postgres');
    let killed = 0;
    while (killed === 0) {
      const { rowCount } = await killer.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE datname = 'killed' AND wait_event_type = 'Lock' AND pid <> $1`,
        [(locker as unknown as { processID: number }).processID],
      );
      killed = rowCount ?? 0;
      if (killed === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const run = await backup;
    await locker.query('ROLLBACK');
    await locker.end();
    await killer.end();
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toMatch(/PG_(DUMP|QUERY)_FAILED/);
    expect(fs.readdirSync(dest)).toEqual([]);
    const list = JSON.parse(
      (await tend(['pg', 'list', '--root', root, '--json'], base)).stdout,
    ) as {
      backups: unknown[];
    };
    expect(list.backups).toEqual([]);
    const temp = stateOfRoot(path.join(base, 'tend-state'), root).backupTemp;
    expect(fs.existsSync(temp) ? fs.readdirSync(temp) : []).toEqual([]);
    expect(fs.existsSync(path.join(root, '.tend'))).toBe(false);
  });
});

/** One member of a `.tar.gz`, as text (GNU tar reads Tend's archives). */
async function readArchived(archive: string, member: string): Promise<string> {
  const { execFileSync } = await import('node:child_process');
  return execFileSync('tar', ['-xzOf', archive, member], { encoding: 'utf8' });
}
