/**
 * The figures people watch (issue 13 item 5, seed 004's KPIs): backup success over the last 30
 * days, the last verified backup, and growth per category this month, as the Overview's Health
 * panel shows them. The daily analytics chart beside them reads `analytics:daily`.
 */
import { z } from 'zod';
import { TendErrorSchema } from '../errors';
import { BackupKindSchema } from './backup-manifest';
import { CategorySchema } from './categories';

/** What became of one backup run, as the success figure counts it. */
export const BackupRunOutcomeSchema = z.enum([
  'succeeded',
  'failed',
  /** A scheduled run that could not start: its destination's disk was not there. */
  'missed',
  /** Cut off part way (a crash, a sleep); the retry is a run of its own. */
  'interrupted',
  /** Stopped by the person: not counted either way. */
  'cancelled',
  /** Not over yet: not counted yet. */
  'running',
]);
export type BackupRunOutcome = z.infer<typeof BackupRunOutcomeSchema>;

/**
 * Backup success over the last days: successes over the runs that ended (scheduled and
 * manual), a missed run counted as a failure. Seed 004's goal is 100%.
 */
export const BackupSuccessSchema = z.object({
  /** How many days the figure covers (today and the days before it). */
  windowDays: z.number().int(),
  /** The first moment counted: 00:00 UTC of the window's first day. */
  from: z.string(),
  /** Runs that ended and count: succeeded + failed + missed + interrupted. */
  runs: z.number().int(),
  succeeded: z.number().int(),
  failed: z.number().int(),
  missed: z.number().int(),
  interrupted: z.number().int(),
  /** Stopped by the person; left out of `runs`. */
  cancelled: z.number().int(),
  /** Still running or waiting; left out of `runs` until they end. */
  running: z.number().int(),
  /** Counted runs a schedule started (its time, or a catch-up after it was missed). */
  scheduled: z.number().int(),
  /** Counted runs a person started (the Backups page, the tray, the CLI, "Run now"). */
  manual: z.number().int(),
  /** `succeeded / runs`, from 0 to 1; null when no run ended in the window. */
  rate: z.number().nullable(),
  /** The goal, 1 (every backup succeeds). */
  goal: z.number(),
  /**
   * Days of the window Tend looked after the folder (from its first job on), today counted
   * once it has a good backup: a daily schedule fills each of them.
   */
  daysWatched: z.number().int(),
  /** Of those days, the ones with at least one good backup. */
  daysWithBackup: z.number().int(),
  /** The newest run in the window that failed, missed or was cut off, or null. */
  lastFailure: z
    .object({
      at: z.string(),
      title: z.string(),
      outcome: BackupRunOutcomeSchema,
      error: TendErrorSchema.nullable(),
    })
    .nullable(),
});
export type BackupSuccess = z.infer<typeof BackupSuccessSchema>;

/** The newest backup a full verification read back whole, and how old it is. */
export const LastVerifiedSchema = z.object({
  id: z.string(),
  kind: BackupKindSchema,
  /** When the backup finished: its data is as old as this. */
  finishedAt: z.string(),
  verifiedAt: z.string().nullable(),
  /** Whole hours from `finishedAt` to now. */
  ageHours: z.number().int(),
  /** Why its archive cannot be restored now (missing, another size), or null. */
  problem: z.string().nullable(),
});
export type LastVerified = z.infer<typeof LastVerifiedSchema>;

/** Verification of the backups: the newest verified one, and the newer ones not verified yet. */
export const VerificationFiguresSchema = z.object({
  last: LastVerifiedSchema.nullable(),
  /** Completed backups newer than `last` (all, when `last` is null) that no full check read. */
  newerUnverified: z.number().int(),
});
export type VerificationFigures = z.infer<typeof VerificationFiguresSchema>;

/** How one category (or the whole folder) grew from the base snapshot to the newest. */
export const GrowthFigureSchema = z.object({
  fromBytes: z.number(),
  toBytes: z.number(),
  deltaBytes: z.number(),
  /** `deltaBytes / fromBytes`; null when the category was empty at the base. */
  ratio: z.number().nullable(),
});
export type GrowthFigure = z.infer<typeof GrowthFigureSchema>;

/**
 * Growth this month (UTC), from the usage history: the newest snapshot against the last one
 * taken by the 1st (or, when the history starts within the month, its first).
 */
export const MonthGrowthSchema = z.object({
  /** The month's first day, YYYY-MM-01. */
  month: z.string(),
  /** When the base snapshot was taken; null when there is no snapshot yet. */
  fromAt: z.string().nullable(),
  /** When the newest snapshot was taken; null when there is none. */
  toAt: z.string().nullable(),
  /** Whether the base is from before the month began (else the month is only partly seen). */
  wholeMonth: z.boolean(),
  categories: z.array(GrowthFigureSchema.extend({ category: CategorySchema })).readonly(),
  total: GrowthFigureSchema,
  /** Seed 004's goal: a growth rate under 50% a month. */
  goalRatio: z.number(),
});
export type MonthGrowth = z.infer<typeof MonthGrowthSchema>;

/** Everything the Health panel shows but the analytics chart. */
export const HealthFiguresSchema = z.object({
  backupSuccess: BackupSuccessSchema,
  verification: VerificationFiguresSchema,
  growth: MonthGrowthSchema,
  checkedAt: z.string(),
  /** How long the figures took to read, in ms. */
  durationMs: z.number(),
});
export type HealthFigures = z.infer<typeof HealthFiguresSchema>;
