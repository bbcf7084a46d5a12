/**
 * The profile: one kind of data folder Tend can look after, described so that every domain of
 * the engine (usage, backup, restore, cleanup, the pages) works from it and never from a
 * module constant. The native assistant's layout is one profile among others.
 *
 * ## What a profile says (read profiles/native/ as the worked example)
 *
 * | field | what it is | who reads it |
 * |---|---|---|
 * | `id`, `name`, `appName`, `summary` | stable id (`native`, `open-webui`), the profile's and the app's names, one sentence | registry, UI, `tend profiles list` |
 * | `markers` | paths whose presence (and shape: file, folder, SQLite header, JSON that parses) says "this is such a folder", each with a weight | detection.ts |
 * | `paths` | the profile's named root-relative paths, for its own code and the description | the profile's modules |
 * | `categoryRules` | ordered globs → category (and, for disposable ones, the cleanup that may remove them); first match wins, unknown is irreplaceable | scanner, backup scope, cleanup, restore (compiled once per session: `session.categorize`) |
 * | `stores` | each a kind of the store library (stores/) at some paths, with its origin (source, derived from another store, downloaded), how it is captured and validated | backup (capture methods), restore (validation after the swap), the description |
 * | `scopes` | what a partial restore can name (collection, entity, workspace): list the ids of a root, map an id to its paths, and optionally merge its rows inside a database | restore plan and wizard |
 * | `runningApp` | lock/pid files and process names of the app while it runs | restore refuses while the app runs |
 * | `dataLocation` | how the app is told where its folder is (env var, settings file, or nothing) | the description; moves |
 * | `assistantStore` | Tend's own assistant store (assistant.db + HNSW collections), or null | vectors, maintenance, collection restore (`session.assistant()`) |
 * | `newRootFolders` | folders `tend init` makes | root creation |
 * | `demo` | writes a realistic folder of this kind (`tend demo --profile ID`) | demo job |
 * | `outsideRoot` | optional: the app's data kept outside the folder (Jan's vector databases) | the description; moves |
 *
 * ## Adding a profile (the checklist)
 * 1. A folder `profiles/<id>/` with `<id>-profile.ts` exporting a `Profile` (and, where it
 *    helps, `<id>-rules.ts`, `<id>-stores.ts`, `<id>-scopes.ts`, `<id>-demo.ts`). Take the
 *    facts from stores/layouts/ (each cites the app's source); cite new ones the same way.
 * 2. One line in `registry.ts` (`profiles`). Detection, `tend profiles list|detect`, the
 *    first-run page, `tend adopt --profile` and `root:info` pick it up from there.
 * 3. Markers: give the most specific files the highest weight (a SQLite or JSON shape beats a
 *    bare folder), so a folder of another profile never ties with yours. A folder matching
 *    nothing, or two profiles equally, is "not an assistant folder": never guess.
 * 4. Rules: irreplaceable first (what the person made), then disposable places (each with its
 *    cleanup), then rebuildable/redownloadable, and `**` irreplaceable last.
 * 5. Stores: `defineStore` (profile-store.ts) glues a kind of the store library to the
 *    profile's paths; a store derived from another says so (`origin`), and a store that holds
 *    the only copy of its data is `source` whatever its kind's default.
 * 6. Scopes: `list`, `pathsOf`, `idOf`; `records` only when some of a scope's data lives in
 *    rows of a database (native: a collection's rows in assistant.db).
 * 7. Tests: detection on a demo folder of yours, on the others' demos (no tie), and the
 *    profile's rules, stores and scopes table-driven (tests/main/engine/profiles/).
 *
 * ## What a profile never does
 * It never writes into the folder at detection or description time (markers are stat-ed and,
 * for their shape, read for a few bytes), never opens another app's database writable (stores/
 * sqlite's `openReadOnly`), and keeps no state of Tend's in the folder: Tend's catalog,
 * settings, locks and journals live in its state directory (root/root-state.ts).
 */
import type {
  DataLocationInfo,
  MarkerShape,
  ProfileId,
  ProfileScopeInfo,
  RunningAppInfo,
  StoreKindId,
  StoreOrigin,
} from '../../../src-shared/models/profiles';
import type { Category } from '../../../src-shared/models/categories';
import type { DemoSize } from '../../../src-shared/models/demo';
import type { JobProgress } from '../../../src-shared/models/jobs';
import type { BackupKind, BackupManifest } from '../../../src-shared/models/backup-manifest';
import type { ArchiveExtraFile } from '../backup/archive-writer';
import type { JobContext } from '../jobs/job-runner';
import type { CategoryRule } from '../root/category-rules';
import type { RootState } from '../root/root-state';
import type { CapturePlan } from '../stores/capture-plan';
import type { StoreCheck } from '../stores/store-finding';
import type { StoreRunOptions } from '../stores/store-kind';

