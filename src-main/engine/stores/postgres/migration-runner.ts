import type pg from 'pg';
import { TendFailure } from '../../../../src-shared/errors';
import { withClient, type PostgresConnection } from './connection';
import { readMigrationFolder, transactionControlLine, type MigrationFile } from './migration-files';

/** Tend's history of applied migrations, a table of its own in the app's database. */
export const MIGRATIONS_TABLE = 'tend_migrations';

const CREATE_TABLE_SQL = `
  CREATE TABLE IF NOT EXISTS public.${MIGRATIONS_TABLE} (
    name text PRIMARY KEY,
    checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`;

/** A migration the history says was applied. */
export interface AppliedMigration {
  name: string;
  checksum: string;
  appliedAt: string;
}

/** Where a folder of migrations stands against a database. */
export interface MigrationStatus {
  applied: AppliedMigration[];
  /** Files not applied yet, in the order they would run. */
  pending: Array<Pick<MigrationFile, 'name' | 'checksum'>>;
  /** Applied files whose bytes changed since (refused until put back). */
  changed: Array<{ name: string; applied: string; now: string }>;
  /** Applied migrations with no file in the folder any more (only reported). */
  missing: string[];
}

async function readHistory(client: pg.Client): Promise<AppliedMigration[]> {
  const exists = await client.query<{ found: string | null }>(
    `SELECT to_regclass('public.${MIGRATIONS_TABLE}')::text AS found`,
  );
  if (!exists.rows[0]?.found) return [];
  const result = await client.query<{ name: string; checksum: string; applied_at: Date }>(
    `SELECT name, checksum, applied_at FROM public.${MIGRATIONS_TABLE} ORDER BY applied_at, name`,
  );
  return result.rows.map((row) => ({
    name: row.name,
    checksum: row.checksum,
    appliedAt: row.applied_at.toISOString(),
  }));
}

/** Compares a folder with the history. Pure. */
export function compareMigrations(
  files: ReadonlyArray<Pick<MigrationFile, 'name' | 'checksum'>>,
  applied: ReadonlyArray<AppliedMigration>,
): MigrationStatus {
  const byName = new Map(applied.map((entry) => [entry.name, entry]));
  const fileNames = new Set(files.map((file) => file.name));
  const pending: MigrationStatus['pending'] = [];
  const changed: MigrationStatus['changed'] = [];
  for (const file of files) {
    const done = byName.get(file.name);
    if (!done) pending.push({ name: file.name, checksum: file.checksum });
    else if (done.checksum !== file.checksum) {
      changed.push({ name: file.name, applied: done.checksum, now: file.checksum });
    }
  }
  return {
    applied: [...applied],
    pending,
    changed,
    missing: applied.filter((entry) => !fileNames.has(entry.name)).map((entry) => entry.name),
  };
}

/** Where the folder stands against the database; writes nothing. */
export async function migrationStatus(
  connection: PostgresConnection,
  folder: string,
): Promise<MigrationStatus> {
  const files = await readMigrationFolder(folder);
  return withClient(connection, 'migration status', async (client) =>
    compareMigrations(files, await readHistory(client)),
  );
}

/** The 1-based line of a character offset (the server's error position) in a text. */
export function lineOf(text: string, position: number): number {
  return text.slice(0, Math.max(0, position - 1)).split('\n').length;
}

/** What a migration run needs. */
export interface ApplyMigrationsOptions {
  connection: PostgresConnection;
  folder: string;
  /**
   * Called once with the pending migrations before the first is applied: the caller takes the
   * `pre-migration` backup here. If it throws, nothing is applied.
   */
  beforeApply?: (pending: ReadonlyArray<Pick<MigrationFile, 'name'>>) => Promise<void>;
  /** How long a step waits for a lock the app holds before it fails; default 10 s. */
  lockTimeoutMs?: number;
  signal?: AbortSignal;
  onProgress?: (progress: { applied: number; total: number; current: string | null }) => void;
}

/** What a migration run applied. */
export interface ApplyMigrationsResult {
  applied: string[];
  /** Already applied before this run. */
  skipped: number;
}

/** A session-level lock so two Tends (or two runs) never migrate one database at once. */
const LOCK_KEY = `hashtext('${MIGRATIONS_TABLE}')`;

