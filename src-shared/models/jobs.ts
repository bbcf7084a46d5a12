import { z } from 'zod';
import { TendErrorSchema } from '../errors';

/** Every kind of long action Tend runs as a job. */
export const jobKinds = [
  'demo',
  'usage-scan',
  'cleanup',
  'backup',
  'verify',
  'prune',
  'restore',
  'vectors-import',
  'vectors-health',
  'vectors-compact',
  'vectors-delete',
  'sqlite-upkeep',
  'migration',
  'archival',
  'scrub',
  'records-export',
  'records-import',
  'move',
  'store-check',
] as const;
export const JobKindSchema = z.enum(jobKinds);
export type JobKind = z.infer<typeof JobKindSchema>;

export const jobStates = [
  'queued',
  'running',
  'succeeded',
  'failed',
  'cancelled',
  'interrupted',
] as const;
/** Where a job is in its life. */
export const JobStateSchema = z.enum(jobStates);
export type JobState = z.infer<typeof JobStateSchema>;

/** What a job's `filesDone` and `filesTotal` count, when it is not files (nouns of counts.ts). */
export const progressUnits = ['file', 'collection', 'vector', 'chunk', 'pack'] as const;
export const ProgressUnitSchema = z.enum(progressUnits);
export type ProgressUnit = z.infer<typeof ProgressUnitSchema>;

/** How far a job has come; totals are null while unknown. */
export const JobProgressSchema = z.object({
  bytesDone: z.number(),
  bytesTotal: z.number().nullable(),
  filesDone: z.number(),
  filesTotal: z.number().nullable(),
  currentPath: z.string().nullable(),
  /** Seconds left, estimated from the rate so far; null while unknown. */
  etaSeconds: z.number().nullable(),
  message: z.string().nullable(),
  /** What the count counts (an index check counts collections, a repository check packs); files when absent. */
  unit: ProgressUnitSchema.optional(),
});
export type JobProgress = z.infer<typeof JobProgressSchema>;

/** Progress of a job that has not done anything yet. */
export const emptyProgress: JobProgress = {
  bytesDone: 0,
  bytesTotal: null,
  filesDone: 0,
  filesTotal: null,
  currentPath: null,
  etaSeconds: null,
  message: null,
};

/**
 * A job's progress after an update. A new total starts a new count: an update that gives
 * `filesTotal` (or `bytesTotal`) without `filesDone` (or `bytesDone`) counts from zero, so a
 * step never shows the count of the step before it against its own total ("26 of 4 files"),
 * nor the unit of the step before it.
 */
export function mergeProgress(
  previous: JobProgress,
  update: Partial<Omit<JobProgress, 'etaSeconds'>>,
): JobProgress {
  const next = { ...previous, ...update };
  if (update.filesTotal !== undefined && update.filesDone === undefined) next.filesDone = 0;
  // A new total counts files unless it says otherwise: a step's unit never labels the next's.
  if (update.filesTotal !== undefined && update.unit === undefined) delete next.unit;
  if (update.bytesTotal !== undefined && update.bytesDone === undefined) next.bytesDone = 0;
  return next;
}

/** One job as the catalog keeps it. */
export const JobRecordSchema = z.object({
  id: z.string(),
  kind: JobKindSchema,
  title: z.string(),
  state: JobStateSchema,
  /** Whether it holds the exclusive data lock while it runs. */
  writesRoot: z.boolean(),
  progress: JobProgressSchema,
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  result: z.unknown().nullable(),
  error: TendErrorSchema.nullable(),
});
export type JobRecord = z.infer<typeof JobRecordSchema>;

/** Whether a job has ended, one way or another. */
export function isFinished(state: JobState): boolean {
  return state !== 'queued' && state !== 'running';
}
