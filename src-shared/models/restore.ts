import { z } from 'zod';
import { BackupKindSchema } from './backup-manifest';
import { CategorySchema } from './categories';

/**
 * Restore's plain data (DESIGN §5): what to restore, the preview a person reads before saying
 * yes, and the report they read after.
 */

/** What part of a backup to bring back. */
export const RestoreScopeSchema = z.discriminatedUnion('kind', [
  /**
   * Everything the backup holds; live files of its categories that it lacks are removed, but
   * never what it could not hold (see RestoreKept).
   */
  z.object({ kind: z.literal('everything') }).strict(),
  /** Only files of these categories. */
  z.object({ kind: z.literal('categories'), categories: z.array(CategorySchema).min(1) }).strict(),
  /**
   * One collection of the native profile: its documents, chunks, chat sessions (merged into
   * assistant.db) and index. The same as `{ kind: 'scope', scope: 'collection', id }`, with
   * the collection's figures in the preview.
   */
  z.object({ kind: z.literal('collection'), collection: z.string().min(1).max(200) }).strict(),
  /**
   * One id of a scope of the folder's profile (an entity, a workspace, a collection: the
   * profile description's `scopes`): its files, and its records in a database where it has
   * some. An id the profile or the backup does not have is RESTORE_UNKNOWN_SCOPE.
   */
  z
    .object({
      kind: z.literal('scope'),
      scope: z.string().min(1).max(100),
      id: z.string().min(1).max(200),
    })
    .strict(),
  /** Some files or folders, root-relative. */
  z
    .object({
      kind: z.literal('paths'),
      paths: z.array(z.string().min(1).max(4096)).min(1).max(10_000),
    })
    .strict(),
]);
export type RestoreScope = z.infer<typeof RestoreScopeSchema>;

/** What a restore does to one path. */
export const RestoreActionSchema = z.enum(['add', 'replace', 'remove']);
export type RestoreAction = z.infer<typeof RestoreActionSchema>;

/** One file a restore changes. */
export const RestoreChangeSchema = z.object({
  path: z.string(),
  action: RestoreActionSchema,
  /** Bytes written (add, replace) or taken away (remove). */
  bytes: z.number().int().nonnegative(),
});
export type RestoreChange = z.infer<typeof RestoreChangeSchema>;

/** Why a restore cannot go ahead; each has a stable code. */
export const restoreRefusalCodes = [
  'RESTORE_FORMAT_NEWER',
  'RESTORE_SCHEMA_NEWER',
  'RESTORE_DIMENSION_MISMATCH',
  'RESTORE_QUICK_CHECK_FAILED',
  'RESTORE_NO_SPACE',
  'RESTORE_ASSISTANT_RUNNING',
  'RESTORE_NOTHING_TO_RESTORE',
  'RESTORE_UNKNOWN_COLLECTION',
] as const;
export const RestoreRefusalCodeSchema = z.enum(restoreRefusalCodes);

/** A reason the plan refuses. */
export const RestoreRefusalSchema = z.object({
  code: RestoreRefusalCodeSchema,
  message: z.string(),
});
export type RestoreRefusal = z.infer<typeof RestoreRefusalSchema>;

/** A collection the restore changes, in the assistant's terms. */
export const RestoreCollectionChangeSchema = z.object({
  id: z.string(),
  name: z.string(),
  action: RestoreActionSchema,
  /** Live chunks (what its index holds) now, and in the backup. */
  chunksNow: z.number().int().nonnegative(),
  chunksAfter: z.number().int().nonnegative(),
  /** Uploaded originals under documents/<collection>/ now, and in the backup. */
  documentFilesNow: z.number().int().nonnegative(),
  documentFilesAfter: z.number().int().nonnegative(),
  /** Chat sessions of the collection now; a restore of it brings back the backup's. */
  chatSessionsNow: z.number().int().nonnegative(),
});
export type RestoreCollectionChange = z.infer<typeof RestoreCollectionChangeSchema>;

/** The backup a plan reads from, as a person recognizes it. */
export const RestoreBackupSummarySchema = z.object({
  id: z.string(),
  kind: BackupKindSchema,
  createdAt: z.string(),
  archivePath: z.string(),
  tendVersion: z.string(),
  categories: z.array(CategorySchema).readonly(),
  files: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  /** Whether the backup passed a full verification. */
  verified: z.boolean(),
});
export type RestoreBackupSummary = z.infer<typeof RestoreBackupSummarySchema>;

/** At most this many changed files are listed in a plan; the totals count them all. */
export const PLAN_LISTED_FILES = 500;

/**
 * A live entry a restore leaves as it is although the backup does not hold it: something a
 * backup cannot hold (a socket, FIFO or device; a link leading outside the data folder),
 * something it left out (a file or folder it could not read), or something in its place that
 * Tend will not replace (a link leading outside, which it never writes through).
 */
export const RestoreKeptSchema = z.object({
  path: z.string(),
  reason: z.string(),
});
export type RestoreKept = z.infer<typeof RestoreKeptSchema>;

/** "Kept, not in this backup": how many, and the first PLAN_LISTED_FILES of them. */
export const RestoreKeptListSchema = z.object({
  count: z.number().int().nonnegative(),
  entries: z.array(RestoreKeptSchema).readonly(),
});
export type RestoreKeptList = z.infer<typeof RestoreKeptListSchema>;

