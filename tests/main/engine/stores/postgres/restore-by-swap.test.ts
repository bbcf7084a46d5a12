import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TendFailure } from '../../../../../src-shared/errors';
import { listAppSessions } from '../../../../../src-main/engine/stores/postgres/database-sessions';
import { restoreBySwap } from '../../../../../src-main/engine/stores/postgres/restore-by-swap';
import {
  dropUndoDatabase,
  listUndoDatabases,
  undoRestoreBySwap,
} from '../../../../../src-main/engine/stores/postgres/restore-undo';
import type { ScratchCluster } from '../../../../../src-main/engine/stores/postgres/scratch-cluster';
import { tempDir } from '../../../../support/temp-dir';
import {
  connectionTo,
  countRows,
  createSeedDatabase,
  describePostgres,
  listDatabases,
  useCluster,
  withSuperuser,
} from './support/cluster';
import { takeDump, type TakenDump } from './support/dumps';

async function failureOf(work: Promise<unknown>): Promise<TendFailure> {
  try {
    await work;
  } catch (error) {
    if (error instanceof TendFailure) return error;
    throw error;
  }
  throw new Error('expected a TendFailure');
}

/** Databases named like a restore's scratch database. */
async function scratchDatabases(cluster: ScratchCluster): Promise<string[]> {
  return (await listDatabases(cluster)).filter((name) => name.includes('_tend_restore_'));
}

/** Adds `n` users to `database`, so the live copy differs from the backup. */
async function addUsers(cluster: ScratchCluster, database: string, n: number): Promise<void> {
  await withSuperuser(cluster, database, (client) =>
    client.query(
      `INSERT INTO users (email, name, created_at)
       SELECT 'late' || i || '-' || md5(random()::text) || '@example.org', 'Late', now()
         FROM generate_series(1, $1::int) AS i`,
      [n],
    ),
  );
}

let clock = Date.UTC(2026, 0, 1);
/** A clock a minute later on each call, so each restore's names differ. */
const tick = () => new Date((clock += 60_000));

