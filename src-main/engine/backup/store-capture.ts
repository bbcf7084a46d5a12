/**
 * The profile's stores drive a backup's capture: each store instance in the backup's scope
 * plans its capture (stores/*: which files, in which order, copied or snapshotted), and the
 * instances whose files must agree with each other (Chroma's chroma.sqlite3 and its segment
 * folders, Open WebUI's webui.db with vector_db, a LanceDB folder's manifests before its data,
 * a FAISS index with its docstore) are captured together into staging first; the archive then
 * takes their files from there. Every other instance is archived file by file as before (a
 * SQLite database through the online backup API, any other file as read). The manifest
 * records, per instance, what was captured and how.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { TendFailure } from '../../../src-shared/errors';
import type { ManifestStore } from '../../../src-shared/models/backup-manifest';
import type { StoreKindId } from '../../../src-shared/models/profiles';
import type { ProfileStore, StoreInstance } from '../profiles/profile';
import type { CaptureItem, CapturePlan } from '../stores/capture-plan';
import { captureStore, type SnapshotDatabase } from '../stores/capture-store';

/**
 * Whether a plan is captured together into staging before it is archived: its files only
 * agree with each other when copied in the plan's order (a database with the files it names,
 * manifests before data), or the plan says the app's writes make a file-by-file read unsafe.
 * A single file, or files each whole on its own (memory files, uploads, model blobs), is
 * archived as it is read, with no second copy on disk.
 */
export function capturesTogether(kind: StoreKindId, plan: CapturePlan): boolean {
  if (plan.items.length < 2) return false;
  if (kind === 'lancedb' || plan.needsAppStopped) return true;
  return plan.items.some((item) => item.method === 'sqlite-snapshot');
}

/** Tries of a together capture during which the app kept writing the store. */
export const CAPTURE_ATTEMPTS = 3;

/** A live file as a capture saw it: a write changes at least one of these. */
export interface FileIdentity {
  readonly size: number;
  readonly mtimeMs: number;
  readonly ino: number;
}

/** Root-relative path → identity (null when absent); a database's -wal counts as its own. */
export type Identities = ReadonlyMap<string, FileIdentity | null>;

/** Whether two readings of the same files are the same files, unchanged. */
export function sameIdentities(before: Identities, after: Identities): boolean {
  if (before.size !== after.size) return false;
  for (const [file, a] of before) {
    if (!after.has(file)) return false;
    const b = after.get(file) ?? null;
    if (a === null || b === null) {
      if (a !== b) return false;
      continue;
    }
    if (a.size !== b.size || a.mtimeMs !== b.mtimeMs || a.ino !== b.ino) return false;
  }
  return true;
}

/** Reads the identity of each item, and of each database's -wal (its writes land there). */
async function identitiesOf(root: string, items: ReadonlyArray<CaptureItem>): Promise<Identities> {
  const files = items.flatMap((item) =>
    item.method === 'sqlite-snapshot' ? [item.path, `${item.path}-wal`] : [item.path],
  );
  const out = new Map<string, FileIdentity | null>();
  for (const file of files) {
    const stat = await fs.stat(path.join(root, ...file.split('/'))).catch(() => null);
    out.set(file, stat && { size: stat.size, mtimeMs: stat.mtimeMs, ino: stat.ino });
  }
  return out;
}

/**
 * Kinds whose files are each whole on their own (written by rename, or never rewritten): they
 * are archived file by file, so their plan (a walk of every file) is not asked for.
 */
export const FILE_BY_FILE_KINDS: ReadonlySet<StoreKindId> = new Set([
  'files',
  'json-store',
  'hnswlib',
  'ollama-models',
]);

/**
 * An instance's plan; a kind archived file by file gets an empty one in the store's words,
 * and so does one whose plan cannot be made (a path too long to list): its files are then
 * archived one by one, as the scan found them.
 */
async function planOf(store: ProfileStore, instance: StoreInstance): Promise<CapturePlan> {
  const fileByFile: CapturePlan = {
    base: instance.path,
    items: [],
    consistency: store.capture,
    needsAppStopped: false,
  };
  if (FILE_BY_FILE_KINDS.has(store.kind)) return fileByFile;
  try {
    return await instance.planCapture();
  } catch (error) {
    return {
      ...fileByFile,
      consistency: `${store.capture} (archived file by file: its capture could not be planned, ${(error as Error).message})`,
    };
  }
}

/** A store instance found in the scope, with its plan. */
interface PlannedInstance {
  readonly store: ProfileStore;
  readonly instance: StoreInstance;
  readonly plan: CapturePlan;
}

/** What `captureProfileStores` staged, and the manifest's record of each instance. */
export interface StoreCaptures {
  /** Root-relative path → the staged copy the archive takes instead of the live file. */
  readonly staged: ReadonlyMap<string, string>;
  /** Root-relative paths of databases staged through the online backup API. */
  readonly snapshotted: ReadonlySet<string>;
  /** One per instance in scope; `files` and `bytes` are counted as the archive adds them. */
  readonly records: ReadonlyArray<ManifestStore>;
  /** The index in `records` of the instance a root-relative file belongs to, or -1. */
  ownerOf(relative: string): number;
  readonly warnings: ReadonlyArray<{ path: string; message: string }>;
}

