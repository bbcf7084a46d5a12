import { z } from 'zod';
import { CategorySchema } from './categories';
import { UsageWatchSchema } from './usage';

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
  /** Whether the figures follow the folder live, or why not. */
  watch: UsageWatchSchema,
});
export type UsageSummary = z.infer<typeof UsageSummarySchema>;

/**
 * What made Tend take a folder for an assistant's: it already looks after it (`managed`: its
 * `.tend/` is there), the assistant's own layout was found (`native`, or the old `legacy`
 * layout), or nothing of the kind (`empty`, `unknown`): then Tend only manages it when the
 * person adopts it after seeing these findings.
 */
export const FolderKindSchema = z.enum(['managed', 'native', 'legacy', 'empty', 'unknown']);
export type FolderKind = z.infer<typeof FolderKindSchema>;

/** One thing of an assistant's layout Tend looked for, and whether it is there. */
export const FolderMarkerSchema = z.object({
  /** Root-relative, forward slashes; a folder ends in `/`. */
  path: z.string(),
  /** What it is, in the assistant's terms. */
  what: z.string(),
  present: z.boolean(),
});
export type FolderMarker = z.infer<typeof FolderMarkerSchema>;

/** What Tend found in a folder before managing it: shown before a person adopts it. */
export const FolderFindingsSchema = z.object({
  path: z.string(),
  kind: FolderKindSchema,
  /** Whether Tend manages it without asking (managed, native or legacy). */
  isAssistantFolder: z.boolean(),
  markers: z.array(FolderMarkerSchema).readonly(),
  /** What sits at its top: counts, and the first names (sorted). */
  topLevel: z.object({
    folders: z.number(),
    files: z.number(),
    names: z.array(z.string()).readonly(),
  }),
  /** Tend backup archives at its top: a backup destination, never a data folder. */
  backupArchives: z.number(),
  /** Why it can never be a data folder (ROOT_NOT_ALLOWED), or null. */
  refusal: z.string().nullable(),
});
export type FolderFindings = z.infer<typeof FolderFindingsSchema>;
