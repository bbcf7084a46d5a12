import { z } from 'zod';
import { JobRecordSchema, JobStateSchema } from './jobs';

/** An ISO 8601 UTC day, `2026-11-23`. */
export const IsoDaySchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a day as YYYY-MM-DD');

// ── assistant.db schema ────────────────────────────────────────────────────────────────

/** Where assistant.db's schema stands. */
export const SchemaStatusSchema = z.object({
  /** The database's version, or null when the root has no assistant.db yet. */
  current: z.number().int().nullable(),
  /** The newest version this Tend knows. */
  latest: z.number().int(),
  /** Migrations still to apply, oldest first. */
  pending: z.array(z.object({ version: z.number().int(), name: z.string() })).readonly(),
  /**
   * A migration that stopped before its end (a crash, a failed step): where the database
   * stands and what to do. Shown until a migration finishes it.
   */
  notice: z.string().nullable().optional(),
});
export type SchemaStatus = z.infer<typeof SchemaStatusSchema>;

/** What a schema migration job did. */
export const SchemaMigrationReportSchema = z.object({
  from: z.number().int(),
  to: z.number().int(),
  applied: z.array(z.object({ version: z.number().int(), name: z.string() })).readonly(),
  /** The pre-migration backup's id (null only when nothing was pending). */
  backupId: z.string().nullable(),
  durationMs: z.number(),
});
export type SchemaMigrationReport = z.infer<typeof SchemaMigrationReportSchema>;

// ── legacy data/ → local_data/ ────────────────────────────────────────────────────────

/** How a conflict (same place in both layouts, different content) is settled. */
export const ConflictResolutionSchema = z.enum(['ask', 'keep-newer', 'keep-both']);
export type ConflictResolution = z.infer<typeof ConflictResolutionSchema>;

/** What one person's choice for one conflict is. */
export const ConflictChoiceSchema = z.enum(['keep-newer', 'keep-both', 'keep-current']);
export type ConflictChoice = z.infer<typeof ConflictChoiceSchema>;

/** What happens to one legacy file. */
export const LegacyMoveActionSchema = z.enum([
  /** Moved to a place that is free. */
  'move',
  /** The same bytes are already there: the legacy copy is removed. */
  'drop-identical',
  /** A conflict settled for the legacy file: the current one is set aside (kept for undo). */
  'replace',
  /** A conflict settled by keeping both: the legacy file gets a suffix. */
  'keep-both',
  /** A conflict settled for the current file: the legacy file is set aside (kept for undo). */
  'keep-current',
  /** A conflict that waits for the person's choice. */
  'conflict',
]);
export type LegacyMoveAction = z.infer<typeof LegacyMoveActionSchema>;

/** One legacy file and where it goes. */
export const LegacyMoveSchema = z.object({
  /** Root-relative, under data/. */
  from: z.string(),
  /** Root-relative, under local_data/. */
  to: z.string(),
  action: LegacyMoveActionSchema,
  bytes: z.number(),
  legacyModifiedAt: z.string(),
  /** The file already at `to`, when there is one. */
  existing: z.object({ bytes: z.number(), modifiedAt: z.string() }).nullable(),
  /**
   * The exact bytes of `from` and `to` (base64) when the name is not valid UTF-8: `from` and
   * `to` then show it with U+FFFD in place of the bad bytes, and these move the real file.
   */
  raw: z.object({ from: z.string(), to: z.string() }).optional(),
});
export type LegacyMove = z.infer<typeof LegacyMoveSchema>;

/** The preview of a legacy migration. */
export const LegacyMigrationPlanSchema = z.object({
  moves: z.array(LegacyMoveSchema).readonly(),
  /** Conflicts still waiting for a choice; apply refuses while there are any. */
  unresolved: z.number().int(),
  files: z.number().int(),
  bytes: z.number(),
  /** Bytes that need new space: files that cannot be renamed in place and must be copied. */
  bytesToCopy: z.number(),
  freeBytes: z.number(),
  resolution: ConflictResolutionSchema,
});
export type LegacyMigrationPlan = z.infer<typeof LegacyMigrationPlanSchema>;