/** What `captureProfileStores` takes. */
export interface StoreCaptureInput {
  readonly root: string;
  readonly stores: ReadonlyArray<ProfileStore>;
  /** Root-relative paths of the files the scope holds. */
  readonly files: ReadonlySet<string>;
  /** An empty folder of Tend's (the backup's temp folder); staged copies go under it. */
  readonly stagingDir: string;
  readonly signal: AbortSignal;
  /** Snapshots a database (the backup's worker-thread snapshot). */
  readonly snapshot: SnapshotDatabase;
  /**
   * A plan that cannot be captured (a damaged database in it): fail the backup, or archive
   * the instance file by file with a warning (a safety snapshot must hold what is there).
   */
  readonly onFailure: 'fail' | 'per-file';
  readonly onProgress: (currentPath: string) => void;
}

/** Whether `relative` is `base` or inside it (root-relative, forward slashes). */
export function isWithin(relative: string, base: string): boolean {
  return relative === base || relative.startsWith(`${base}/`);
}

/** A plan's item paths made root-relative. */
export function rootRelativeItems(root: string, plan: CapturePlan): CaptureItem[] {
  const base = path.relative(root, plan.base).split(path.sep).join('/');
  return plan.items.map((item) => ({ ...item, path: base ? `${base}/${item.path}` : item.path }));
}

/**
 * Plans every store instance of the profile that the scope touches and captures together
 * those that need it (`capturesTogether`), in the profile's store order; a file already in an
 * earlier plan (vector_db in webui.db's) is captured once.
 */
export async function captureProfileStores(input: StoreCaptureInput): Promise<StoreCaptures> {
  const { root, files } = input;
  // Every folder holding a file of the scope: an instance is in scope when it is one of them
  // (or a file of it), found without going through the files again for each instance.
  const folders = new Set<string>();
  for (const file of files) {
    for (let at = file.indexOf('/'); at !== -1; at = file.indexOf('/', at + 1)) {
      folders.add(file.slice(0, at));
    }
  }
  const planned: PlannedInstance[] = [];
  for (const store of input.stores) {
    for (const instance of await store.instances(root)) {
      input.signal.throwIfAborted();
      if (!files.has(instance.path) && !folders.has(instance.path)) continue;
      planned.push({ store, instance, plan: await planOf(store, instance) });
    }
  }

  const staged = new Map<string, string>();
  const snapshotted = new Set<string>();
  const warnings: Array<{ path: string; message: string }> = [];
  const together = new Set<number>();
  for (const [index, { store, instance, plan }] of planned.entries()) {
    const inScope = (candidate: CapturePlan) =>
      rootRelativeItems(root, candidate).filter(
        (item) => files.has(item.path) && !staged.has(item.path),
      );
    let items = inScope(plan);
    if (!capturesTogether(store.kind, { ...plan, items })) continue;
    const target = path.join(input.stagingDir, `store-${index + 1}`);
    input.onProgress(instance.path);
    try {
      // The files agree only if the app wrote none of them while they were copied: the copy is
      // taken again while any changed (a database's WAL included) or the plan itself changed
      // (a segment folder added), and kept with a warning when the app never paused.
      for (let attempt = 1; ; attempt++) {
        await fs.rm(target, { recursive: true, force: true });
        const before = await identitiesOf(root, items);
        try {
          await captureStore({ ...plan, base: root, items }, target, {
            signal: input.signal,
            snapshot: input.snapshot,
          });
        } catch (error) {
          // A file the app removed meanwhile (a segment folder dropped): plan again.
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || attempt >= CAPTURE_ATTEMPTS)
            throw error;
          items = inScope(await instance.planCapture());
          continue;
        }
        const after = await identitiesOf(root, items);
        const again = inScope(await instance.planCapture());
        const samePlan =
          again.length === items.length && again.every((item, at) => item.path === items[at]?.path);
        if (sameIdentities(before, after) && samePlan) break;
        if (attempt >= CAPTURE_ATTEMPTS) {
          warnings.push({
            path: instance.path,
            message: `${instance.label} was written to while it was copied (${CAPTURE_ATTEMPTS} tries): its files may not agree with each other. Stop the app that writes it for an exact copy, then back up again.`,
          });
          break;
        }
        items = again;
      }
    } catch (error) {
      input.signal.throwIfAborted();
      const why = (error as Error).message;
      if (input.onFailure === 'fail') {
        throw new TendFailure(
          'FILE_UNREADABLE',
          `Cannot take a consistent copy of ${instance.label}: ${why} Stop the app that writes it (or repair a damaged database), then back up again.`,
          { path: instance.path },
        );
      }
      warnings.push({
        path: instance.path,
        message: `${instance.label} could not be captured together (${why}): its files were archived one by one, as they were on disk.`,
      });
      continue;
    }
    together.add(index);
    for (const item of items) {
      staged.set(item.path, path.join(target, ...item.path.split('/')));
      if (item.method === 'sqlite-snapshot') snapshotted.add(item.path);
    }
  }

  // The deepest instance holding a file owns it: vector_db's files are vector_db's, though
  // webui.db's plan captured them.
  const byDepth = planned
    .map(({ instance }, index) => ({ path: instance.path, index }))
    .sort((a, b) => b.path.length - a.path.length);
  const ownerOf = (relative: string) =>
    byDepth.find((entry) => isWithin(relative, entry.path))?.index ?? -1;
  for (const relative of staged.keys()) together.add(ownerOf(relative));
  const records: ManifestStore[] = planned.map(({ store, instance, plan }, index) => ({
    store: store.id,
    kind: store.kind,
    path: instance.path,
    label: instance.label,
    category: store.category,
    origin: store.origin,
    capture: together.has(index) ? 'together' : 'per-file',
    consistency: plan.consistency,
    needsAppStopped: plan.needsAppStopped,
    files: 0,
    bytes: 0,
  }));
  return { staged, snapshotted, records, ownerOf, warnings };
}
