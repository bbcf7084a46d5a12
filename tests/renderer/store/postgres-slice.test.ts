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
});
