/**
 * The usage domain's channels: the scan, its map and history, and cleanup plans.
 */
import { z } from 'zod';
import { JobRecordSchema } from '../models/jobs';
import {
  CategoryGrowthSchema,
  CleanKindSchema,
  CleanPlanSchema,
  HistoryGranularitySchema,
  HistoryPointSchema,
  LargeFileSchema,
  ReclaimableSchema,
  UsageAlertSchema,
  UsageNodeSchema,
  UsageReportSchema,
  UsageUpdateSchema,
} from '../models/usage';

/** A root-relative folder path from the UI: forward slashes, no `..`, checked again below. */
const relativeFolder = z
  .string()
  .max(4096)
  .refine((value) => !value.split('/').includes('..'), 'A folder inside the data folder');

/** Invoke channels of the usage domain. */
export const usageChannels = {
  /** Starts a scan job (or returns the one running); figures stream as `usage:updated`. */
  'usage:scan': {
    input: z
      .object({
        /** `full` lists every folder again; `auto` reuses folders that did not change. */
        mode: z.enum(['auto', 'full']).default('auto'),
      })
      .strict(),
    output: JobRecordSchema,
  },
  /** A folder of the last scan with its subfolders, and the largest files under it. */
  'usage:tree': {
    input: z
      .object({
        path: relativeFolder.default(''),
        depth: z.number().int().min(1).max(6).default(2),
        largest: z.number().int().min(0).max(200).default(20),
      })
      .strict(),
    output: z.object({
      /** The last finished scan, or null when none has run yet. */
      report: UsageReportSchema.nullable(),
      node: UsageNodeSchema.nullable(),
      largestFiles: z.array(LargeFileSchema).readonly(),
      /** Whether a scan job is running now. */
      scanning: z.boolean(),
    }),
  },
  /** Snapshots by category over time, growth per category, and the alerts raised. */
  'usage:history': {
    input: z
      .object({
        granularity: HistoryGranularitySchema.default('day'),
        /** How far back, in days. */
        days: z.number().int().min(1).max(3650).default(90),
      })
      .strict(),
    output: z.object({
      points: z.array(HistoryPointSchema).readonly(),
      growth: z.array(CategoryGrowthSchema).readonly(),
      alerts: z.array(UsageAlertSchema).readonly(),
    }),
  },
  /** What each kind of cleanup would free now (files and bytes), without touching anything. */
  'clean:summary': {
    input: z.object({}).strict(),
    output: z.object({ items: z.array(ReclaimableSchema).readonly() }),
  },
  /** The exact files and bytes one kind of cleanup would touch; nothing is changed. */
  'clean:plan': {
    input: z
      .object({
        kind: CleanKindSchema,
        /** For logs: also gzip plain logs older than a week that are still kept. */
        gzipOldLogs: z.boolean().default(false),
      })
      .strict(),
    output: CleanPlanSchema,
  },
  /**
   * Applies a plan as a writing job: only the files it listed, only if unchanged since. A plan
   * over the ceiling (its `confirm` is set) runs only with `confirmLarge`, else
   * CLEAN_NEEDS_CONFIRMATION.
   */
  'clean:apply': {
    input: z
      .object({ planId: z.string().min(1), confirmLarge: z.boolean().default(false) })
      .strict(),
    output: JobRecordSchema,
  },
} as const;

/** Event channels of the usage domain. */
export const usageEvents = {
  /** A scan's figures so far (several times a second while it runs) and at its end. */
  'usage:updated': UsageUpdateSchema,
  /** A category grew too fast, or free disk space fell under the threshold. */
  'alert:raised': UsageAlertSchema,
} as const;
