import { describe, expect, it } from 'vitest';
import { createTendStore } from '../../../src-renderer/src/store/store';
import type { DatabaseUsageInfo } from '../../../src-shared/models/postgres';
import { failed, fakeClient, job, ok } from './fake-client';

const usage: DatabaseUsageInfo = {
  database: 'impactbot_v2',
  databaseBytes: 9000,
  tables: [
    {
      schema: 'public',
      name: 'messages',
      tableBytes: 5000,
      toastBytes: 1000,
      indexBytes: 2000,
      totalBytes: 8000,
      estimatedRows: 400,
    },
  ],
};

describe('postgres slice', () => {
  it('reads the usage by table only once Tend is connected to the database', async () => {
    let connected = false;
    const fake = fakeClient({
      'pg:status': () =>
        ok({ applies: true, connected, url: connected ? 'postgresql://x/y' : null }),
      'pg:usage': () => ok(usage),
    });
    const store = createTendStore(fake.client);
    await store.getState().loadDatabaseUsage();
    expect(store.getState().postgresStatus).toMatchObject({ value: { connected: false } });
    expect(store.getState().databaseUsage.status).toBe('idle');
    expect(fake.callsTo('pg:usage')).toHaveLength(0);

    connected = true;
    await store.getState().loadDatabaseUsage();
    expect(store.getState().databaseUsage).toEqual({ status: 'ready', value: usage });
  });

  it('says nothing applies to a folder of another kind', async () => {
    const fake = fakeClient({
      'pg:status': () => ok({ applies: false, connected: false, url: null }),
    });
    const store = createTendStore(fake.client);
    await store.getState().loadDatabaseUsage();
    expect(store.getState().postgresStatus).toMatchObject({ value: { applies: false } });
    expect(fake.callsTo('pg:usage')).toHaveLength(0);
  });

  it('starts the backup before an update and follows its job; a refusal comes back as it is', async () => {
    const fake = fakeClient({
      'pg:guard': () => ok(job({ id: 'g1', kind: 'backup', state: 'queued' })),
    });
    const store = createTendStore(fake.client);
    const started = await store.getState().backUpBeforeUpdate();
    expect(started.ok).toBe(true);
    expect(store.getState().runningJobs.g1).toBeDefined();

    const refusing = createTendStore(
      fakeClient({ 'pg:guard': () => failed('PG_UNREACHABLE', 'The server is down.') }).client,
    );
    expect(await refusing.getState().backUpBeforeUpdate()).toMatchObject({
      ok: false,
      error: { code: 'PG_UNREACHABLE' },
    });
  });

  it('reads the check again after an undo, and after dropping the old databases', async () => {
    const undoDatabases: Array<{ name: string; bytes: number; at: string }> = [
      { name: 'bot_tend_undo_20261130101010', bytes: 10, at: '2026-11-30T10:10:10.000Z' },
    ];
    const check = () =>
      ok({
        url: 'postgresql://postgres@localhost/bot',
        target: 'database "bot" on localhost:5432 as postgres',
        database: 'bot',
        serverVersion: '15.18',
        databaseBytes: 100,
        tableCount: 4,
        pgDump: { path: '/usr/bin/pg_dump', version: '15.18' },
        caches: [],
        cleanedScratch: [],
        undoDatabases: [...undoDatabases],
      });
    const fake = fakeClient({
      'pg:check': check,
      'pg:undo': () =>
        ok({
          database: 'bot',
          restoredFrom: 'bot_tend_undo_20261130101010',
          keptAs: 'bot_tend_undo_20261130111111',
          unavailableMs: 12,
          endedSessions: [],
        }),
      'pg:drop-old': () => {
        const dropped = undoDatabases.splice(0).map((database) => database.name);
        return ok({ dropped });
      },
    });
    const store = createTendStore(fake.client);
    await store.getState().loadPostgresCheck();
    expect(fake.callsTo('pg:check')).toHaveLength(1);
    expect((await store.getState().undoDatabaseRestore(true)).ok).toBe(true);
    expect(fake.callsTo('pg:undo')[0]!.input).toEqual({ endSessions: true });
    expect(fake.callsTo('pg:check')).toHaveLength(2);
    await store.getState().dropOldDatabases();
    expect(store.getState().postgresCheck).toMatchObject({ value: { undoDatabases: [] } });
  });

  it('reads the migrations of the folder named, or of the folder’s own when none is', async () => {
    const fake = fakeClient({
      'pg:migrations': (input) =>
        ok({ folder: input.folder ?? '/bot/database/migrations', migrations: [] }),
      'pg:migrate': () => ok(job({ id: 'm1', kind: 'migration', state: 'queued' })),
    });
    const store = createTendStore(fake.client);
    await store.getState().loadMigrations();
    expect(store.getState().migrations).toMatchObject({
      value: { folder: '/bot/database/migrations' },
    });
    await store.getState().loadMigrations('/elsewhere');
    expect(fake.callsTo('pg:migrations').map((call) => call.input)).toEqual([
      {},
      { folder: '/elsewhere' },
    ]);
    await store.getState().applyMigrations('/elsewhere');
    expect(fake.callsTo('pg:migrate')[0]!.input).toEqual({ folder: '/elsewhere' });
    expect(store.getState().runningJobs.m1).toBeDefined();
  });
});
