import { z } from 'zod';
import { describeZodError, TendFailure } from '../errors';
import { BackupRecordSchema, VerifyReportSchema } from './backups';
import { DemoSummarySchema } from './demo';
import type { JobKind, JobRecord } from './jobs';
import {
  ArchivalReportSchema,
  LegacyMigrationReportSchema,
  RecordTransferReportSchema,
  SchemaMigrationReportSchema,
  ScrubReportSchema,
} from './maintenance';
import { MoveReportSchema } from './move';
import { StoreChecksSchema } from './profiles';
import {
  RepositoryBackupResultSchema,
  RepositoryRetentionResultSchema,
  RepositoryVerifyResultSchema,
} from './repository';
import {
  RestoreExportResultSchema,
  RestoreImportResultSchema,
  RestoreReportSchema,
} from './restore';
import { CleanResultSchema, UsageReportSchema } from './usage';
import {
  CompactionRecordSchema,
  DocumentDeleteResultSchema,
  ImportResultSchema,
  IndexHealthSchema,
  UpkeepRunSchema,
} from './vectors';

/** What a profile's demo wrote: the native demo's summary, or another profile's own figures. */
export const DemoResultSchema = z.union([
  DemoSummarySchema,
  z.looseObject({ root: z.string(), files: z.number(), bytes: z.number() }),
]);

/** What `tend pg restore` did: the database swapped in, and how to undo it. */
export const PostgresRestoreResultSchema = z.looseObject({
  backup: z.string(),
  database: z.string(),
  undoDatabase: z.string().nullable(),
  undoCommand: z.string().nullable(),
  unavailableMs: z.number(),
  /** The app's sessions the swap ended (when asked to). */
  endedSessions: z.array(z.unknown()),
});
export type PostgresRestoreResult = z.infer<typeof PostgresRestoreResultSchema>;

/** What `tend pg migrate apply` did: the migrations applied, after which backup. */
export const PostgresMigrationResultSchema = z.looseObject({
  applied: z.array(z.string()),
  skipped: z.number(),
  backup: z.string().nullable(),
});
export type PostgresMigrationResult = z.infer<typeof PostgresMigrationResultSchema>;

/** A verify job's reports, one per backup checked. */
export const VerifyJobResultSchema = z.object({ reports: z.array(VerifyReportSchema) });
export type VerifyJobResult = z.infer<typeof VerifyJobResultSchema>;

/** A health check's reports, one per collection. */
export const IndexHealthJobResultSchema = z.object({ collections: z.array(IndexHealthSchema) });
export type IndexHealthJobResult = z.infer<typeof IndexHealthJobResultSchema>;

/**
 * What a job of each kind returns when it succeeds. A kind several actions share (a restore of
 * files, an export, a PostgreSQL restore) takes any of their results; a reader that knows
 * which action it started reads it with that action's schema (`jobResultAs`).
 */
export const jobResultSchemas = {
  demo: DemoResultSchema,
  'usage-scan': UsageReportSchema,
  cleanup: CleanResultSchema,
  backup: z.union([BackupRecordSchema, RepositoryBackupResultSchema]),
  verify: z.union([VerifyJobResultSchema, RestoreImportResultSchema, RepositoryVerifyResultSchema]),
  // Archives' prunes answer at once; the repository's retention runs as a job.
  prune: RepositoryRetentionResultSchema,
  restore: z.union([RestoreReportSchema, RestoreExportResultSchema, PostgresRestoreResultSchema]),
  'vectors-import': ImportResultSchema,
  'vectors-health': IndexHealthJobResultSchema,
  'vectors-compact': CompactionRecordSchema,
  'vectors-delete': DocumentDeleteResultSchema,
  'sqlite-upkeep': UpkeepRunSchema,
  migration: z.union([
    SchemaMigrationReportSchema,
    LegacyMigrationReportSchema,
    PostgresMigrationResultSchema,
  ]),
  archival: ArchivalReportSchema,
  scrub: ScrubReportSchema,
  'records-export': RecordTransferReportSchema,
  'records-import': RecordTransferReportSchema,
  move: MoveReportSchema,
  // profiles:check: every store instance of the open folder, checked.
  'store-check': StoreChecksSchema,
} as const satisfies { readonly [K in JobKind]: z.ZodType };

/** The result of a job of kind `K`, as its schema describes it. */
export type JobResultOf<K extends JobKind> = z.infer<(typeof jobResultSchemas)[K]>;

function invalid(kind: JobKind, error: z.ZodError): TendFailure {
  const { message, issues } = describeZodError(error);
  return new TendFailure(
    'JOB_RESULT_INVALID',
    `The ${kind} job finished, but its result does not have the shape this version of Tend expects (${message}). What the job did is done; this is a defect in Tend: report it with this message.`,
    { kind, issues },
  );
}

/** Checks a job's result against its kind's schema; a TendFailure JOB_RESULT_INVALID when not. */
export function checkJobResult<K extends JobKind>(kind: K, value: unknown): JobResultOf<K> {
  const schema: z.ZodType = jobResultSchemas[kind];
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalid(kind, parsed.error);
  return parsed.data as JobResultOf<K>;
}

/**
 * A finished job's result read with the schema of the action that started it (a backup's
 * BackupRecordSchema, a restore's RestoreReportSchema…): typed, and a clear JOB_RESULT_INVALID
 * instead of a guess when the job holds something else (no result, another kind's).
 */
export function jobResultAs<S extends z.ZodType>(job: JobRecord, schema: S): z.infer<S> {
  const parsed = schema.safeParse(job.result);
  if (!parsed.success) throw invalid(job.kind, parsed.error);
  return parsed.data;
}
