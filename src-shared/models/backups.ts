import { z } from 'zod';
import { TendErrorSchema } from '../errors';
import { BackupKindSchema } from './backup-manifest';
import { CategorySchema } from './categories';

export { BackupKindSchema, type BackupKind } from './backup-manifest';

/** Where a backup is in its life: written, or why not. */
export const backupStates = ['running', 'completed', 'failed', 'cancelled', 'interrupted'] as const;
export const BackupStateSchema = z.enum(backupStates);
export type BackupState = z.infer<typeof BackupStateSchema>;

/** What the last verification of an archive found. */
export const verifyStates = ['unverified', 'verified', 'failed'] as const;
export const VerifyStateSchema = z.enum(verifyStates);
export type VerifyState = z.infer<typeof VerifyStateSchema>;

/** How thorough a verification is. */
export const VerifyDepthSchema = z.enum(['quick', 'full']);
export type VerifyDepth = z.infer<typeof VerifyDepthSchema>;

/** How a record came into the catalog: written here, or read back from a sidecar. */
export const BackupOriginSchema = z.enum(['created', 'imported']);
export type BackupOrigin = z.infer<typeof BackupOriginSchema>;

/** One backup in the history. */
export const BackupRecordSchema = z.object({
  /** The archive's name without `.tar.gz`; stable across machines. */
  id: z.string(),
  kind: BackupKindSchema,
  categories: z.array(CategorySchema).readonly(),
  state: BackupStateSchema,
  /** The folder that holds the archive and its sidecar. */
  destination: z.string(),
  fileName: z.string(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  durationMs: z.number().nullable(),
  /** Size of the archive on disk. */
  archiveBytes: z.number().nullable(),
  archiveSha256: z.string().nullable(),
  /** Files and bytes of data inside it. */
  files: z.number().nullable(),
  dataBytes: z.number().nullable(),
  verifyState: VerifyStateSchema,
  verifiedAt: z.string().nullable(),
  verifyMessage: z.string().nullable(),
  /** Files left out because they could not be read (when settings allow it). */
  warnings: z.array(z.object({ path: z.string(), message: z.string() })).readonly(),
  error: TendErrorSchema.nullable(),
  jobId: z.string().nullable(),
  origin: BackupOriginSchema,
  /** The machine that wrote it. */
  host: z.string(),
});
export type BackupRecord = z.infer<typeof BackupRecordSchema>;

/** What a verification found. */
export const VerifyReportSchema = z.object({
  id: z.string(),
  depth: VerifyDepthSchema,
  ok: z.boolean(),
  /** Entries checked against the manifest (0 for a quick check). */
  filesChecked: z.number(),
  bytesRead: z.number(),
  problems: z.array(z.string()).readonly(),
  durationMs: z.number(),
});
export type VerifyReport = z.infer<typeof VerifyReportSchema>;

/** Grandfather-father-son retention: how many of each to keep, for each kind of backup apart. */
export const RetentionPolicySchema = z.object({
  daily: z.number().int().min(0),
  weekly: z.number().int().min(0),
  monthly: z.number().int().min(0),
});
export type RetentionPolicy = z.infer<typeof RetentionPolicySchema>;

/** One backup in a prune preview, with the reason it stays or goes. */
export const PruneDecisionSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  kind: BackupKindSchema,
  archiveBytes: z.number().nullable(),
  action: z.enum(['keep', 'delete']),
  /** Whether its archive is there, whole, and did not fail verification; only these fill slots. */
  restorable: z.boolean(),
  reason: z.string(),
});
export type PruneDecision = z.infer<typeof PruneDecisionSchema>;

/** A completed backup that cannot be restored now, and why (its archive missing, damaged…). */
export const UnavailableBackupSchema = z.object({ id: z.string(), reason: z.string() });
export type UnavailableBackup = z.infer<typeof UnavailableBackupSchema>;

/** What pruning would do: every completed backup, kept or deleted, and the bytes freed. */
export const PrunePlanSchema = z.object({
  policy: RetentionPolicySchema,
  decisions: z.array(PruneDecisionSchema).readonly(),
  deleteCount: z.number(),
  freedBytes: z.number(),
});
export type PrunePlan = z.infer<typeof PrunePlanSchema>;

/** What Tend knows about the backup destination. */
export const DestinationInfoSchema = z.object({
  /** The folder from settings; null while none is chosen. */
  path: z.string().nullable(),
  exists: z.boolean(),
  freeBytes: z.number().nullable(),
  totalBytes: z.number().nullable(),
  /** On the same disk as the data: a backup there does not survive that disk. */
  sameDiskAsRoot: z.boolean().nullable(),
  /** Why it cannot be used, when it cannot. */
  problem: z.string().nullable(),
  /** Bytes of the last full backup's data, to tell whether the next one fits. */
  estimatedNextBytes: z.number().nullable(),
});
export type DestinationInfo = z.infer<typeof DestinationInfoSchema>;

/** A backup the app made itself (the memory system's `memory_backup_*.tar.gz`). */
export const AppBackupSchema = z.object({
  /** Its file name, in the app's backup folder. */
  file: z.string(),
  /** When the app made it, from its name. */
  takenAt: z.string(),
  bytes: z.number().int().nonnegative(),
  /** The id of the backup in Tend's history it was imported as, or null. */
  importedAs: z.string().nullable(),
});
export type AppBackup = z.infer<typeof AppBackupSchema>;

/** The app's own backups of the root, for the Backups page and `tend backup import --app`. */
export const AppBackupListSchema = z.object({
  /** The app in a sentence ("the memory system"); null for a profile whose app makes none. */
  appName: z.string().nullable(),
  /** Root-relative folder the app keeps them in. */
  folder: z.string().nullable(),
  backups: z.array(AppBackupSchema).readonly(),
});
export type AppBackupList = z.infer<typeof AppBackupListSchema>;

/** What importing one of the app's backups does (or, on a dry run, would do). */
export const AppBackupImportSchema = z.object({
  file: z.string(),
  takenAt: z.string(),
  bytes: z.number().int().nonnegative(),
  sha256: z.string(),
  /** Files and their bytes in it. */
  files: z.number().int().nonnegative(),
  dataBytes: z.number().int().nonnegative(),
  /** The history's backup it already is, when imported before (nothing is done again). */
  alreadyImportedAs: z.string().nullable(),
  dryRun: z.boolean(),
});
export type AppBackupImport = z.infer<typeof AppBackupImportSchema>;
