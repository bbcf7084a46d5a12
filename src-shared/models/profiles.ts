import { z } from 'zod';
import { CategorySchema } from './categories';

/**
 * A profile as the UI and `--json` see it: what kind of data folder it describes, how Tend
 * recognises one, what it holds (stores), what a partial backup or restore can name (scopes),
 * what a running app holds, and how the app is told where its data lives. The engine's own
 * side, with the code, is src-main/engine/profiles/profile.ts.
 */

/** A profile's stable id: lower-case letters, digits and dashes (`native`, `open-webui`). */
export const ProfileIdSchema = z
  .string()
  .regex(
    /^[a-z][a-z0-9-]{0,39}$/,
    'A profile id is lower-case letters, digits and dashes (tend profiles list shows them).',
  );
export type ProfileId = z.infer<typeof ProfileIdSchema>;

/** Every store kind Tend knows (one module each in src-main/engine/stores/). */
export const storeKindIds = [
  'sqlite',
  'json-store',
  'hnswlib',
  'faiss',
  'chroma',
  'lancedb',
  'ollama-models',
  'files',
  'postgres',
] as const;
export const StoreKindIdSchema = z.enum(storeKindIds);
export type StoreKindId = z.infer<typeof StoreKindIdSchema>;

/**
 * Where a store's data comes from: it holds data found nowhere else (`source`), it can be
 * rebuilt from another store (`derived`), or fetched again (`downloaded`).
 */
export const StoreOriginSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('source') }),
  z.object({ kind: z.literal('derived'), from: z.string(), rebuiltBy: z.string() }),
  z.object({ kind: z.literal('downloaded'), from: z.string() }),
]);
export type StoreOrigin = z.infer<typeof StoreOriginSchema>;

/**
 * What a marker must be for it to count: a file, a folder, a SQLite database, a JSON file, or
 * a small text file (a compose file, an `.env`) that names a PostgreSQL URL.
 */
export const MarkerShapeSchema = z.enum(['file', 'folder', 'sqlite', 'json', 'postgres-url']);
export type MarkerShape = z.infer<typeof MarkerShapeSchema>;

/** One thing of a profile's layout Tend looks for in a folder. */
export const ProfileMarkerInfoSchema = z.object({
  /** Root-relative, forward slashes; a folder ends in `/`. */
  path: z.string(),
  /** What it is, in the app's terms. */
  what: z.string(),
  shape: MarkerShapeSchema,
  /**
   * How strongly it says the folder is this profile's, from 0 (shown, proves nothing alone)
   * to 1. Markers combine as independent evidence: 1 − Π(1 − weight).
   */
  weight: z.number().min(0).max(1),
});
export type ProfileMarkerInfo = z.infer<typeof ProfileMarkerInfoSchema>;

/** One store of a profile: a kind from the store library at some paths of the folder. */
export const ProfileStoreInfoSchema = z.object({
  /** The store's id inside the profile (`assistant-db`). */
  id: z.string(),
  kind: StoreKindIdSchema,
  /** What it is, in the app's terms: "the assistant's database". */
  title: z.string(),
  /** Root-relative paths; `*` stands for one name (`vector_store/*`, one instance each). */
  paths: z.array(z.string()).readonly(),
  category: CategorySchema,
  origin: StoreOriginSchema,
  /** How a backup copies it consistently, in words. */
  capture: z.string(),
  /** How a restore (and a check) validates it, in words. */
  validation: z.string(),
});
export type ProfileStoreInfo = z.infer<typeof ProfileStoreInfoSchema>;

/**
 * What a partial backup or restore can name: a collection, an entity, a workspace. The words
 * are the app's own, so the pages can say "Restore one workspace".
 */
export const ProfileScopeInfoSchema = z.object({
  /** The scope's id inside the profile (`collection`). */
  id: z.string(),
  singular: z.string(),
  plural: z.string(),
  description: z.string(),
});
export type ProfileScopeInfo = z.infer<typeof ProfileScopeInfoSchema>;

/** What an app holds while it runs: a restore refuses while any of it is seen. */
export const RunningAppInfoSchema = z.object({
  /** Root-relative globs of lock and pid files (a lock of a live process blocks a restore). */
  lockFiles: z.array(z.string()).readonly(),
  /** Process names that mean the app runs. */
  processNames: z.array(z.string()).readonly(),
});
export type RunningAppInfo = z.infer<typeof RunningAppInfoSchema>;

/**
 * How the app is told where its data lives, so a person who moves the folder knows what to
 * change: an environment variable, a key in a settings file, or nothing (the app finds it at a
 * fixed place; a link left behind keeps it working).
 */
export const DataLocationInfoSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('env'), variable: z.string(), note: z.string() }),
  z.object({
    kind: z.literal('settings-file'),
    /** Root-relative when it sits in the folder, else absolute or `~/…`. */
    file: z.string(),
    key: z.string(),
    note: z.string(),
  }),
  z.object({ kind: z.literal('none'), note: z.string() }),
]);
export type DataLocationInfo = z.infer<typeof DataLocationInfoSchema>;

/** A profile, described. */
export const ProfileInfoSchema = z.object({
  id: ProfileIdSchema,
  name: z.string(),
  /** The app in a sentence: "the assistant", "Open WebUI" (Stop the assistant, then restore). */
  appName: z.string(),
  /** One or two sentences: what app keeps such a folder, and what is in it. */
  summary: z.string(),
  markers: z.array(ProfileMarkerInfoSchema).readonly(),
  stores: z.array(ProfileStoreInfoSchema).readonly(),
  scopes: z.array(ProfileScopeInfoSchema).readonly(),
  runningApp: RunningAppInfoSchema,
  dataLocation: z.array(DataLocationInfoSchema).readonly(),
  /** Whether `tend demo --profile ID` can write a folder of this kind. */
  hasDemo: z.boolean(),
});
export type ProfileInfo = z.infer<typeof ProfileInfoSchema>;

/** One thing Tend looked for in a folder, and whether it is there (with its shape). */
export const FolderMarkerSchema = z.object({
  /** Root-relative, forward slashes; a folder ends in `/`. */
  path: z.string(),
  /** What it is, in the app's terms. */
  what: z.string(),
  present: z.boolean(),
});
export type FolderMarker = z.infer<typeof FolderMarkerSchema>;

/** How well a folder matches one profile. */
export const ProfileMatchSchema = z.object({
  profile: ProfileIdSchema,
  name: z.string(),
  /** From 0 to 1; a profile is detected from 0.5, and only when no other has as much. */
  confidence: z.number().min(0).max(1),
  /** The profile's markers, each present or not. */
  markers: z.array(FolderMarkerSchema).readonly(),
});
export type ProfileMatch = z.infer<typeof ProfileMatchSchema>;

/** The confidence from which a profile is detected without the person choosing it. */
export const DETECTED_CONFIDENCE = 0.5;

/** `tend profiles detect DIR --json`: every profile's match, best first, and the verdict. */
export const ProfileDetectionSchema = z.object({
  path: z.string(),
  /** The profile Tend would manage the folder as, or null: not an assistant folder. */
  detected: ProfileIdSchema.nullable(),
  /** Why nothing was detected, in words; null when a profile was. */
  reason: z.string().nullable(),
  matches: z.array(ProfileMatchSchema).readonly(),
});
export type ProfileDetection = z.infer<typeof ProfileDetectionSchema>;