/** A profile's named, root-relative paths (forward slashes). */
export type ProfilePaths = Readonly<Record<string, string>>;

/** One thing of a profile's layout that detection looks for. */
export interface ProfileMarker {
  /** Root-relative, forward slashes; a folder ends in `/`. */
  readonly path: string;
  /** What it is, in the app's terms ("the assistant's database"). */
  readonly what: string;
  /** What must be there: `sqlite` reads the 100-byte header, `json` parses a small file. */
  readonly shape: MarkerShape;
  /** 0 (shown, proves nothing alone) to 1; see detection.ts for how weights combine. */
  readonly weight: number;
}

/** One instance of a store in a root: one database, one index folder, one upload folder. */
export interface StoreInstance {
  /** The profile store it belongs to. */
  readonly storeId: string;
  readonly kind: StoreKindId;
  /** Root-relative path of the instance (a file or a folder). */
  readonly path: string;
  /** The instance in a person's words; its check is reported under this name ("index notes"). */
  readonly label: string;
  /** The files to copy or snapshot, in order, for a consistent backup of this instance. */
  planCapture(): Promise<CapturePlan>;
  /** Reads the instance and says what is wrong with it, by file, with what to do. */
  validate(options?: StoreRunOptions): Promise<InstanceCheck>;
}

/** A store check with a one-line summary of what was found sound or wrong. */
export interface InstanceCheck extends StoreCheck<unknown> {
  readonly summary: string;
}

/** One store of a profile: a kind of the store library at some paths of the folder. */
export interface ProfileStore {
  readonly id: string;
  readonly kind: StoreKindId;
  /** What it is, in the app's terms. */
  readonly title: string;
  /** Root-relative paths; `*` stands for one name, each match one instance. */
  readonly paths: ReadonlyArray<string>;
  readonly category: Category;
  readonly origin: StoreOrigin;
  /** How a backup copies it consistently, in words (the kind's, unless the profile knows more). */
  readonly capture: string;
  /** How a restore validates it, in words. */
  readonly validation: string;
  /** The instances present in a root (a path that is not there has none). */
  instances(root: string): Promise<ReadonlyArray<StoreInstance>>;
}

/** One id of a scope in a root, as a person recognises it. */
export interface ScopeItem {
  readonly id: string;
  readonly name: string;
}

/** What a records merge changed, in the scope's words. */
export interface ScopeMergeResult {
  /** Rows brought back, by what they are ("documents": 12, "chunks": 340). */
  readonly rows: Readonly<Record<string, number>>;
}

/**
 * Records of a scope that live inside a database (rows, not files): a restore of one id
 * replaces them in a copy of the live database, in staging, which is then swapped in like any
 * other file (a failure or a kill leaves the live database as it was).
 */
export interface ScopeRecords {
  /** The database, root-relative. */
  readonly database: string;
  /**
   * Writes into `target` a copy of `live` (or of `archived` when there is no live database)
   * whose rows of `id` are the backup's. Opens `archived` read-only; never touches `live`.
   */
  merge(input: {
    readonly live: string | null;
    readonly archived: string;
    readonly target: string;
    readonly id: string;
  }): Promise<ScopeMergeResult>;
}

/** What a partial backup or restore can name, with the code to find it. */
export interface ProfileScope extends ProfileScopeInfo {
  /** The ids present in a root, sorted. */
  list(root: string): Promise<ReadonlyArray<ScopeItem>>;
  /** The root-relative files and folders that belong to `id` (a restore replaces what is under them). */
  pathsOf(id: string): ReadonlyArray<string>;
  /** The id a root-relative path belongs to, or null (how a backup's ids are read from its manifest). */
  idOf(relative: string): string | null;
  /** Set when some of a scope's data is rows of a database. */
  readonly records?: ScopeRecords;
}

/**
 * Tend's own assistant store, root-relative: assistant.db (collections, documents, chunks,
 * chats, interactions), the HNSW index of each collection, the uploaded originals, and where
 * the old `data/` layout waits to be migrated. The vectors, maintenance and collection
 * features work on it (`session.assistant()`); a profile without one has none of them.
 */