/** Which backup the one-click restore takes: the newest restorable one, or the newest verified. */
export const LatestChoiceSchema = z.enum(['latest', 'newest-verified']);
export type LatestChoice = z.infer<typeof LatestChoiceSchema>;

/** One scope of the profile and the ids of it a backup holds, in the profile's words. */
export const RestorePlanScopeSchema = z.object({
  id: z.string(),
  singular: z.string(),
  plural: z.string(),
  items: z.array(z.object({ id: z.string(), name: z.string() })).readonly(),
});
export type RestorePlanScope = z.infer<typeof RestorePlanScopeSchema>;

/** The preview of a restore. */
export const RestorePlanSchema = z.object({
  backup: RestoreBackupSummarySchema,
  scope: RestoreScopeSchema,
  totals: z.object({
    added: z.number().int().nonnegative(),
    replaced: z.number().int().nonnegative(),
    removed: z.number().int().nonnegative(),
    addedBytes: z.number().int().nonnegative(),
    replacedBytes: z.number().int().nonnegative(),
    removedBytes: z.number().int().nonnegative(),
    /**
     * In a plan: replaced files whose size and time already match the backup's. In a report:
     * files found identical by SHA-256, left alone (neither snapshotted nor rewritten).
     */
    unchanged: z.number().int().nonnegative(),
  }),
  /** The first PLAN_LISTED_FILES changes, by path. */
  changes: z.array(RestoreChangeSchema).readonly(),
  /** Live entries in scope the backup does not hold that stay as they are. */
  kept: RestoreKeptListSchema,
  collections: z.array(RestoreCollectionChangeSchema).readonly(),
  /**
   * The scopes of the folder's profile (entities, workspaces) with the ids this backup holds,
   * so a restore of one of them can be chosen. Absent from plans of older Tends.
   */
  scopes: z.array(RestorePlanScopeSchema).readonly().optional(),
  space: z.object({
    /** Staging plus the safety snapshot, with a margin. */
    neededBytes: z.number().int().nonnegative(),
    freeBytes: z.number().int().nonnegative(),
  }),
  /** Lock or pid files that say the assistant is running. */
  assistantLocks: z.array(z.string()).readonly(),
  refusals: z.array(RestoreRefusalSchema).readonly(),
  warnings: z.array(z.string()).readonly(),
  plannedAt: z.string(),
});
export type RestorePlan = z.infer<typeof RestorePlanSchema>;

/** One validation check after the swap. */
export const RestoreCheckSchema = z.object({
  name: z.string(),
  ok: z.boolean(),
  detail: z.string(),
});
export type RestoreCheck = z.infer<typeof RestoreCheckSchema>;

/** The safety snapshot taken before a restore changed anything. */
export const SafetySnapshotSchema = z.object({
  id: z.string(),
  archivePath: z.string(),
  files: z.number().int().nonnegative(),
});
export type SafetySnapshot = z.infer<typeof SafetySnapshotSchema>;

/** What a restore did, as its job's result. */
export const RestoreReportSchema = z.object({
  restoreId: z.string(),
  backupId: z.string(),
  scope: RestoreScopeSchema,
  /** Restored, or put back as it was because a validation check failed. */
  outcome: z.enum(['restored', 'rolled-back']),
  /** Whether this restore was the undo of an earlier one. */
  undo: z.boolean(),
  safetySnapshot: SafetySnapshotSchema.nullable(),
  totals: RestorePlanSchema.shape.totals,
  /** Live entries in scope the backup does not hold, left as they were. */
  kept: RestoreKeptListSchema.default({ count: 0, entries: [] }),
  checks: z.array(RestoreCheckSchema).readonly(),
  /** The check that failed and caused the rollback. */
  failedCheck: z.string().nullable(),
  warnings: z.array(z.string()).readonly(),
  startedAt: z.string(),
  finishedAt: z.string(),
  seconds: z.number(),
});
export type RestoreReport = z.infer<typeof RestoreReportSchema>;

/** The last restore, and whether it can still be undone. */
export const LastRestoreSchema = z.object({
  report: RestoreReportSchema,
  /** Root-relative files the restore changed; the undo puts exactly these back. */
  touched: z.array(z.string()).readonly(),
  undoneAt: z.string().nullable(),
});
export type LastRestore = z.infer<typeof LastRestoreSchema>;

/** What `restore:export` wrote. */
export const RestoreExportResultSchema = z.object({
  backupId: z.string(),
  target: z.string(),
  files: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  /** Links made (each leads inside the exported folder). */
  links: z.number().int().nonnegative().default(0),
  /** What was not written, and why (a link leading outside, a name this system cannot hold). */
  warnings: z.array(z.string()).readonly().default([]),
});
export type RestoreExportResult = z.infer<typeof RestoreExportResultSchema>;

/** What `restore:import` did with a backup file from elsewhere. */
export const RestoreImportResultSchema = z.object({
  backupId: z.string(),
  archivePath: z.string(),
  files: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
});
export type RestoreImportResult = z.infer<typeof RestoreImportResultSchema>;

/** A backup a restore can start from, for the wizard's first step. */
export const RestorableBackupSchema = RestoreBackupSummarySchema;
export type RestorableBackup = z.infer<typeof RestorableBackupSchema>;
