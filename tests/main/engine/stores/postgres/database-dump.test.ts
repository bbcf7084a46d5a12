import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { TendFailure } from '../../../../../src-shared/errors';
import { inspectDatabase } from '../../../../../src-main/engine/stores/postgres/adoption-check';
import type { PostgresTools } from '../../../../../src-main/engine/stores/postgres/client-tools';
import {
  onDatabase,
  toolEnvironment,
  type PostgresConnection,
} from '../../../../../src-main/engine/stores/postgres/connection';
import {
  dumpDatabase,
  dumpDatabaseToFile,
} from '../../../../../src-main/engine/stores/postgres/database-dump';
import { DatabaseDumpRecordSchema } from '../../../../../src-main/engine/stores/postgres/dump-record';
import type { ScratchCluster } from '../../../../../src-main/engine/stores/postgres/scratch-cluster';
import { tempDir } from '../../../../support/temp-dir';
import {
  connectionTo,
  countRows,
  createSeedDatabase,
  describePostgres,
  superuserClient,
  useCluster,
  withSuperuser,
} from './support/cluster';

const run = promisify(execFile);

async function failureOf(work: Promise<unknown>): Promise<TendFailure> {
  try {
    await work;
  } catch (error) {
    if (error instanceof TendFailure) return error;
    throw error;
  }
  throw new Error('expected a TendFailure');
}

/** A sink that takes its time with each chunk, so a dump lasts while others write. */
function slowSink(delayMs: number, onFirst: () => void = () => {}): Writable {
  let first = true;
  return new Writable({
    write(_chunk, _encoding, done) {
      if (first) {
        first = false;
        onFirst();
      }
      setTimeout(done, delayMs);
    },
  });
}

