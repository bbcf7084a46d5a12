import { z } from 'zod';
import { CategorySchema } from './categories';
import { StoreKindIdSchema, StoreOriginSchema } from './profiles';

/**
 * The manifest of a backup archive (DESIGN §4): what the archive holds, byte for byte.
 *
 * The backup writer and the restore reader both follow this file; it is the archive format.
 * An archive `tend-<YYYYMMDD-HHMMSS>-<kind>.tar.gz` holds the root's files at their
 * root-relative paths (forward slashes, no leading `./`), then this manifest as its last entry
 * `.tend/manifest.json`. Beside the archive, `<same name>.manifest.json` (the sidecar) holds the
 * same manifest plus the archive's own size and SHA-256.
 *
 * Names are the file system's bytes: a name that is not UTF-8 holds each such byte 0xHH as the
 * lone surrogate U+DCHH (JSON `\udcHH`), and the tar header carries the raw bytes in a pax
 * record under `hdrcharset=BINARY`. A name may hold any character but `/` and NUL (a
 * backslash or a colon is a plain character on Linux and macOS).
 */

/** The format version this Tend writes; a reader refuses a manifest newer than it knows. */
export const MANIFEST_FORMAT_VERSION = 1;

/** The path of the manifest inside the archive: always the last entry. */
export const MANIFEST_ENTRY = '.tend/manifest.json';

/**
 * Kinds of backup: the two the user picks, a chosen set of categories, the automatic ones, and
 * for a PostgreSQL-backed profile its database alone (`database`) and the backup taken before an
 * update of the app (`pre-update`, `tend guard`).
 */
export const backupKinds = [
  'critical',
  'full',
  'custom',
  'pre-restore',
  'pre-migration',
  'database',
  'pre-update',
] as const;
export const BackupKindSchema = z.enum(backupKinds);
export type BackupKind = z.infer<typeof BackupKindSchema>;

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 in lowercase hex');

/** One entry of the archive. */
export const ManifestEntrySchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('file'),
    /** Root-relative, forward slashes. */
    path: z.string().min(1),
    size: z.number().int().nonnegative(),
    mtimeMs: z.number(),
    mode: z.number().int().nonnegative(),
    /** Of the bytes actually archived (a SQLite snapshot, not the live file). */
    sha256,
    category: CategorySchema,
  }),
  z.object({
    type: z.literal('directory'),
    path: z.string().min(1),
    mtimeMs: z.number(),
    mode: z.number().int().nonnegative(),
  }),
  z.object({
    type: z.literal('symlink'),
    path: z.string().min(1),
    mtimeMs: z.number(),
    mode: z.number().int().nonnegative(),
    /** Stored as a link, never followed. */
    target: z.string(),
    category: CategorySchema,
  }),
]);
export type ManifestEntry = z.infer<typeof ManifestEntrySchema>;

const categoryNames: ReadonlySet<unknown> = new Set(CategorySchema.options);
const SHA256_HEX = /^[0-9a-f]{64}$/;
const isCount = (value: unknown) => Number.isSafeInteger(value) && (value as number) >= 0;

/**
 * Whether a value JSON.parse gave is an entry `ManifestEntrySchema` accepts and gives back
 * unchanged: every field valid and no other (the schema would drop it). False says nothing
 * else: the schema then reads it, and says what is wrong.
 *
 * Note: the schema took 50 ms over the 19,446 entries of the bench's sidecar, and its copies
 * of them as much again in garbage collection, before an export could start (issue 13); this
 * takes about 8 ms and copies nothing (an entry taken keeps its fields' order, which no reader
 * depends on). Its test holds it to the schema, field by field and value by value.
 */
export function isExactManifestEntry(value: unknown): value is ManifestEntry {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const entry = value as Record<string, unknown>;
  if (
    typeof entry.path !== 'string' ||
    entry.path.length === 0 ||
    !Number.isFinite(entry.mtimeMs) ||
    !isCount(entry.mode)
  ) {
    return false;
  }
  let fields = 0;
  for (const key in entry) if (Object.hasOwn(entry, key)) fields++;
  switch (entry.type) {
    case 'file':
      return (
        fields === 7 &&
        isCount(entry.size) &&
        typeof entry.sha256 === 'string' &&
        SHA256_HEX.test(entry.sha256) &&
        categoryNames.has(entry.category)
      );
    case 'directory':
      return fields === 4;
    case 'symlink':
      return fields === 6 && typeof entry.target === 'string' && categoryNames.has(entry.category);
    default:
      return false;
  }
}

