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
