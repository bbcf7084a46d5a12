import { z } from 'zod';
import { BackupKindSchema } from './backup-manifest';

/**
 * The PostgreSQL database of a postgres-app folder (seed 003) as the pages see it: whether the
 * folder has one and Tend is connected to it, and its size by table.
 */

/** Whether the open folder keeps its data in PostgreSQL, and whether Tend is connected. */
export const PostgresStatusSchema = z.object({
  /** The folder is a postgres-app folder (its profile keeps a database). */
  applies: z.boolean(),
  /** A connection is saved (`tend pg connect`). */
  connected: z.boolean(),
  /** The saved URL, without password; null when none. */
  url: z.string().nullable(),
});
export type PostgresStatus = z.infer<typeof PostgresStatusSchema>;

/** One table's share of the database: its pages, TOAST and indexes apart. */
export const TableUsageSchema = z.object({
  schema: z.string(),
  name: z.string(),
  tableBytes: z.number().int().nonnegative(),
  toastBytes: z.number().int().nonnegative(),
  indexBytes: z.number().int().nonnegative(),
  totalBytes: z.number().int().nonnegative(),
  estimatedRows: z.number(),
});
export type TableUsageInfo = z.infer<typeof TableUsageSchema>;

/** The database's size, and each table's, largest first. */
export const DatabaseUsageSchema = z.object({
  database: z.string(),
  databaseBytes: z.number().int().nonnegative(),
  tables: z.array(TableUsageSchema).readonly(),
});
export type DatabaseUsageInfo = z.infer<typeof DatabaseUsageSchema>;

/** One database a restore or an undo kept, so the restore can be undone. */
export const UndoDatabaseSchema = z.object({
  name: z.string(),
  bytes: z.number().int().nonnegative(),
  /** ISO time of the restore that kept it. */
  at: z.string(),
});
export type UndoDatabaseInfo = z.infer<typeof UndoDatabaseSchema>;

/** The adoption check of the saved connection, as the Database page shows it. */
export const PostgresCheckInfoSchema = z.object({
  /** The saved URL, without password. */
  url: z.string(),
  /** `database "impactbot" on localhost:5432 as postgres`: no secret. */
  target: z.string(),
  database: z.string(),
  serverVersion: z.string(),
  databaseBytes: z.number().int().nonnegative(),
  tableCount: z.number().int().nonnegative(),
  /** The pg_dump Tend runs; the check fails (PG_TOOLS_TOO_OLD) when it cannot dump the server. */
  pgDump: z.object({ path: z.string(), version: z.string() }),
  /** Caches beside the database (Redis): listed, never backed up. */
  caches: z.array(z.object({ location: z.string().nullable(), reason: z.string() })).readonly(),
  /** Scratch databases of a restore that stopped part way, dropped by this check. */
  cleanedScratch: z.array(z.string()).readonly(),
  /** The databases kept so a restore can be undone, newest first. */
  undoDatabases: z.array(UndoDatabaseSchema).readonly(),
});
export type PostgresCheckInfo = z.infer<typeof PostgresCheckInfoSchema>;

/** A backup of the folder, with the database dump it holds (null: files only). */
export const PostgresBackupSchema = z.object({
  id: z.string(),
  kind: BackupKindSchema,
  createdAt: z.string(),
  archiveBytes: z.number().nullable(),
  /** The database the dump holds, or null for a backup of files only. */
  database: z.string().nullable(),
});
export type PostgresBackupInfo = z.infer<typeof PostgresBackupSchema>;

/** A session connected to the live database (the app, a console…). */
export const ConnectedSessionSchema = z.object({
  pid: z.number().int(),
  user: z.string().nullable(),
  application: z.string(),
  clientAddress: z.string().nullable(),
  since: z.string().nullable(),
  state: z.string().nullable(),
});
export type ConnectedSessionInfo = z.infer<typeof ConnectedSessionSchema>;

