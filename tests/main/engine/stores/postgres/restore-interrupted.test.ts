import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { TendFailure } from '../../../../../src-shared/errors';
import { restoreBySwap } from '../../../../../src-main/engine/stores/postgres/restore-by-swap';
import { recoverInterruptedRestores } from '../../../../../src-main/engine/stores/postgres/restore-recovery';
import { markerComment } from '../../../../../src-main/engine/stores/postgres/tend-databases';
import {
  connectionTo,
  countRows,
  createSeedDatabase,
  describePostgres,
  listDatabases,
  useCluster,
  withSuperuser,
} from './support/cluster';
import { takeDump } from './support/dumps';

async function failureOf(work: Promise<unknown>): Promise<TendFailure> {
  try {
    await work;
  } catch (error) {
    if (error instanceof TendFailure) return error;
    throw error;
  }
  throw new Error('expected a TendFailure');
}

describePostgres('a restore the server stops in the middle of', () => {
  const cluster = useCluster();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tend-pg-dump-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('leaves the live database untouched; the next start reports and drops the scratch database', async () => {
    const counts = await createSeedDatabase(cluster(), 'bot', {
      users: 200,
      chatsPerUser: 4,
      messagesPerChat: 50,
      measurementsPerUser: 50,
      messageBytes: 300,
      seed: 3,
    });
    const dump = await takeDump(cluster(), 'bot', dir);
    await withSuperuser(cluster(), 'bot', (client) =>
      client.query(`DELETE FROM measurements WHERE id % 2 = 0`),
    );
    const liveMeasurements = await countRows(cluster(), 'bot', 'measurements');
    expect(liveMeasurements).toBeLessThan(counts.measurements);

    let crashed = false;
    const failure = await failureOf(
      restoreBySwap({
        connection: dump.connection,
        tools: dump.tools,
        dumpFile: dump.file,
        expected: dump.record,
        onProgress: ({ step, tablesDone }) => {
          if (step === 'restoring' && tablesDone >= 1 && !crashed) {
            crashed = true;
            cluster().crashNow();
          }
        },
      }),
    );
    expect(crashed).toBe(true);
    expect(failure.code).toBe('PG_UNREACHABLE');
    expect(failure.message).toMatch(/The live database was not touched/);
    expect(failure.message).toMatch(
      /scratch database "bot_tend_restore_\d{14}" could not be dropped now/,
    );

    await cluster().start();
    const left = (await listDatabases(cluster())).filter((name) => name.includes('_tend_'));
    expect(left).toHaveLength(1);
    expect(await countRows(cluster(), 'bot', 'measurements')).toBe(liveMeasurements);

    const report = await recoverInterruptedRestores(dump.connection);
    expect(report.droppedScratch.map((database) => database.name)).toEqual(left);
    expect(report.reopened).toBeNull();
    expect((await listDatabases(cluster())).filter((name) => name.includes('_tend_'))).toEqual([]);
    expect(await countRows(cluster(), 'bot', 'measurements')).toBe(liveMeasurements);

    // A second look finds nothing more to do.
    expect(await recoverInterruptedRestores(dump.connection)).toEqual({
      droppedScratch: [],
      reopened: null,
      leftAlone: [],
    });
  });

  it('reopens a live database a swap closed before it stopped, and leaves look-alikes alone', async () => {
    await withSuperuser(cluster(), 'postgres', async (client) => {
      await client.query('CREATE DATABASE bot_tend_restore_20260102030405');
      await client.query(
        `COMMENT ON DATABASE bot_tend_restore_20260102030405 IS ${client.escapeLiteral(
          markerComment({ kind: 'restore', live: 'bot', at: '2026-01-02T03:04:05.000Z' }),
        )}`,
      );
      await client.query('CREATE DATABASE bot_tend_restore_20250101000000');
      await client.query('ALTER DATABASE bot WITH ALLOW_CONNECTIONS false');
    });
    const report = await recoverInterruptedRestores(await connectionTo(cluster(), 'bot'));
    expect(report).toEqual({
      droppedScratch: [{ name: 'bot_tend_restore_20260102030405', bytes: expect.any(Number) }],
      reopened: 'bot',
      leftAlone: ['bot_tend_restore_20250101000000'],
    });
    expect(await countRows(cluster(), 'bot', 'users')).toBeGreaterThan(0);
    expect(await listDatabases(cluster())).toContain('bot_tend_restore_20250101000000');
  });
  it('leaves the scratch database alone while another Tend holds the folder: its restore may be at work', async () => {
    await withSuperuser(cluster(), 'postgres', async (client) => {
      await client.query('CREATE DATABASE bot_tend_restore_20260304050607');
      await client.query(
        `COMMENT ON DATABASE bot_tend_restore_20260304050607 IS ${client.escapeLiteral(
          markerComment({ kind: 'restore', live: 'bot', at: '2026-03-04T05:06:07.000Z' }),
        )}`,
      );
    });
    const connection = await connectionTo(cluster(), 'bot');
    const busy = await recoverInterruptedRestores(connection, {
      restoreRunning: async () => true,
    });
    expect(busy.droppedScratch).toEqual([]);
    expect(await listDatabases(cluster())).toContain('bot_tend_restore_20260304050607');

    const free = await recoverInterruptedRestores(connection, {
      restoreRunning: async () => false,
    });
    expect(free.droppedScratch.map((database) => database.name)).toEqual([
      'bot_tend_restore_20260304050607',
    ]);
  });
});
