import { z } from 'zod';
import { CategorySchema } from './categories';
import { JobRecordSchema } from './jobs';

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

/** One store of a folder as the first run shows it: how many instances, and their bytes. */
export const SurveyStoreSchema = z.object({
  id: z.string(),
  title: z.string(),
  kind: StoreKindIdSchema,
  category: CategorySchema,
  /** Where its data comes from (the origin's kind). */
  origin: z.enum(['source', 'derived', 'downloaded']),
  /** How many instances the folder holds (one database, one index folder each). */
  instances: z.number().int().min(0),
  bytes: z.number().int().min(0),
});
export type SurveyStore = z.infer<typeof SurveyStoreSchema>;

/** One scope of a folder as the first run shows it: "3 entities" and their first names. */
export const SurveyScopeSchema = z.object({
  id: z.string(),
  singular: z.string(),
  plural: z.string(),
  count: z.number().int().min(0),
  /** The first SURVEY_LISTED_NAMES names, sorted as the profile lists them. */
  names: z.array(z.string()).readonly(),
});
export type SurveyScope = z.infer<typeof SurveyScopeSchema>;

/** At most this many names of a scope are listed in a survey; `count` counts them all. */
export const SURVEY_LISTED_NAMES = 5;

/**
 * What a folder holds, read as one profile (the detected one, or the one the person chose):
 * shown on the first run before Tend adopts it. Reads only.
 */
export const FolderSurveySchema = z.object({
  path: z.string(),
  /** The profile the folder was read as; null when none was detected and none chosen. */
  profile: ProfileIdSchema.nullable(),
  name: z.string().nullable(),
  /** How well the folder matches that profile, 0 to 1. */
  confidence: z.number().min(0).max(1),
  /** The profile detection chose, or null: not an assistant folder by its markers alone. */
  detected: ProfileIdSchema.nullable(),
  /** Why nothing was detected, in words; null when a profile was. */
  reason: z.string().nullable(),
  stores: z.array(SurveyStoreSchema).readonly(),
  scopes: z.array(SurveyScopeSchema).readonly(),
});
export type FolderSurvey = z.infer<typeof FolderSurveySchema>;

/**
 * One thing a store check found, named by file, with what to do (the engine's StoreFinding,
 * src-main/engine/stores/store-finding.ts, whose `code` list is the engine's to grow).
 */
export const StoreFindingInfoSchema = z.object({
  /** A stable code (`CHROMA_SEGMENT_ORPHAN`, `JSON_TRUNCATED`, …). */
  code: z.string(),
  /** `problem`: damaged or missing; `reclaimable`: space nothing uses; `notice`: worth knowing. */
  severity: z.enum(['problem', 'reclaimable', 'notice']),
  /** The file or folder, relative to the store instance ('' for the instance itself). */
  path: z.string(),
  message: z.string(),
  action: z.string(),
  bytes: z.number().int().min(0).optional(),
});
export type StoreFindingInfo = z.infer<typeof StoreFindingInfoSchema>;

/**
 * A backup that holds a damaged store instance, and what to restore from it: one id of a
 * scope when the instance belongs to one (an entity's index), else its paths.
 */
export const StoreRestoreOfferSchema = z.object({
  backupId: z.string(),
  archivePath: z.string(),
  createdAt: z.string(),
  scope: z.object({ scope: z.string(), id: z.string() }).nullable(),
  /** Root-relative. */
  paths: z.array(z.string()).readonly(),
});
export type StoreRestoreOffer = z.infer<typeof StoreRestoreOfferSchema>;

/** The check of one store instance of the open folder. */
export const StoreInstanceCheckSchema = z.object({
  storeId: z.string(),
  /** The store's title, in the app's terms. */
  title: z.string(),
  kind: StoreKindIdSchema,
  /** Root-relative path of the instance. */
  path: z.string(),
  /** The instance in a person's words. */
  label: z.string(),
  /** True when nothing is a problem. */
  ok: z.boolean(),
  /** "sound", or its problems in a line. */
  summary: z.string(),
  findings: z.array(StoreFindingInfoSchema).readonly(),
  /** Where a restore can bring it back from; null when it is sound or no backup holds it. */
  restore: StoreRestoreOfferSchema.nullable(),
});
export type StoreInstanceCheck = z.infer<typeof StoreInstanceCheckSchema>;

/** A store check's result (the `store-check` job's): every store instance of the open folder, checked. */
export const StoreChecksSchema = z.object({
  profile: ProfileIdSchema,
  checkedAt: z.string(),
  instances: z.array(StoreInstanceCheckSchema).readonly(),
});
export type StoreChecks = z.infer<typeof StoreChecksSchema>;

/**
 * `profiles:last-check`: the newest store-check job of the open folder (running, or how it
 * ended) and the findings of the newest one that finished; both null before the first check.
 */
export const LastStoreCheckSchema = z.object({
  job: JobRecordSchema.nullable(),
  checks: StoreChecksSchema.nullable(),
});
export type LastStoreCheck = z.infer<typeof LastStoreCheckSchema>;