/** pg_restore of a dump file into a new database, with the tools Tend found. */
async function restoreInto(
  cluster: ScratchCluster,
  connection: PostgresConnection,
  tools: PostgresTools,
  file: string,
  database: string,
): Promise<void> {
  await withSuperuser(cluster, 'postgres', (client) =>
    client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`),
  );
  await run(tools.pgRestore, ['--exit-on-error', `--dbname=${database}`, file], {
    env: toolEnvironment(onDatabase(connection, database)),
  });
}

describePostgres('dumping a database', () => {
  const cluster = useCluster();

  it('streams a custom-format dump with its SHA-256, size and per-table row counts', async () => {
    const counts = await createSeedDatabase(cluster(), 'bot');
    const connection = await connectionTo(cluster(), 'bot');
    const { tools } = await inspectDatabase(connection);
    const file = path.join(tempDir(), 'bot.dump');
    const progress: number[] = [];
    const record = await dumpDatabaseToFile(file, {
      connection,
      tools,
      onProgress: ({ bytesDone }) => progress.push(bytesDone),
    });
    DatabaseDumpRecordSchema.parse(record);
    const bytes = fs.readFileSync(file);
    expect(record.bytes).toBe(bytes.length);
    expect(record.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(bytes.subarray(0, 5).toString()).toBe('PGDMP');
    expect(record.archivePath).toBe('database/bot.dump');
    expect(record.tables).toEqual([
      { schema: 'public', name: 'chats', rows: counts.chats },
      { schema: 'public', name: 'measurements', rows: counts.measurements },
      { schema: 'public', name: 'messages', rows: counts.messages },
      { schema: 'public', name: 'users', rows: counts.users },
    ]);
    expect(progress.at(-1)).toBe(record.bytes);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['bot.dump']);
  });

  it('takes one snapshot while a writer inserts message pairs: the dump and its counts hold whole pairs', async () => {
    await createSeedDatabase(cluster(), 'busy');
    const connection = await connectionTo(cluster(), 'busy');
    const { tools } = await inspectDatabase(connection);
    expect((await countRows(cluster(), 'busy', 'messages')) % 2).toBe(0);

    const writer = await superuserClient(cluster(), 'busy');
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
    // Let the writer get going, then dump slowly enough that it keeps writing throughout.
    while (committed < 20) await new Promise((resolve) => setTimeout(resolve, 5));
    const file = path.join(tempDir(), 'busy.dump');
    const output = fs.createWriteStream(file);
    let committedAtStart = 0;
    const slow = new Writable({
      write(chunk: Buffer, _encoding, done) {
        output.write(chunk, () => setTimeout(done, 20));
      },
      final(done) {
        output.end(done);
      },
    });
    const record = await dumpDatabase({
      connection,
      tools,
      output: slow,
      compression: 0,
      onProcess: () => {
        committedAtStart = committed;
      },
    });
    const committedAtEnd = committed;
    running = false;
    await writing;
    await writer.end();
    expect(committedAtEnd).toBeGreaterThan(committedAtStart);

    const inDump = record.tables.find((table) => table.name === 'messages')!.rows;
    expect(inDump % 2).toBe(0);
    await restoreInto(cluster(), connection, tools, file, 'busy_copy');
    expect(await countRows(cluster(), 'busy_copy', 'messages')).toBe(inDump);
    // The live database went on: more pairs than the dump holds.
    expect(await countRows(cluster(), 'busy', 'messages')).toBeGreaterThan(inDump);
  });

  it('pg_dump killed part way: PG_DUMP_FAILED, and no file, partial or whole, is left', async () => {
    await createSeedDatabase(cluster(), 'big', {
      users: 100,
      chatsPerUser: 4,
      messagesPerChat: 100,
      measurementsPerUser: 10,
      messageBytes: 300,
      seed: 2,
    });
    const connection = await connectionTo(cluster(), 'big');
    const { tools } = await inspectDatabase(connection);
    const dir = tempDir();
    let pid = 0;
    let killed = false;
    const failure = await failureOf(
      dumpDatabaseToFile(path.join(dir, 'big.dump'), {
        connection,
        tools,
        compression: 0,
        onProcess: (started) => {
          pid = started;
        },
        onProgress: () => {
          if (!killed) {
            killed = true;
            process.kill(pid, 'SIGKILL');
          }
        },
      }),
    );
    expect(killed).toBe(true);
    expect(failure.code).toBe('PG_DUMP_FAILED');
    expect(failure.message).toMatch(/pg_dump was killed by SIGKILL while dumping database "big"/);
    expect(fs.readdirSync(dir)).toEqual([]);
    // Tend's snapshot session is gone too: nothing of the backup is left on the server.
    const sessions = await withSuperuser(cluster(), 'postgres', async (client) => {
      const result = await client.query(
        `SELECT pid FROM pg_stat_activity WHERE datname = 'big' AND application_name LIKE 'tend%'`,
      );
      return result.rowCount;
    });
    expect(sessions).toBe(0);
  });

  it('a streamed dump that fails destroys its output instead of ending it', async () => {
    const connection = await connectionTo(cluster(), 'big');
    const { tools } = await inspectDatabase(connection);
    let pid = 0;
    let finished = false;
    const sink = slowSink(1, () => process.kill(pid, 'SIGKILL'));
    sink.on('finish', () => {
      finished = true;
    });
    sink.on('error', () => {});
    const failure = await failureOf(
      dumpDatabase({
        connection,
        tools,
        output: sink,
        compression: 0,
        onProcess: (started) => {
          pid = started;
        },
      }),
    );
    expect(failure.code).toBe('PG_DUMP_FAILED');
    expect(finished).toBe(false);
    expect(sink.destroyed).toBe(true);
  });

  it('a cancelled dump is CANCELLED and leaves nothing', async () => {
    const connection = await connectionTo(cluster(), 'big');
    const { tools } = await inspectDatabase(connection);
    const dir = tempDir();
    const controller = new AbortController();
    const failure = await failureOf(
      dumpDatabaseToFile(path.join(dir, 'big.dump'), {
        connection,
        tools,
        compression: 0,
        signal: controller.signal,
        onProgress: () => controller.abort(),
      }),
    );
    expect(failure.code).toBe('CANCELLED');
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
