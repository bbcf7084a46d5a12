/**
 * The channels of a postgres-app folder's database (issue 11): its status and check, backups
 * of it (alone, with the folder, before an update), restore by swap with the sessions it
 * would meet, undo and dropping the databases kept for undo, numbered migrations after a
 * pre-migration backup, the integrity check, and its usage by table. The Database page and
 * `tend pg …` do the same things through the same service.
 */
import { z } from 'zod';
import { JobRecordSchema } from '../models/jobs';
import { pathField } from '../models/paths';
import {
  ConnectedSessionSchema,
  DatabaseUsageSchema,
  IntegrityReportSchema,
  MigrationListSchema,
  PostgresBackupSchema,
  PostgresCheckInfoSchema,
  PostgresStatusSchema,
  SwapUndoResultSchema,
} from '../models/postgres';
import { empty } from './common';

/** A folder of numbered `.sql` migrations; by default the folder's own `database/migrations`. */
const migrationsFolder = pathField('read-folder').optional();

/** The postgres channels. */
export const postgresChannels = {
  /** Whether the open folder keeps its data in PostgreSQL, and whether Tend is connected. */
  'pg:status': { input: empty, output: PostgresStatusSchema },
  /**
   * Checks a database and saves it as the folder's connection only when the check passes
   * (`tend pg connect`): a wrong password (PG_AUTH_FAILED), an unreachable server
   * (PG_UNREACHABLE) or a missing database (PG_DATABASE_MISSING) saves nothing. The URL holds
   * no password; the password comes from an environment variable of Tend's process or a
   * .pgpass-style file (refused when others can read it), and is never saved.
   */
  'pg:connect': {
    input: z
      .object({
        url: z.string().trim().min(1, 'Give the database URL').max(2048),
        password: z.discriminatedUnion('from', [
          z.object({ from: z.literal('none') }).strict(),
          z
            .object({
              from: z.literal('env'),
              variable: z
                .string()
                .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'Give an environment variable name'),
            })
            .strict(),
          z.object({ from: z.literal('file'), path: pathField('read-file') }).strict(),
        ]),
      })
      .strict(),
    output: PostgresCheckInfoSchema,
  },
  /**
   * The adoption check of the saved connection: server version, size, tables, the pg_dump
   * able to dump it (PG_TOOLS_TOO_OLD names both versions); it also drops the scratch
   * database of a restore that stopped part way, and says so.
   */
  'pg:check': { input: empty, output: PostgresCheckInfoSchema },
  /** The folder's backups, newest first, with the database each holds (read from disk only). */
  'pg:backups': {
    input: empty,
    output: z.object({ backups: z.array(PostgresBackupSchema).readonly() }),
  },
  /** Backs the database up alone (`database`) or with the folder's files (`full`), a job. */
  'pg:backup': {
    input: z
      .object({
        kind: z.enum(['database', 'full']).default('database'),
        destination: pathField('destination').optional(),
      })
      .strict(),
    output: JobRecordSchema,
  },
  /**
   * Backs the database and the folder's files up before an update of the app (kind
   * `pre-update`, a job); the answer's job ends with the backup's record.
   */
  'pg:guard': {
    input: z.object({ destination: pathField('destination').optional() }).strict(),
    output: JobRecordSchema,
  },
  /** The sessions connected to the live database now (a restore or undo refuses while any are). */
  'pg:sessions': {
    input: empty,
    output: z.object({
      database: z.string(),
      sessions: z.array(ConnectedSessionSchema).readonly(),
    }),
  },
  /**
   * Restores the database from a backup by swap, a job: the dump into a scratch database,
   * validated (row counts against the backup's, constraints, indexes, the person's query),
   * then renamed in; the live database is kept as the undo. Refused (PG_SESSIONS_CONNECTED,
   * the sessions in details) while the app is connected, unless `endSessions`. The job's
   * result is a SwapRestoreResultSchema; a failed validation is RESTORE_VALIDATION_FAILED with
   * the validation in details.
   */
  'pg:restore': {
    input: z
      .object({
        backup: pathField('backup-ref', 'Say which backup'),
        endSessions: z.boolean().default(false),
        /** A query that must run and return a row on the restored copy before the swap. */
        validationQuery: z.string().trim().min(1).max(10_000).optional(),
      })
      .strict(),
    output: JobRecordSchema,
  },
  /** Swaps the database as it was before the last restore back in. */
  'pg:undo': {
    input: z.object({ endSessions: z.boolean().default(false) }).strict(),
    output: SwapUndoResultSchema,
  },
  /** Drops every database kept for undo (the person confirmed: a restore cannot be undone after). */
  'pg:drop-old': { input: empty, output: z.object({ dropped: z.array(z.string()).readonly() }) },
  /** The numbered migrations of a folder: applied, pending, changed since applied, missing. */
  'pg:migrations': {
    input: z.object({ folder: migrationsFolder }).strict(),
    output: MigrationListSchema,
  },
  /**
   * Applies a folder's pending migrations after a `pre-migration` backup, each in its own
   * transaction (a job; its result is a MigrationRunResultSchema). A failing one is rolled
   * back whole: PG_MIGRATION_FAILED names it and its line.
   */
  'pg:migrate': {
    input: z
      .object({ folder: migrationsFolder, destination: pathField('destination').optional() })
      .strict(),
    output: JobRecordSchema,
  },
  /** The integrity check: constraints validated, indexes valid, row counts per table. */
  'pg:integrity': { input: empty, output: IntegrityReportSchema },
  /** The database's size by table, with TOAST and indexes apart. */
  'pg:usage': { input: empty, output: DatabaseUsageSchema },
} as const;

/** The postgres events: none (jobs report through job:progress). */
export const postgresEvents = {} as const;