/**
 * Applies the folder's pending migrations in order (the seed's `migration-workflow.sh apply`),
 * each in a transaction of its own that also records it in `tend_migrations`. A failing step
 * is rolled back whole, so the database is as it was before that step, and the run stops
 * there with PG_MIGRATION_FAILED naming the file, the line and the server's message (the
 * steps before it stay applied and recorded). An applied file that has changed since is
 * PG_MIGRATION_CHANGED before anything runs.
 */
export async function applyMigrations(
  options: ApplyMigrationsOptions,
): Promise<ApplyMigrationsResult> {
  const { connection, signal } = options;
  const files = await readMigrationFolder(options.folder);
  return withClient(connection, 'migrate', async (client) => {
    const locked = await client.query<{ ok: boolean }>(
      `SELECT pg_try_advisory_lock(${LOCK_KEY}) AS ok`,
    );
    if (!locked.rows[0]?.ok) {
      throw new TendFailure(
        'DATA_LOCKED',
        `Another migration of "${connection.params.database}" is running; try again when it ends.`,
      );
    }
    try {
      const status = compareMigrations(files, await readHistory(client));
      if (status.changed.length > 0) {
        throw new TendFailure(
          'PG_MIGRATION_CHANGED',
          `${status.changed.map((entry) => entry.name).join(', ')} changed after ` +
            'it was applied. Put the applied version back and write the change as a new migration.',
          { changed: status.changed },
        );
      }
      const pending = files.filter((file) =>
        status.pending.some((entry) => entry.name === file.name),
      );
      for (const file of pending) {
        const line = transactionControlLine(file.sql);
        if (line !== null) {
          throw new TendFailure(
            'INVALID_INPUT',
            `Migration ${file.name} controls its own transaction (line ${line}). Tend runs each ` +
              'file in one transaction and records it there; remove BEGIN/COMMIT from the file.',
          );
        }
      }
      const result: ApplyMigrationsResult = { applied: [], skipped: files.length - pending.length };
      if (pending.length === 0) return result;
      await options.beforeApply?.(pending.map((file) => ({ name: file.name })));
      await client.query(CREATE_TABLE_SQL);
      const total = pending.length;
      for (const file of pending) {
        if (signal?.aborted) throw new TendFailure('CANCELLED', 'The migration run was cancelled.');
        options.onProgress?.({ applied: result.applied.length, total, current: file.name });
        await client.query('BEGIN');
        try {
          await client.query(
            `SET LOCAL lock_timeout = ${Math.trunc(options.lockTimeoutMs ?? 10_000)}`,
          );
          await client.query(file.sql);
          await client.query(
            `INSERT INTO public.${MIGRATIONS_TABLE} (name, checksum) VALUES ($1, $2)`,
            [file.name, file.checksum],
          );
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK').catch(() => {});
          throw migrationFailure(error, file, result.applied);
        }
        result.applied.push(file.name);
      }
      options.onProgress?.({ applied: total, total, current: null });
      return result;
    } finally {
      await client.query(`SELECT pg_advisory_unlock(${LOCK_KEY})`).catch(() => {});
    }
  });
}

function migrationFailure(error: unknown, file: MigrationFile, applied: string[]): TendFailure {
  const fields = (typeof error === 'object' && error !== null ? error : {}) as {
    message?: unknown;
    position?: unknown;
    code?: unknown;
  };
  const message = typeof fields.message === 'string' ? fields.message : String(error);
  const position = Number(fields.position);
  const where =
    Number.isFinite(position) && position > 0 ? ` (line ${lineOf(file.sql, position)})` : '';
  const notInTransaction = fields.code === '25001';
  return new TendFailure(
    'PG_MIGRATION_FAILED',
    `Migration ${file.name} failed${where}: ${message}. It was rolled back, so the database is ` +
      `as it was before it` +
      (applied.length ? `; the ${applied.length} before it stay applied.` : '.') +
      (notInTransaction
        ? ' Statements that cannot run in a transaction (such as CREATE INDEX CONCURRENTLY) are not supported in a migration.'
        : ''),
    {
      migration: file.name,
      applied,
      sqlState: typeof fields.code === 'string' ? fields.code : undefined,
    },
  );
}