/** Where the last legacy migration stands. */
export const LegacyMigrationStatusSchema = z.object({
  hasLegacyData: z.boolean(),
  /** The last migration's state, or null when there has been none. */
  state: z.enum(['applying', 'applied', 'rolling-back', 'rolled-back']).nullable(),
  id: z.string().nullable(),
  appliedAt: z.string().nullable(),
  files: z.number().int(),
  /** Whether it can be undone now. */
  canRollBack: z.boolean(),
  /**
   * Files migrations set aside (a conflict's loser, an identical duplicate) that are still
   * kept: Tend never deletes them; the person may, from this folder.
   */
  setAside: z.object({ files: z.number().int(), bytes: z.number(), folder: z.string() }).optional(),
});
export type LegacyMigrationStatus = z.infer<typeof LegacyMigrationStatusSchema>;

/** What a legacy migration or its rollback did. */
export const LegacyMigrationReportSchema = z.object({
  id: z.string(),
  dryRun: z.boolean(),
  moved: z.number().int(),
  copied: z.number().int(),
  droppedIdentical: z.number().int(),
  setAside: z.number().int(),
  bytes: z.number(),
  backupId: z.string().nullable(),
  durationMs: z.number(),
  moves: z.array(LegacyMoveSchema).readonly(),
  /** Files that arrived in data/ while it ran and could not be moved: left where they are. */
  leftInPlace: z.array(z.string()).readonly(),
  /** A rollback: files that could not go back to data/ (a new file is there): left moved. */
  notPutBack: z.array(z.string()).readonly(),
  /** A rollback: set-aside files that could not be put back, kept where they wait. */
  keptAside: z.array(z.string()).readonly(),
  /** Where set-aside files wait (root-relative), for the person to look at or delete. */
  setAsideFolder: z.string(),
});
export type LegacyMigrationReport = z.infer<typeof LegacyMigrationReportSchema>;

// ── analytics tiers ───────────────────────────────────────────────────────────────────

/** Days each tier keeps a table's rows, and when the privacy scrub applies. */
export const RetentionPolicySchema = z
  .object({
    tableName: z.literal('interactions').default('interactions'),
    /** Full rows in assistant.db. */
    hotDays: z.number().int().min(1).max(3650),
    /** Daily and monthly aggregates in the historical database. */
    warmDays: z.number().int().min(1).max(36500),
    /** Compressed JSON Lines archives, then deleted. */
    coldDays: z.number().int().min(1).max(36500),
    /** Rows older than this are scrubbed; null turns the scrub off. */
    scrubAfterDays: z.number().int().min(1).max(36500).nullable(),
  })
  .refine((p) => p.warmDays >= p.hotDays, {
    message: 'Warm days must be at least the hot days',
    path: ['warmDays'],
  })
  .refine((p) => p.coldDays >= p.warmDays, {
    message: 'Cold days must be at least the warm days',
    path: ['coldDays'],
  });
export type RetentionPolicy = z.infer<typeof RetentionPolicySchema>;

/** What each tier holds now. */
export const TierSummarySchema = z.object({
  hot: z.object({ rows: z.number(), oldest: z.string().nullable(), bytes: z.number() }),
  warm: z.object({
    days: z.number(),
    interactions: z.number(),
    oldest: IsoDaySchema.nullable(),
    newest: IsoDaySchema.nullable(),
    bytes: z.number(),
  }),
  cold: z.object({ files: z.number(), rows: z.number(), months: z.number(), bytes: z.number() }),
  policy: RetentionPolicySchema.nullable(),
});
export type TierSummary = z.infer<typeof TierSummarySchema>;

/** One day of the dashboard's figures, whichever tier it came from. */
export const DailyFigureSchema = z.object({
  day: IsoDaySchema,
  interactions: z.number(),
  successes: z.number(),
  /** Mean response time in ms, or null on a day without rows. */
  meanResponseMs: z.number().nullable(),
  ratings: z.number(),
  /** Mean rating of the rated rows, or null when none was rated. */
  meanRating: z.number().nullable(),
  tier: z.enum(['hot', 'warm', 'cold']),
});
export type DailyFigure = z.infer<typeof DailyFigureSchema>;

/** What an archival run did with one of the analytics system's hot tables (seed 004). */
export const AnalyticsTableArchivalSchema = z.object({
  /** The seed's hot table (comprehensive_metrics.db) and the warm table it is summed into. */
  hotTable: z.string(),
  warmTable: z.string(),
  /** Whole months before this day left the hot tier. */
  hotCutoff: IsoDaySchema,
  rowsMoved: z.number(),
  monthsMoved: z.array(z.string()).readonly(),
  /** Warm rows older than the warm days written to the cold tier and deleted from the warm one. */
  warmRowsToCold: z.number(),
});
export type AnalyticsTableArchival = z.infer<typeof AnalyticsTableArchivalSchema>;