/** A collection as the archive's assistant.db describes it, for restore's dimension check. */
export const ManifestCollectionSchema = z.object({
  name: z.string(),
  dimension: z.number().int().positive(),
  space: z.string(),
  chunks: z.number().int().nonnegative(),
});
export type ManifestCollection = z.infer<typeof ManifestCollectionSchema>;

/**
 * One store instance of the root's profile that the backup holds, and how it was captured:
 * `together` (its capture plan was copied into staging first, in the plan's order, SQLite
 * through the online backup API, so its files agree with each other) or `per-file` (each file
 * on its own: a SQLite database through the online backup API, any other file as read).
 */
export const ManifestStoreSchema = z.object({
  /** The profile's store id (`embeddings`, `webui-db`). */
  store: z.string(),
  kind: StoreKindIdSchema,
  /** Root-relative path of the instance (a file or a folder). */
  path: z.string(),
  /** The instance in a person's words. */
  label: z.string(),
  category: CategorySchema,
  /** Where its data comes from: a derived store can be rebuilt from the one it names. */
  origin: StoreOriginSchema,
  capture: z.enum(['together', 'per-file']),
  /** Why the copy is consistent, or what it cannot promise (the plan's words). */
  consistency: z.string(),
  /** True when only a copy taken with the app stopped is exact. */
  needsAppStopped: z.boolean(),
  /** Files of the instance in the archive, and their bytes, snapshots counted as archived. */
  files: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
});
export type ManifestStore = z.infer<typeof ManifestStoreSchema>;

/** The manifest inside the archive. */
export const BackupManifestSchema = z.object({
  format: z.literal('tend-backup'),
  formatVersion: z.number().int().positive(),
  /** Tend's version that wrote it. */
  tendVersion: z.string(),
  /** Stable id of the backup: the archive's file name without `.tar.gz`. */
  id: z.string().min(1),
  kind: BackupKindSchema,
  /** The categories this backup covers. */
  categories: z.array(CategorySchema).readonly(),
  createdAt: z.string(),
  /** The root it was taken from, and the machine (for a destination shared by several). */
  sourceRoot: z.string(),
  host: z.string(),
  /** assistant.db's schema version (`PRAGMA user_version`), or null when there is none. */
  assistantSchemaVersion: z.number().int().nullable(),
  collections: z.array(ManifestCollectionSchema).readonly(),
  entries: z.array(ManifestEntrySchema).readonly(),
  totals: z.object({
    files: z.number().int().nonnegative(),
    bytes: z.number().int().nonnegative(),
  }),
  /** What a person should know: files left out or changed while read, links leading outside. */
  warnings: z.array(z.object({ path: z.string(), message: z.string() })).readonly(),
  /**
   * What the backup does not hold although it lay in its scope: files and folders that could
   * not be read, sockets, FIFOs and devices. A restore keeps whatever is at these paths (and
   * under them). Missing in manifests of earlier versions, where the warnings starting with
   * "Left out:" say the same.
   */
  leftOut: z
    .array(z.object({ path: z.string(), reason: z.string() }))
    .readonly()
    .optional(),
  /**
   * The profile's stores the backup holds, each with how it was captured. Missing in
   * manifests written before stores drove capture.
   */
  stores: z.array(ManifestStoreSchema).readonly().optional(),
  /**
   * Set when the app made this backup itself and Tend imported it into its history (the
   * memory system's `memory_backup_*.tar.gz`): the app, its file and that file's SHA-256.
   */
  madeBy: z
    .object({
      app: z.string(),
      file: z.string(),
      bytes: z.number().int().nonnegative(),
      sha256,
    })
    .optional(),
});
export type BackupManifest = z.infer<typeof BackupManifestSchema>;

/** The sidecar beside the archive: the manifest plus what only the finished archive knows. */
export const BackupSidecarSchema = BackupManifestSchema.extend({
  archive: z.object({
    fileName: z.string(),
    bytes: z.number().int().nonnegative(),
    sha256,
  }),
});
export type BackupSidecar = z.infer<typeof BackupSidecarSchema>;