/** One table's exact rows. */
export const TableRowsSchema = z.object({
  schema: z.string(),
  name: z.string(),
  rows: z.number().int().nonnegative(),
});

/** What validating a restored copy found, before it was swapped in. */
export const RestoreValidationSchema = z.object({
  ok: z.boolean(),
  /** Every table's rows in the restored copy. */
  tables: z.array(TableRowsSchema).readonly(),
  /** Tables whose rows differ from the backup's count (null: missing on that side). */
  mismatches: z
    .array(
      z.object({
        table: z.string(),
        expected: z.number().nullable(),
        found: z.number().nullable(),
      }),
    )
    .readonly(),
  invalidConstraints: z.array(z.string()).readonly(),
  invalidIndexes: z.array(z.string()).readonly(),
  /** The person's own query: rows it returned, or its error. */
  query: z.object({ sql: z.string(), rows: z.number(), error: z.string().nullable() }).nullable(),
  problems: z.array(z.string()).readonly(),
});
export type RestoreValidationInfo = z.infer<typeof RestoreValidationSchema>;

/** The result of a restore-by-swap job (`pg:restore`). */
export const SwapRestoreResultSchema = z.object({
  database: z.string(),
  backup: z.string(),
  /** The database as it was, kept for undo; null when there was no live database. */
  undoDatabase: z.string().nullable(),
  validation: RestoreValidationSchema,
  /** Milliseconds the database's name took no connections (the swap). */
  unavailableMs: z.number().nonnegative(),
  endedSessions: z.array(ConnectedSessionSchema).readonly(),
  olderUndoDatabases: z.array(z.string()).readonly(),
  undoCommand: z.string().nullable(),
});
export type SwapRestoreResultInfo = z.infer<typeof SwapRestoreResultSchema>;

/** What an undo of the last restore did (`pg:undo`). */
export const SwapUndoResultSchema = z.object({
  database: z.string(),
  /** The undo database that is live again. */
  restoredFrom: z.string(),
  /** The database the restore had brought, kept in turn as an undo database. */
  keptAs: z.string(),
  unavailableMs: z.number().nonnegative(),
  endedSessions: z.array(ConnectedSessionSchema).readonly(),
});
export type SwapUndoResultInfo = z.infer<typeof SwapUndoResultSchema>;

/** Where one numbered migration file stands against the database. */
export const MigrationStateSchema = z.enum(['applied', 'pending', 'changed', 'missing']);
export type MigrationState = z.infer<typeof MigrationStateSchema>;

/** The migrations of a folder, in the order they run, with the database's history. */
export const MigrationListSchema = z.object({
  /** The folder read (absolute). */
  folder: z.string(),
  migrations: z
    .array(
      z.object({
        name: z.string(),
        state: MigrationStateSchema,
        /** When it was applied, for applied and changed ones. */
        appliedAt: z.string().nullable(),
      }),
    )
    .readonly(),
});
export type MigrationListInfo = z.infer<typeof MigrationListSchema>;

/** The result of a migration job (`pg:migrate`). */
export const MigrationRunResultSchema = z.object({
  applied: z.array(z.string()).readonly(),
  /** Already applied before this run. */
  skipped: z.number().int().nonnegative(),
  /** The pre-migration backup taken first; null when nothing was pending. */
  backup: z.string().nullable(),
});
export type MigrationRunResultInfo = z.infer<typeof MigrationRunResultSchema>;

/** The integrity check (the seed's `migration-workflow.sh check`). */
export const IntegrityReportSchema = z.object({
  ok: z.boolean(),
  tableCount: z.number().int().nonnegative(),
  tables: z.array(TableRowsSchema).readonly(),
  invalidConstraints: z.array(z.string()).readonly(),
  invalidIndexes: z.array(z.string()).readonly(),
});
export type IntegrityReportInfo = z.infer<typeof IntegrityReportSchema>;