/** The analytics profile's part of an archival report: each table, and the anonymisation. */
export const AnalyticsArchivalSchema = z.object({
  tables: z.array(AnalyticsTableArchivalSchema).readonly(),
  /** Rows that stay in the hot tier past the scrub age whose identifiers or query changed. */
  rowsAnonymised: z.number(),
  /** Rows older than this day are anonymised; null when the scrub is off. */
  scrubCutoff: IsoDaySchema.nullable(),
  /** A move a killed run left half-way, and what this run did with it. */
  resumed: z
    .object({ table: z.string(), month: z.string(), outcome: z.enum(['finished', 'rolled-back']) })
    .nullable(),
});
export type AnalyticsArchival = z.infer<typeof AnalyticsArchivalSchema>;

/** What an archival run did (or would do, on a dry run). */
export const ArchivalReportSchema = z.object({
  dryRun: z.boolean(),
  /** Rows older than this day moved out of the hot tier. */
  hotCutoff: IsoDaySchema,
  rowsMoved: z.number(),
  monthsMoved: z.array(z.string()).readonly(),
  warmDaysDeleted: z.number(),
  coldFilesWritten: z.number(),
  coldFilesDeleted: z.number(),
  /** Rows of interrupted runs finished at the start of this one. */
  rowsRecovered: z.number(),
  bytesFreed: z.number(),
  durationMs: z.number(),
  /** On an analytics-profile root (seed 004's own files): per table, and the anonymisation. */
  analytics: AnalyticsArchivalSchema.optional(),
});
export type ArchivalReport = z.infer<typeof ArchivalReportSchema>;

// ── privacy scrub ─────────────────────────────────────────────────────────────────────

/** What a scrub would change or changed. */
export const ScrubReportSchema = z.object({
  dryRun: z.boolean(),
  /** Rows older than this day are scrubbed. */
  cutoff: IsoDaySchema.nullable(),
  rows: z.number(),
  ipsHashed: z.number(),
  emailsRedacted: z.number(),
  phonesRedacted: z.number(),
  ipsRedacted: z.number(),
  durationMs: z.number(),
});
export type ScrubReport = z.infer<typeof ScrubReportSchema>;

// ── export and import ─────────────────────────────────────────────────────────────────

/** What can be exported and imported. */
export const RecordKindSchema = z.enum(['collections', 'chat-sessions', 'interactions']);
export type RecordKind = z.infer<typeof RecordKindSchema>;

/** The file format of an export or import. */
export const RecordFormatSchema = z.enum(['jsonl', 'csv']);
export type RecordFormat = z.infer<typeof RecordFormatSchema>;

/** What an export or import did (an import on a dry run: would do). */
export const RecordTransferReportSchema = z.object({
  kind: RecordKindSchema,
  format: RecordFormatSchema,
  path: z.string(),
  /** Records written (an import: the new ones). */
  records: z.number(),
  /** Records an import found already in the store (any tier) and left as they are. */
  skipped: z.number(),
  dryRun: z.boolean(),
  bytes: z.number(),
});
export type RecordTransferReport = z.infer<typeof RecordTransferReportSchema>;

// ── scheduled jobs ────────────────────────────────────────────────────────────────────

/** One scheduled job as the Maintenance page shows it. */
export const ScheduleStatusSchema = z.object({
  id: z.string(),
  title: z.string(),
  cron: z.string(),
  paused: z.boolean(),
  lastRunAt: z.string().nullable(),
  /** The job the last run started, with its outcome, duration and result. */
  lastJob: JobRecordSchema.nullable(),
  nextRunAt: z.string().nullable(),
});
export type ScheduleStatus = z.infer<typeof ScheduleStatusSchema>;

/** How a run was started. */
export const RunTriggerSchema = z.enum(['schedule', 'catch-up', 'manual']);
export type RunTrigger = z.infer<typeof RunTriggerSchema>;

/** One run of a scheduled job. */
export const ScheduleRunSchema = z.object({
  scheduleId: z.string(),
  trigger: RunTriggerSchema,
  job: JobRecordSchema,
});
export type ScheduleRun = z.infer<typeof ScheduleRunSchema>;

/** Filters of the run history. */
export const ScheduleHistoryQuerySchema = z
  .object({
    scheduleId: z.string().optional(),
    state: JobStateSchema.optional(),
    /** Only failed and interrupted runs. */
    failuresOnly: z.boolean().default(false),
    limit: z.number().int().min(1).max(1000).default(100),
  })
  .strict();
