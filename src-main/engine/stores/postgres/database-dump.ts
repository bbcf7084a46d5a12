import { createHash } from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import type pg from 'pg';
import { TendFailure } from '../../../../src-shared/errors';
import { syncFile, syncFolder } from '../../fs/durable';
import type { PostgresTools } from './client-tools';
import { openClient, toolEnvironment, type PostgresConnection } from './connection';
import { describeConnection, redactSecrets } from './connection-url';
import { dumpArchivePath, type DatabaseDumpRecord } from './dump-record';
import { pgFailure } from './pg-errors';
import { countTableRows, type TableRowCount } from './table-rows';
import { describeExit, runTool } from './tool-process';

const PROGRESS_EVERY_BYTES = 1024 * 1024;

/** What a dump needs besides where its bytes go. */
export interface DumpOptions {
  connection: PostgresConnection;
  tools: PostgresTools;
  signal?: AbortSignal;
  /** Bytes of dump written so far; called about every MiB. */
  onProgress?: (progress: { bytesDone: number }) => void;
  /** pg_dump's process id once it runs (a job's cancel, and tests that kill it). */
  onProcess?: (pid: number) => void;
  /** pg_dump's `--compress` level (0–9); default pg_dump's own. */
  compression?: number;
  /** Clock for `takenAt`; tests fix it. */
  now?: () => Date;
}

/** A dump streamed into a writable the caller gave. */
export interface StreamDumpOptions extends DumpOptions {
  output: Writable;
  /**
   * End `output` after the dump (default true). On failure an output this call would end is
   * destroyed with the error instead, so a truncated dump is never closed as if whole.
   */
  end?: boolean;
}

async function writeChunk(
  output: Writable,
  chunk: Buffer,
  failed: () => Error | null,
): Promise<void> {
  const error = failed();
  if (error) throw error;
  if (!output.write(chunk)) await once(output, 'drain');
}

/** The snapshot the dump and the row counts share, held open by one session. */
interface ExportedSnapshot {
  client: pg.Client;
  id: string;
  serverVersion: string;
}

async function exportSnapshot(connection: PostgresConnection): Promise<ExportedSnapshot> {
  const client = await openClient(connection, { purpose: 'backup' });
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    const result = await client.query<{ id: string; server_version: string }>(
      `SELECT pg_export_snapshot() AS id, current_setting('server_version') AS server_version`,
    );
    const row = result.rows[0]!;
    return { client, id: row.id, serverVersion: row.server_version };
  } catch (error) {
    await client.end().catch(() => {});
    throw pgFailure(error, connection.params, connection.password, 'starting the backup');
  }
}

/**
 * Dumps one database with `pg_dump --format=custom` into `output`, while the application
 * keeps writing: a REPEATABLE READ transaction exports its snapshot, pg_dump takes it with
 * `--snapshot`, and every table's exact row count is read in that same transaction, so the
 * counts describe exactly the rows in the dump. The bytes stream through (never held whole in
 * memory) and are hashed and counted on the way.
 *
 * A pg_dump that fails or is killed part way is PG_DUMP_FAILED (CANCELLED when the signal
 * aborted it); the output is then destroyed, not ended (see `end`).
 */
export async function dumpDatabase(options: StreamDumpOptions): Promise<DatabaseDumpRecord> {
  const { connection, tools, output, signal } = options;
  const { params, password } = connection;
  const endOutput = options.end ?? true;
  if (signal?.aborted) throw new TendFailure('CANCELLED', 'The backup was cancelled.');
  const takenAt = (options.now ?? (() => new Date()))().toISOString();
  const snapshot = await exportSnapshot(connection);
  let tool: ReturnType<typeof runTool> | null = null;
  try {
    const args = ['--format=custom', `--snapshot=${snapshot.id}`, '--no-password'];
    if (options.compression !== undefined) args.push(`--compress=${options.compression}`);
    const running = runTool(tools.pgDump, args, { env: toolEnvironment(connection), signal });
    tool = running;
    options.onProcess?.(running.pid);

    // Counted while pg_dump runs: the same snapshot, so no need to wait for it.
    const counting = countTableRows(snapshot.client).then(
      (tables) => ({ tables }),
      (error: unknown) => ({ error }),
    );

    let outputError: Error | null = null;
    const onOutputError = (error: Error) => {
      outputError = error;
      running.stop();
    };
    output.on('error', onOutputError);
    const hash = createHash('sha256');
    let bytes = 0;
    let reported = 0;
    try {
      for await (const chunk of running.stdout as AsyncIterable<Buffer>) {
        hash.update(chunk);
        bytes += chunk.length;
        await writeChunk(output, chunk, () => outputError);
        if (bytes - reported >= PROGRESS_EVERY_BYTES) {
          reported = bytes;
          options.onProgress?.({ bytesDone: bytes });
        }
      }
    } catch (error) {
      running.stop();
      await running.exited;
      throw outputError ?? error;
    } finally {
      output.off('error', onOutputError);
    }
    const exit = await running.exited;
    if (signal?.aborted) throw new TendFailure('CANCELLED', 'The backup was cancelled.');
    if (exit.code !== 0) {
      const said = redactSecrets(exit.stderr.trim(), password ? [password] : []);
      throw new TendFailure(
        'PG_DUMP_FAILED',
        `pg_dump ${describeExit(exit)} while dumping ${describeConnection(params)}` +
          (said ? `: ${said}` : '.'),
        { stderr: said },
      );
    }
    const counted = await counting;
    if ('error' in counted) {
      throw pgFailure(counted.error, params, password, 'counting rows for the backup');
    }
    const tables: TableRowCount[] = counted.tables;
    options.onProgress?.({ bytesDone: bytes });
    if (endOutput) {
      output.end();
      if (!output.writableFinished) await once(output, 'finish');
    }
    return {
      engine: 'postgresql',
      database: params.database,
      archivePath: dumpArchivePath(params.database),
      format: 'custom',
      bytes,
      sha256: hash.digest('hex'),
      serverVersion: snapshot.serverVersion,
      pgDumpVersion: tools.version,
      takenAt,
      tables,
    };
  } catch (error) {
    tool?.stop();
    if (endOutput) output.destroy(error instanceof Error ? error : new Error(String(error)));
    throw error;
  } finally {
    await snapshot.client.query('ROLLBACK').catch(() => {});
    await snapshot.client.end().catch(() => {});
  }
}

/**
 * Dumps into a file crash-safely: `<file>.partial`, fsync, rename, fsync the folder. On any
 * failure (pg_dump killed, disk full, cancel) the partial file is removed: nothing is left
 * behind and nothing under the final name.
 */
export async function dumpDatabaseToFile(
  file: string,
  options: DumpOptions,
): Promise<DatabaseDumpRecord> {
  const partial = `${file}.partial`;
  const output = fs.createWriteStream(partial, { flags: 'w', mode: 0o600 });
  // Its errors reach the caller as dumpDatabase's rejection; this keeps a stream destroyed
  // with that error from also throwing it as an uncaught exception.
  output.on('error', () => {});
  try {
    await once(output, 'open');
    const record = await dumpDatabase({ ...options, output, end: true });
    await syncFile(partial);
    await fs.promises.rename(partial, file);
    await syncFolder(path.dirname(file));
    return record;
  } catch (error) {
    output.destroy();
    await fs.promises.rm(partial, { force: true });
    throw error;
  }
}