describePostgres('restoring a database by swap', () => {
  const cluster = useCluster();
  let dump: TakenDump;
  let usersInBackup: number;

  const dumpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tend-pg-dump-'));
  afterAll(() => fs.rmSync(dumpDir, { recursive: true, force: true }));

  beforeAll(async () => {
    const counts = await createSeedDatabase(cluster(), 'bot');
    usersInBackup = counts.users;
    await withSuperuser(cluster(), 'postgres', async (client) => {
      await client.query(`ALTER DATABASE bot SET search_path TO public, "$user"`);
      await client.query(`COMMENT ON DATABASE bot IS 'the impact bot'`);
    });
    dump = await takeDump(cluster(), 'bot', dumpDir);
  });

  it('restores into a scratch database, validates, swaps it in and keeps the old one as the undo', async () => {
    await addUsers(cluster(), 'bot', 7);
    expect(await countRows(cluster(), 'bot', 'users')).toBe(usersInBackup + 7);
    const steps: string[] = [];
    const result = await restoreBySwap({
      connection: dump.connection,
      tools: dump.tools,
      dumpFile: dump.file,
      expected: dump.record,
      validationQuery: 'SELECT 1 FROM users LIMIT 1',
      now: tick,
      onProgress: ({ step }) => {
        if (steps.at(-1) !== step) steps.push(step);
      },
    });
    expect(steps).toEqual(['preparing', 'restoring', 'validating', 'swapping', 'done']);
    expect(result.validation.ok).toBe(true);
    expect(result.validation.query).toEqual({
      sql: 'SELECT 1 FROM users LIMIT 1',
      rows: 1,
      error: null,
    });
    expect(result.undoDatabase).toMatch(/^bot_tend_undo_\d{14}$/);
    expect(result.unavailableMs).toBeGreaterThanOrEqual(0);
    expect(await countRows(cluster(), 'bot', 'users')).toBe(usersInBackup);
    expect(await countRows(cluster(), result.undoDatabase!, 'users')).toBe(usersInBackup + 7);
    expect(await scratchDatabases(cluster())).toEqual([]);
    // What the dump does not hold came across: the database's settings and comment.
    const props = await withSuperuser(cluster(), 'postgres', async (client) => {
      const settings = await client.query(
        `SELECT unnest(setconfig) AS s FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase WHERE d.datname = 'bot'`,
      );
      const comment = await client.query(
        `SELECT shobj_description(oid, 'pg_database') AS c FROM pg_database WHERE datname = 'bot'`,
      );
      return { settings: settings.rows.map((row) => row.s), comment: comment.rows[0].c };
    });
    expect(props).toEqual({ settings: ['search_path=public, "$user"'], comment: 'the impact bot' });
    expect((await listUndoDatabases(dump.connection)).map((database) => database.name)).toEqual([
      result.undoDatabase,
    ]);
  });

  it('undo swaps back, and keeps the restored copy in its turn', async () => {
    const [undo] = await listUndoDatabases(dump.connection);
    const result = await undoRestoreBySwap({ connection: dump.connection, now: tick });
    expect(result.restoredFrom).toBe(undo!.name);
    expect(await countRows(cluster(), 'bot', 'users')).toBe(usersInBackup + 7);
    expect(await countRows(cluster(), result.keptAs, 'users')).toBe(usersInBackup);
    const comment = await withSuperuser(cluster(), 'postgres', async (client) => {
      const found = await client.query(
        `SELECT shobj_description(oid, 'pg_database') AS c FROM pg_database WHERE datname = 'bot'`,
      );
      return found.rows[0].c;
    });
    expect(comment).toBe('the impact bot');
    // Undo again redoes.
    await undoRestoreBySwap({ connection: dump.connection, now: tick });
    expect(await countRows(cluster(), 'bot', 'users')).toBe(usersInBackup);
  });

  it('refuses while the app is connected, naming its sessions, and ends them only when asked', async () => {
    const app = new pg.Client({
      host: cluster().host,
      port: cluster().port,
      user: cluster().superuser,
      password: cluster().password,
      database: 'bot',
      application_name: 'impact-bot',
    });
    await app.connect();
    const appGone = new Promise<void>((resolve) => app.on('error', () => resolve()));
    // Ended whatever happens, so a failure here does not leave a session for the next test.
    try {
      const before = await countRows(cluster(), 'bot', 'users');
      await addUsers(cluster(), 'bot', 3);
      expect(
        (await listAppSessions(dump.connection)).map((session) => session.application),
      ).toEqual(['impact-bot']);
      const refused = await failureOf(
        restoreBySwap({
          connection: dump.connection,
          tools: dump.tools,
          dumpFile: dump.file,
          expected: dump.record,
          now: tick,
        }),
      );
      expect(refused.code).toBe('PG_SESSIONS_CONNECTED');
      expect(refused.message).toMatch(
        /"bot" has 1 session \(pid \d+ impact-bot from 127\.0\.0\.1\)/,
      );
      expect(await countRows(cluster(), 'bot', 'users')).toBe(before + 3);
      expect(await scratchDatabases(cluster())).toEqual([]);

      const result = await restoreBySwap({
        connection: dump.connection,
        tools: dump.tools,
        dumpFile: dump.file,
        expected: dump.record,
        endSessions: true,
        now: tick,
      });
      await appGone;
      expect(result.endedSessions.map((session) => session.application)).toEqual(['impact-bot']);
      expect(await countRows(cluster(), 'bot', 'users')).toBe(usersInBackup);
    } finally {
      await app.end().catch(() => {});
    }
  });

  it('a validation failure (row counts) leaves the live database untouched and drops the scratch one', async () => {
    await addUsers(cluster(), 'bot', 2);
    const live = await countRows(cluster(), 'bot', 'users');
    const undosBefore = await listUndoDatabases(dump.connection);
    const wrong = {
      tables: dump.record.tables.map((table) =>
        table.name === 'messages' ? { ...table, rows: table.rows + 1 } : table,
      ),
    };
    const failure = await failureOf(
      restoreBySwap({
        connection: dump.connection,
        tools: dump.tools,
        dumpFile: dump.file,
        expected: wrong,
        now: tick,
      }),
    );
    expect(failure.code).toBe('RESTORE_VALIDATION_FAILED');
    expect(failure.message).toMatch(/messages: \d+ rows in the backup, \d+ restored/);
    expect(failure.message).toMatch(/live database was left as it was/);
    expect(await countRows(cluster(), 'bot', 'users')).toBe(live);
    expect(await scratchDatabases(cluster())).toEqual([]);
    expect(await listUndoDatabases(dump.connection)).toEqual(undosBefore);
  });

  it('a check query that fails or returns nothing fails validation', async () => {
    for (const [query, message] of [
      ['SELECT 1 FROM users WHERE false', /the check query failed: it returned no rows/],
      [
        'SELECT * FROM no_such_table',
        /the check query failed: relation "no_such_table" does not exist/,
      ],
    ] as const) {
      const failure = await failureOf(
        restoreBySwap({
          connection: dump.connection,
          tools: dump.tools,
          dumpFile: dump.file,
          expected: dump.record,
          validationQuery: query,
          now: tick,
        }),
      );
      expect(failure.code).toBe('RESTORE_VALIDATION_FAILED');
      expect(failure.message).toMatch(message);
    }
    expect(await scratchDatabases(cluster())).toEqual([]);
  });

  it('a dump edited to break a constraint: the restore fails, live untouched, scratch dropped', async () => {
    await createSeedDatabase(cluster(), 'edited');
    await withSuperuser(cluster(), 'edited', (client) =>
      client.query(
        `INSERT INTO chats (user_id, title, created_at) VALUES (7, 'edit-me-chat', '2024-05-01')`,
      ),
    );
    const taken = await takeDump(cluster(), 'edited', tempDir('tend-pg-dump-'), 0);
    const bytes = fs.readFileSync(taken.file);
    const needle = Buffer.from('\t7\tedit-me-chat');
    const at = bytes.indexOf(needle);
    expect(at).toBeGreaterThan(0);
    // Same length, so the archive's framing holds: chat now belongs to user 0, who does not exist.
    Buffer.from('\t0\tedit-me-chat').copy(bytes, at);
    fs.writeFileSync(taken.file, bytes);
    await addUsers(cluster(), 'edited', 1);
    const live = await countRows(cluster(), 'edited', 'users');

    const failure = await failureOf(
      restoreBySwap({
        connection: taken.connection,
        tools: taken.tools,
        dumpFile: taken.file,
        expected: taken.record,
        now: tick,
      }),
    );
    expect(failure.code).toBe('PG_RESTORE_FAILED');
    expect(failure.message).toMatch(/violates foreign key constraint "chats_user_id_fkey"/);
    expect(failure.message).toMatch(/The live database was not touched/);
    expect(await countRows(cluster(), 'edited', 'users')).toBe(live);
    expect(await scratchDatabases(cluster())).toEqual([]);
  });

  it('a constraint left NOT VALID in the backup fails validation', async () => {
    await createSeedDatabase(cluster(), 'lax');
    await withSuperuser(cluster(), 'lax', async (client) => {
      await client.query(`INSERT INTO measurements (user_id, indicator, value, unit, measured_at)
                          VALUES (1, 'x', 5, 'kg', now())`);
      await client.query(
        `ALTER TABLE measurements ADD CONSTRAINT small_values CHECK (value < 1) NOT VALID`,
      );
    });
    const taken = await takeDump(cluster(), 'lax', tempDir('tend-pg-dump-'));
    const failure = await failureOf(
      restoreBySwap({
        connection: taken.connection,
        tools: taken.tools,
        dumpFile: taken.file,
        expected: taken.record,
        now: tick,
      }),
    );
    expect(failure.code).toBe('RESTORE_VALIDATION_FAILED');
    expect(failure.message).toMatch(/constraint small_values on measurements is not valid/);
    expect(await scratchDatabases(cluster())).toEqual([]);
  });

  it('restores a database that is gone (docker-compose down -v): no undo to keep', async () => {
    await withSuperuser(cluster(), 'postgres', (client) => client.query('DROP DATABASE lax'));
    const taken = await takeDump(cluster(), 'bot', tempDir('tend-pg-dump-'));
    const connection = await connectionTo(cluster(), 'lax');
    const result = await restoreBySwap({
      connection,
      tools: taken.tools,
      dumpFile: taken.file,
      expected: taken.record,
      now: tick,
    });
    expect(result.undoDatabase).toBeNull();
    expect(await countRows(cluster(), 'lax', 'users')).toBe(
      taken.record.tables.find((table) => table.name === 'users')!.rows,
    );
  });

  it('drops an undo database only when told, and only one of its own', async () => {
    const undos = await listUndoDatabases(dump.connection);
    expect(undos.length).toBeGreaterThan(1);
    const refused = await failureOf(dropUndoDatabase(dump.connection, 'edited'));
    expect(refused.code).toBe('INVALID_INPUT');
    await withSuperuser(cluster(), 'postgres', (client) =>
      client.query('CREATE DATABASE bot_tend_undo_20200101000000'),
    );
    const lookalike = await failureOf(
      dropUndoDatabase(dump.connection, 'bot_tend_undo_20200101000000'),
    );
    expect(lookalike.code).toBe('INVALID_INPUT');
    await dropUndoDatabase(dump.connection, undos.at(-1)!.name);
    const left = (await listUndoDatabases(dump.connection)).map((database) => database.name);
    expect(left).toEqual(undos.slice(0, -1).map((database) => database.name));
    expect(await listDatabases(cluster())).toContain('bot_tend_undo_20200101000000');
  });
});
