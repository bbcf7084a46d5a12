import { z } from 'zod';
import { CategorySchema } from './categories';

/** Apparent bytes (what `du -b` counts), allocated bytes (what `du -B1` counts) and files. */
export const SizesSchema = z.object({
  /** Sum of lstat sizes, as `du -sb`. */
  apparentBytes: z.number(),
  /** Sum of allocated blocks × 512, as `du -sB1`; smaller than apparent for sparse files. */
  allocatedBytes: z.number(),
  /** Files, symlinks and other non-folder entries; a hard-linked file counts once. */
  files: z.number(),
});
export type Sizes = z.infer<typeof SizesSchema>;

/** The sizes of one category. */
export const CategoryUsageSchema = SizesSchema.extend({ category: CategorySchema });
export type CategoryUsage = z.infer<typeof CategoryUsageSchema>;

/** A folder of the usage map, with its children down to the depth asked for. */
export interface UsageNode {
  /** Root-relative path with forward slashes; '' is the root. */
  path: string;
  name: string;
  apparentBytes: number;
  allocatedBytes: number;
  files: number;
  /** Folders below this one, at any depth. */
  folders: number;
  /** Apparent bytes by category, for the colour of a tile. */
  byCategory: Readonly<Record<z.infer<typeof CategorySchema>, number>>;
  /** Subfolders, largest first; empty below the depth asked for. */
  children: ReadonlyArray<UsageNode>;
  /** Subfolders not listed (below the depth asked for, or too small to draw). */
  omittedChildren: number;
  /** Bytes of the files directly in this folder (not in subfolders). */
  ownFilesBytes: number;
}

/** A folder of the usage map (schema of UsageNode). */
export const UsageNodeSchema: z.ZodType<UsageNode> = z.lazy(() =>
  z.object({
    path: z.string(),
    name: z.string(),
    apparentBytes: z.number(),
    allocatedBytes: z.number(),
    files: z.number(),
    folders: z.number(),
    byCategory: z.record(CategorySchema, z.number()),
    children: z.array(UsageNodeSchema).readonly(),
    omittedChildren: z.number(),
    ownFilesBytes: z.number(),
  }),
) as z.ZodType<UsageNode>;

/** One of the largest files of the root. */
export const LargeFileSchema = z.object({
  path: z.string(),
  apparentBytes: z.number(),
  allocatedBytes: z.number(),
  category: CategorySchema,
  modifiedAt: z.string(),
});
export type LargeFile = z.infer<typeof LargeFileSchema>;

/** What a scan did: a first scan lists every folder; a rescan reuses unchanged ones. */
export const ScanStatsSchema = z.object({
  /** `update`: a watched root's changed folders only, the rest taken from the last scan. */
  mode: z.enum(['full', 'rescan', 'update']),
  /** Folders whose entries were read again (new or changed since the last scan). */
  foldersListed: z.number(),
  /** Folders whose list of entries was reused because their mtime and ctime had not moved. */
  foldersReused: z.number(),
  /** Entries looked at with lstat (every file, every scan: sizes change in place). */
  entriesChecked: z.number(),
  /** Entries that could not be read (permissions, vanished mid-scan). */
  unreadable: z.number(),
  /** A few of them, for the person to look at. */
  unreadableExamples: z.array(z.object({ path: z.string(), message: z.string() })).readonly(),
});
export type ScanStats = z.infer<typeof ScanStatsSchema>;

/**
 * Whether the figures follow the folder as it changes: `live` while Tend watches it (the
 * desktop app, `tend serve`); otherwise `why` not, and how often it is measured again.
 */
export const UsageWatchSchema = z.object({
  live: z.boolean(),
  /** Null while live; else what a person reads (no watcher here, a network file system …). */
  why: z.string().nullable(),
});
export type UsageWatch = z.infer<typeof UsageWatchSchema>;

/** The result of a finished scan (or the state of a running one). */
export const UsageReportSchema = z.object({
  root: z.string(),
  /** When the scan finished (or, while it runs, when this was reported). */
  scannedAt: z.string(),
  durationMs: z.number(),
  /** False while a scan is still running: the figures only grow until it ends. */
  complete: z.boolean(),
  /** Everything but `.tend/`, folders' own entries included, as du counts them. */
  totals: SizesSchema.extend({ folders: z.number() }),
  categories: z.array(CategoryUsageSchema).readonly(),
  disk: z.object({ freeBytes: z.number(), totalBytes: z.number() }),
  stats: ScanStatsSchema,
  watch: UsageWatchSchema,
});
export type UsageReport = z.infer<typeof UsageReportSchema>;

/** What `usage:updated` carries: a scan's figures so far, and the top of its map. */
export const UsageUpdateSchema = z.object({
  jobId: z.string().nullable(),
  report: UsageReportSchema,
  /** The root and its folders two levels down, as far as scanned. */
  tree: UsageNodeSchema,
});
export type UsageUpdate = z.infer<typeof UsageUpdateSchema>;

/** Growth granularity of the history chart. */
export const HistoryGranularitySchema = z.enum(['day', 'week', 'month']);
export type HistoryGranularity = z.infer<typeof HistoryGranularitySchema>;