export interface AssistantStoreLayout {
  readonly dir: string;
  readonly db: string;
  readonly vectorStore: string;
  readonly documents: string;
  readonly logs: string;
  readonly legacyData: string;
  /** Where a legacy migration sets aside files in the way, one folder per migration. */
  readonly legacySetAside: string;
}

/** What a demo writer is given. */
export interface ProfileDemoOptions {
  readonly root: string;
  readonly size: DemoSize;
  readonly seed: number;
  readonly signal: AbortSignal;
  readonly onProgress: (progress: Partial<Omit<JobProgress, 'etaSeconds'>>) => void;
}

/** What a demo writer wrote. */
export interface ProfileDemoResult {
  readonly root: string;
  readonly files: number;
  readonly bytes: number;
}

/** Writes a realistic folder of a profile's kind: the same seed writes the same data. */
export interface ProfileDemo {
  write(options: ProfileDemoOptions): Promise<ProfileDemoResult & Record<string, unknown>>;
}

/**
 * Data of the app that lives outside its folder (Jan's vector databases stay in Jan's default
 * place when the data folder moves): shown with the root, so a backup or a move does not
 * silently leave it behind.
 */
export interface OutsidePlace {
  /** Absolute. */
  readonly path: string;
  /** What it is, in the app's terms. */
  readonly what: string;
  readonly bytes: number;
  readonly category: Category;
  /** Why it is outside, and what to do about it. */
  readonly why: string;
}

/** Adds files from outside the folder to a backup while its job runs (a database dump). */
export type BackupExtras = (
  tempDir: string,
  context: JobContext,
) => Promise<ReadonlyArray<ArchiveExtraFile>>;

/** One backup the app made itself, in its own backup folder. */
export interface AppBackupFile {
  /** The file name, in the folder. */
  readonly file: string;
  /** When it was made (ISO), from its name. */
  readonly takenAt: string;
  readonly bytes: number;
}

/**
 * The backups an app makes of its own folder (the memory system's nightly
 * `memory_backup_*.tar.gz`): shown beside Tend's and imported into its history on request.
 */
export interface AppBackups {
  /** Root-relative folder that holds them. */
  readonly folder: string;
  /** The app's backups in the (absolute) folder, newest first. */
  list(folder: string): Promise<ReadonlyArray<AppBackupFile>>;
  /**
   * Where the archive's entries belong in the root, from their paths: '' when they are
   * root-relative, else the folder to put them under.
   */
  baseOf(paths: ReadonlyArray<string>): string;
}

/** One kind of data folder. */
export interface Profile {
  readonly id: ProfileId;
  readonly name: string;
  /** The app in a sentence: "the assistant", "Open WebUI". */
  readonly appName: string;
  readonly summary: string;
  readonly markers: ReadonlyArray<ProfileMarker>;
  readonly paths: ProfilePaths;
  readonly categoryRules: ReadonlyArray<CategoryRule>;
  readonly stores: ReadonlyArray<ProfileStore>;
  readonly scopes: ReadonlyArray<ProfileScope>;
  readonly runningApp: RunningAppInfo;
  readonly dataLocation: ReadonlyArray<DataLocationInfo>;
  readonly assistantStore: AssistantStoreLayout | null;
  /** Folders `tend init` makes in a new, empty root of this kind. */
  readonly newRootFolders: ReadonlyArray<string>;
  readonly demo: ProfileDemo | null;
  /**
   * The app's data that lives outside the root (absolute paths), read from the system; absent
   * for a profile whose app keeps everything inside its folder.
   */
  readonly outsideRoot?: (root: string) => Promise<ReadonlyArray<OutsidePlace>>;
  /**
   * What a backup of `kind` adds from outside the folder (the postgres-app profile's database
   * dump), or null; every backup of the root asks, scheduled ones too. Absent: nothing.
   */
  readonly backupExtras?: (state: RootState, kind: BackupKind) => Promise<BackupExtras | null>;
  /** The backups the app makes itself, when it makes any. */
  readonly appBackups?: AppBackups;
  /**
   * The archive's entries that are not files of the folder (the postgres-app profile's
   * database dump, restored into the database by swap): a restore of files never writes them
   * into the folder, and says why. Absent: every entry is a file of the folder.
   */
  readonly restoredApart?: (manifest: Pick<BackupManifest, 'id' | 'entries'>) => RestoredApart[];
}

/** Archive entries a restore of files leaves out, because they go back another way. */
export interface RestoredApart {
  /** Root-relative archive paths. */
  readonly paths: ReadonlyArray<string>;
  /** What they are, and how they are restored instead (a command a person can run). */
  readonly why: string;
}
