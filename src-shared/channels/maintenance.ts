/**
 * The maintenance domain's channels: schema and legacy migrations, the analytics tiers, the
 * privacy scrub, export and import of records, and every scheduled job on one page.
 */
import { z } from 'zod';
import { JobRecordSchema } from '../models/jobs';
import {
  ConflictChoiceSchema,
  ConflictResolutionSchema,
  DailyFigureSchema,
  IsoDaySchema,
  LegacyMigrationPlanSchema,
  LegacyMigrationStatusSchema,
  RecordFormatSchema,
  RecordKindSchema,
  RetentionPolicySchema,
  ScheduleHistoryQuerySchema,
  ScheduleRunSchema,
  ScheduleStatusSchema,
  SchemaStatusSchema,
  ScrubReportSchema,
  TierSummarySchema,
} from '../models/maintenance';
import { pathField } from '../models/paths';
import { empty } from './common';

const legacyChoice = z
  .object({
    resolution: ConflictResolutionSchema.default('ask'),
    /** The person's choice per conflicting legacy file (root-relative path under data/). */
    choices: z.record(z.string(), ConflictChoiceSchema).default({}),
  })
  .strict();

/** Invoke channels of the maintenance domain. */
export const maintenanceChannels = {
  /** assistant.db's schema version, the newest this Tend knows, and what is pending. */
  'schema:status': { input: empty, output: SchemaStatusSchema },
  /** Applies the pending schema migrations as a job, after a pre-migration backup. */
  'schema:migrate': { input: empty, output: JobRecordSchema },

  /** Where the legacy data/ migration stands, and whether it can be undone. */
  'legacy:status': { input: empty, output: LegacyMigrationStatusSchema },
  /** The preview of a legacy migration: every move, conflict, byte and the space needed. */
  'legacy:plan': { input: legacyChoice, output: LegacyMigrationPlanSchema },
  /** Migrates data/ into local_data/ as a job (a dry run only reports). */
  'legacy:apply': {
    input: legacyChoice.extend({ dryRun: z.boolean().default(false) }).strict(),
    output: JobRecordSchema,
  },
  /** Undoes the last legacy migration as a job. */
  'legacy:rollback': { input: empty, output: JobRecordSchema },

  /** What the hot, warm and cold tiers of the interactions hold, and their policy. */
  'analytics:tiers': { input: empty, output: TierSummarySchema },
  /** The dashboard's daily figures for a range of days, read across the tiers. */
  'analytics:daily': {
    input: z.object({ from: IsoDaySchema, to: IsoDaySchema }).strict(),
    output: z.object({ days: z.array(DailyFigureSchema).readonly(), durationMs: z.number() }),
  },
  /** Runs the archival between tiers as a job (a dry run only counts). */
  'analytics:archive': {
    input: z.object({ dryRun: z.boolean().default(false) }).strict(),
    output: JobRecordSchema,
  },
  /** The retention policy of the interactions table. */
  'retention:get': { input: empty, output: RetentionPolicySchema },
  /** Changes the retention policy of the interactions table. */
  'retention:set': {
    input: z.object({ policy: RetentionPolicySchema }).strict(),
    output: RetentionPolicySchema,
  },

  /** How many rows the privacy scrub would change now, and what it would redact. */
  'scrub:preview': { input: empty, output: ScrubReportSchema },
  /** Runs the privacy scrub as a job. */
  'scrub:run': {
    input: z.object({ dryRun: z.boolean().default(false) }).strict(),
    output: JobRecordSchema,
  },

  /**
   * Exports collections, chat sessions or interactions to a new file, as a job. An existing
   * file is replaced only with `replace`; the folder that holds it must exist.
   */
  'records:export': {
    input: z
      .object({
        kind: RecordKindSchema,
        format: RecordFormatSchema,
        path: pathField('write-file'),
        replace: z.boolean().default(false),
      })
      .strict(),
    output: JobRecordSchema,
  },
  /**
   * Imports records from a file, as a job; a bad record stops it with its line number. A record
   * already in the store is skipped, so importing a file twice adds nothing the second time.
   */
  'records:import': {
    input: z
      .object({
        kind: RecordKindSchema,
        format: RecordFormatSchema,
        path: pathField('read-file'),
        /** Check every record and count what is new; write nothing. */
        dryRun: z.boolean().default(false),
      })
      .strict(),
    output: JobRecordSchema,
  },

  /** Every scheduled job with its schedule, last run and outcome, and next run. */
  'schedule:list': {
    input: empty,
    output: z.object({ schedules: z.array(ScheduleStatusSchema).readonly() }),
  },
  /** Runs a scheduled job now; answers with the job it started (null: nothing to do). */
  'schedule:run-now': {
    input: z.object({ id: z.string().min(1) }).strict(),
    output: z.object({ job: JobRecordSchema.nullable() }),
  },
  /** Pauses or resumes a scheduled job. */
  'schedule:pause': {
    input: z.object({ id: z.string().min(1), paused: z.boolean() }).strict(),
    output: ScheduleStatusSchema,
  },
  /** The history of scheduled and manual runs, newest first, with filters. */
  'schedule:history': {
    input: ScheduleHistoryQuerySchema,
    output: z.object({ runs: z.array(ScheduleRunSchema).readonly() }),
  },
} as const;

/** Event channels of the maintenance domain. */
export const maintenanceEvents = {} as const;
