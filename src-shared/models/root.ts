import { z } from 'zod';
import { CategorySchema } from './categories';

/** What Tend knows about the open data root. */
export const RootInfoSchema = z.object({
  path: z.string(),
  /** Whether the assistant's database is there (a fresh root has none yet). */
  hasAssistantDb: z.boolean(),
  /** Whether a legacy `data/` folder waits to be migrated. */
  hasLegacyData: z.boolean(),
  /** Free and total bytes on the disk that holds the root. */
  disk: z.object({ freeBytes: z.number(), totalBytes: z.number() }),
  /** The newest completed backup, or null when there is none yet. */
  lastBackup: z
    .object({ id: z.string(), finishedAt: z.string(), kind: z.string(), bytes: z.number() })
    .nullable(),
});
export type RootInfo = z.infer<typeof RootInfoSchema>;

/** Bytes and files of one category. */
export const CategoryTotalSchema = z.object({
  category: CategorySchema,
  bytes: z.number(),
  files: z.number(),
});
export type CategoryTotal = z.infer<typeof CategoryTotalSchema>;

/** Apparent size of the root by category; Tend's own `.tend/` is not counted. */
export const UsageSummarySchema = z.object({
  root: z.string(),
  totalBytes: z.number(),
  totalFiles: z.number(),
  categories: z.array(CategoryTotalSchema).readonly(),
  measuredAt: z.string(),
  durationMs: z.number(),
});
export type UsageSummary = z.infer<typeof UsageSummarySchema>;
