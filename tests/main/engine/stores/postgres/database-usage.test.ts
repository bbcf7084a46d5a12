import { expect, it } from 'vitest';
import { databaseUsage } from '../../../../../src-main/engine/stores/postgres/database-usage';
import { connectionTo, createSeedDatabase, describePostgres, useCluster } from './support/cluster';

describePostgres('database usage', () => {
  const cluster = useCluster();

  it('gives each table its own pages, TOAST and indexes, largest first', async () => {
    await createSeedDatabase(cluster(), 'bot', {
      users: 40,
      chatsPerUser: 5,
      messagesPerChat: 40,
      measurementsPerUser: 10,
      messageBytes: 400,
      seed: 4,
    });
    const usage = await databaseUsage(await connectionTo(cluster(), 'bot'));
    expect(usage.database).toBe('bot');
    expect(usage.tables.map((table) => table.name)).toEqual([
      'messages',
      'measurements',
      'chats',
      'users',
    ]);
    const [messages] = usage.tables;
    // Every 50th message is long, random text: stored out of line in TOAST.
    expect(messages!.toastBytes).toBeGreaterThan(0);
    expect(messages!.indexBytes).toBeGreaterThan(0);
    expect(messages!.estimatedRows).toBe(8000);
    for (const table of usage.tables) {
      expect(table.tableBytes + table.toastBytes + table.indexBytes).toBe(table.totalBytes);
    }
    const sum = usage.tables.reduce((total, table) => total + table.totalBytes, 0);
    expect(sum).toBeLessThan(usage.databaseBytes);
  });
});
