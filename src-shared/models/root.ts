import { z } from 'zod';
import { CategorySchema } from './categories';
import { FolderMarkerSchema, ProfileInfoSchema, ProfileMatchSchema } from './profiles';

export { FolderMarkerSchema, type FolderMarker } from './profiles';
import { UsageWatchSchema } from './usage';

/** What Tend knows about the open data root. */
export const RootInfoSchema = z.object({
  path: z.string(),
  /** The profile Tend manages the folder with: its stores, scopes and words. */
  profile: ProfileInfoSchema,
  /** Where Tend keeps its own state of this folder (catalog, settings, locks): never in it. */
  stateDir: z.string(),
  /**
   * Where the folder was when Tend last found it moved or renamed (same filesystem, same
   * inode: its history came along), and when; null if never.
   */
  movedFrom: z.object({ path: z.string(), at: z.string() }).nullable(),
  /** Whether the assistant's database is there (a fresh root has none yet). */
  hasAssistantDb: z.boolean(),
  /** Whether a legacy `data/` folder waits to be migrated. */
  hasLegacyData: z.boolean(),
  /** Free and total bytes on the disk that holds the root. */
  disk: z.object({ freeBytes: z.number(), totalBytes: z.number() }),
  /**
   * The newest completed backup, or null when there is none yet: an archive, or (`encrypted`)
   * a snapshot in the encrypted repository, its id the snapshot's and its bytes the data's.
   */
  lastBackup: z
    .object({
      id: z.string(),
      finishedAt: z.string(),
      kind: z.string(),
      bytes: z.number(),
      encrypted: z.boolean().optional(),
    })
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
 * What made Tend take a folder for an assistant's: it already looks after it (`managed`), the
 * markers of one profile were found (`detected`), or not: two profiles match as well
 * (`ambiguous`), nothing is there (`empty`), or nothing of any profile (`unknown`). Tend then
 * manages it only when the person adopts it, choosing the profile, after seeing these findings.
 */
export const FolderKindSchema = z.enum(['managed', 'detected', 'ambiguous', 'empty', 'unknown']);
export type FolderKind = z.infer<typeof FolderKindSchema>;

/** What Tend found in a folder before managing it: shown before a person adopts it. */
export const FolderFindingsSchema = z.object({
  path: z.string(),
  kind: FolderKindSchema,
  /** Whether Tend manages it without asking (managed or detected). */
  isAssistantFolder: z.boolean(),
  /** The profile it would be managed with (managed: the one it has; detected: the match). */
  profile: ProfileMatchSchema.nullable(),
  /** Every profile's match, best first; empty for a refused folder, which is not looked into. */
  matches: z.array(ProfileMatchSchema).readonly(),
  /** Why no profile was detected, in words; null when one was (or it is managed). */
  reason: z.string().nullable(),
  /** The markers of the profile shown (its own, or the best match's), each present or not. */
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