/** One point of the growth chart: apparent bytes by category at the end of a period. */
export const HistoryPointSchema = z.object({
  /** Start of the period (ISO date). */
  period: z.string(),
  /** When the snapshot behind the point was taken. */
  takenAt: z.string(),
  byCategory: z.record(CategorySchema, z.number()),
  totalBytes: z.number(),
  freeBytes: z.number().nullable(),
});
export type HistoryPoint = z.infer<typeof HistoryPointSchema>;

/** How much a category grew over the last day, week and month (null: no snapshot that old). */
export const CategoryGrowthSchema = z.object({
  category: CategorySchema,
  currentBytes: z.number(),
  dayDelta: z.number().nullable(),
  weekDelta: z.number().nullable(),
  monthDelta: z.number().nullable(),
});
export type CategoryGrowth = z.infer<typeof CategoryGrowthSchema>;

/** A warning about the disk: a category that grows too fast, or too little free space. */
export const UsageAlertSchema = z.object({
  /** Stable per cause (`growth:disposable`, `free-space`): one alert a day per key. */
  key: z.string(),
  kind: z.enum(['growth', 'free-space']),
  category: CategorySchema.nullable(),
  title: z.string(),
  message: z.string(),
  raisedAt: z.string(),
  /** Growth factor over the week, or free bytes. */
  value: z.number(),
  threshold: z.number(),
});
export type UsageAlert = z.infer<typeof UsageAlertSchema>;

/** What can be cleaned up, one kind at a time. */
export const cleanKinds = ['logs', 'cache', 'locks', 'temp', 'sqlite', 'vectors'] as const;
export const CleanKindSchema = z.enum(cleanKinds);
export type CleanKind = z.infer<typeof CleanKindSchema>;

/** What an item of a plan does to its file. */
export const CleanActionSchema = z.enum(['delete', 'gzip', 'vacuum', 'compact']);
export type CleanAction = z.infer<typeof CleanActionSchema>;

/** One file a cleanup plan would touch, exactly as it was when the plan was made. */
export const CleanItemSchema = z.object({
  path: z.string(),
  action: CleanActionSchema,
  /** The file's size now. */
  bytes: z.number(),
  /** What the action frees (for gzip, an estimate from a sample of the file). */
  reclaimBytes: z.number(),
  /** The mtime the plan saw, in ms; apply skips a file that changed since. */
  mtimeMs: z.number(),
  reason: z.string(),
});
export type CleanItem = z.infer<typeof CleanItemSchema>;

/**
 * Why a cleanup asks again before it runs: it would remove more of the data folder, or more
 * files, than Settings → cleanup lets it without asking. A wrong folder or a wrong rule shows
 * up as a cleanup of half the disk; this is the last net under both.
 */
export const CleanCeilingSchema = z.object({
  /** Files the cleanup touches, and the bytes it frees. */
  files: z.number(),
  bytes: z.number(),
  /** The data folder's size at the scan, and the share the cleanup frees (0 to 1). */
  folderBytes: z.number(),
  share: z.number(),
  /** The limits from settings. */
  maxShare: z.number(),
  maxFiles: z.number(),
  /** The numbers in a sentence, for the confirmation. */
  message: z.string(),
});
export type CleanCeiling = z.infer<typeof CleanCeilingSchema>;

/** A cleanup preview: the exact files and bytes, before anything is touched. */
export const CleanPlanSchema = z.object({
  id: z.string(),
  kind: CleanKindSchema,
  title: z.string(),
  createdAt: z.string(),
  /** How the plan chose its files, in words. */
  rule: z.string(),
  items: z.array(CleanItemSchema).readonly(),
  totalBytes: z.number(),
  reclaimBytes: z.number(),
  /** False when Tend only reports (SQLite free pages, vector indexes): another page acts. */
  applicable: z.boolean(),
  /** Where the action lives when it is not here (a page id), and why. */
  handledElsewhere: z.object({ page: z.string(), label: z.string() }).nullable(),
  /** Set when the cleanup is over the ceiling: applying it needs an explicit confirmation. */
  confirm: CleanCeilingSchema.nullable(),
});
export type CleanPlan = z.infer<typeof CleanPlanSchema>;

/** One line of the reclaimable summary. */
export const ReclaimableSchema = z.object({
  kind: CleanKindSchema,
  title: z.string(),
  files: z.number(),
  reclaimBytes: z.number(),
  applicable: z.boolean(),
  handledElsewhere: z.object({ page: z.string(), label: z.string() }).nullable(),
});
export type Reclaimable = z.infer<typeof ReclaimableSchema>;

/** What a cleanup did, file by file. */
export const CleanResultSchema = z.object({
  planId: z.string(),
  kind: CleanKindSchema,
  done: z.array(z.object({ path: z.string(), action: CleanActionSchema, freedBytes: z.number() })),
  skipped: z.array(z.object({ path: z.string(), reason: z.string() })),
  freedBytes: z.number(),
});
export type CleanResult = z.infer<typeof CleanResultSchema>;
