/**
 * Plans a restore (DESIGN §5, step 1): which files are added, replaced and removed, what it
 * means for the assistant's collections, the space it needs, and why it would be refused.
 *
 * Pure reading: nothing here writes. The plan is made again inside the restore job, under the
 * data lock, so what is applied is what was true when it ran.
 */
import fs from 'node:fs';
import path from 'node:path';
import { TendFailure } from '../../../src-shared/errors';
import type { BackupSidecar, ManifestEntry } from '../../../src-shared/models/backup-manifest';
import type { Category } from '../../../src-shared/models/categories';
import {
  PLAN_LISTED_FILES,
  type RestoreAction,
  type RestoreCollectionChange,
  type RestorePlan,
  type RestoreRefusal,
  type RestoreScope,
} from '../../../src-shared/models/restore';
import { categorize } from '../root/category-rules';
import { layout } from '../root/layout';
import { ASSISTANT_SCHEMA_VERSION, listCollections, openAssistantDb } from '../store/assistant-db';
import { ancestorsOf, checkArchivePath, isUnder } from './archive-path';
import type { ManifestFile } from './backup-manifest-reader';
import type { LocatedBackup } from './backup-locator';
import { walkLiveTree, type LiveFile, type LiveTree } from './live-tree';

/** One file operation of the swap. */
export interface RestoreOp {
  readonly path: string;
  readonly action: RestoreAction;
  /** Bytes written (add, replace) or removed. */
  readonly bytes: number;
}

/** A collection restore: rows merged into a copy of the live assistant.db, then swapped. */
export interface CollectionMerge {
  readonly id: string;
}

/** The plan, plus what only the engine needs to carry it out. */
export interface PlannedRestore {
  readonly plan: RestorePlan;
  readonly ops: ReadonlyArray<RestoreOp>;
  readonly manifest: BackupSidecar;
  /** Archive files to extract into staging. */
  readonly extract: ReadonlySet<string>;
  readonly merge: CollectionMerge | null;
  /** Folders the swap creates, outermost first; a rollback removes them again. */
  readonly newDirs: ReadonlyArray<string>;
}

const SQLITE_SIDES = ['-wal', '-shm', '-journal'] as const;
/** Headroom on top of what staging and the snapshot take. */
const SPACE_MARGIN = 64 * 1024 * 1024;

const documentsOf = (id: string) => `${layout.documents}/${id}`;
const indexOf = (id: string) => `${layout.vectorStore}/${id}`;

/** How to plan. */
export interface PlanOptions {
  /**
   * Whether live files in scope that the backup lacks are removed. By default yes, except for
   * safety snapshots (`pre-restore`, `pre-migration`), which hold only some files.
   */
  readonly removeMissing?: boolean;
}

/** Normalizes a person's path (`./a/b/`, `a\\b`) to the archive's canonical form. */
export function normalizeScopePath(raw: string): string {
  const cleaned = raw
    .replaceAll('\\', '/')
    .replace(/^(\.\/)+/, '')
    .replace(/\/+$/, '')
    .replace(/\/{2,}/g, '/');
  return checkArchivePath(cleaned);
}

interface LiveCollection {
  id: string;
  name: string;
  dimension: number;
  chunks: number;
  chatSessions: number;
}

function readLiveCollections(root: string): LiveCollection[] {
  const file = path.join(root, layout.assistantDb);
  if (!fs.existsSync(file)) return [];
  let db;
  try {
    db = openAssistantDb(file, { readonly: true });
  } catch {
    return [];
  }
  try {
    const sessions = db.prepare('SELECT count(*) AS n FROM chat_sessions WHERE collection_id = ?');
    return listCollections(db).map((collection) => ({
      id: collection.id,
      name: collection.name,
      dimension: collection.dimension,
      chunks: collection.chunkCount,
      chatSessions: (sessions.get(collection.id) as { n: number }).n,
    }));
  } finally {
    db.close();
  }
}

function countUnder(prefix: string, paths: Iterable<string>): number {
  let n = 0;
  for (const candidate of paths) if (isUnder(prefix, candidate)) n++;
  return n;
}

/** Quick check of the archive file: there, the size the sidecar says, and gzip. */
function quickCheck(backup: LocatedBackup, sidecar: BackupSidecar): string | null {
  let stat;
  try {
    stat = fs.statSync(backup.archivePath);
  } catch {
    return `The archive ${backup.archivePath} is missing.`;
  }
  if (stat.size !== sidecar.archive.bytes) {
    return `The archive is ${stat.size} bytes but its manifest says ${sidecar.archive.bytes}: it was cut short or changed.`;
  }
  const head = Buffer.alloc(2);
  const fd = fs.openSync(backup.archivePath, 'r');
  try {
    fs.readSync(fd, head, 0, 2, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (head[0] !== 0x1f || head[1] !== 0x8b) return 'The archive is not a gzip file.';
  return null;
}

/** Plans restoring `scope` of a backup into `root`. */
export function planRestore(
  root: string,
  backup: LocatedBackup,
  scope: RestoreScope,
  live: LiveTree = walkLiveTree(root),
  options: PlanOptions = {},
): PlannedRestore {
  const sidecar = backup.sidecar;
  if (!sidecar) {
    throw new TendFailure(
      'RESTORE_QUICK_CHECK_FAILED',
      `${path.basename(backup.archivePath)} has no manifest beside it. Import it first (tend restore import FILE), which checks it and writes one.`,
    );
  }
  const refusals: RestoreRefusal[] = [];
  const warnings: string[] = [];
  const problem = quickCheck(backup, sidecar);
  if (problem) refusals.push({ code: 'RESTORE_QUICK_CHECK_FAILED', message: problem });

  const archiveFiles = new Map<string, ManifestFile>();
  const archiveDirs = new Set<string>();
  for (const entry of sidecar.entries as ReadonlyArray<ManifestEntry>) {
    if (entry.type === 'file') archiveFiles.set(entry.path, entry);
    else if (entry.type === 'directory') archiveDirs.add(entry.path);
    else
      warnings.push(`${entry.path} is a link in the backup; Tend restores files and folders only.`);
    for (const ancestor of ancestorsOf(entry.path)) archiveDirs.add(ancestor);
  }
  const covered = new Set<Category>(sidecar.categories);
  const liveCollections = readLiveCollections(root);

  // Which archive files, and which live files, the scope reaches.
  let inScope: (relative: string, category: Category | null) => boolean;
  let merge: CollectionMerge | null = null;
  const collections: RestoreCollectionChange[] = [];
  switch (scope.kind) {
    case 'everything':
      inScope = () => true;
      break;
    case 'categories': {
      const chosen = new Set<Category>(scope.categories);
      inScope = (_relative, category) => category !== null && chosen.has(category);
      break;
    }
    case 'paths': {
      const prefixes = scope.paths.map(normalizeScopePath);
      inScope = (relative) => prefixes.some((prefix) => isUnder(prefix, relative));
      break;
    }
    case 'collection': {
      const wanted = scope.collection;
      const liveMatch = liveCollections.find((c) => c.id === wanted || c.name === wanted);
      const id = liveMatch?.id ?? wanted;
      const inArchive = [...archiveFiles.keys()].some(
        (file) => isUnder(indexOf(id), file) || isUnder(documentsOf(id), file),
      );
      if (!liveMatch && !inArchive) {
        throw new TendFailure(
          'RESTORE_UNKNOWN_COLLECTION',
          `There is no collection ${wanted} in the data folder or in the backup.`,
        );
      }
      const archived = sidecar.collections.find((c) => c.name === (liveMatch?.name ?? wanted));
      if (liveMatch && archived && archived.dimension !== liveMatch.dimension) {
        refusals.push({
          code: 'RESTORE_DIMENSION_MISMATCH',
          message: `Collection ${liveMatch.name} has ${liveMatch.dimension}-dimension embeddings here but ${archived.dimension} in the backup; its vectors cannot be mixed. Restore everything instead.`,
        });
      }
      if (!archiveFiles.has(layout.assistantDb)) {
        refusals.push({
          code: 'RESTORE_NOTHING_TO_RESTORE',
          message: 'The backup has no assistant.db, so it cannot bring back a collection’s rows.',
        });
      } else {
        merge = { id };
      }
      inScope = (relative) => isUnder(indexOf(id), relative) || isUnder(documentsOf(id), relative);
      collections.push({
        id,
        name: liveMatch?.name ?? archived?.name ?? id,
        action: liveMatch ? 'replace' : 'add',
        chunksNow: liveMatch?.chunks ?? 0,
        chunksAfter: archived?.chunks ?? 0,
        documentFilesNow: countUnder(documentsOf(id), live.files.keys()),
        documentFilesAfter: countUnder(documentsOf(id), archiveFiles.keys()),
        chatSessionsNow: liveMatch?.chatSessions ?? 0,
      });
      break;
    }
  }

  const ops: RestoreOp[] = [];
  const extract = new Set<string>();
  const totals = emptyTotals();
  const add = (op: RestoreOp) => {
    ops.push(op);
    tallyOp(totals, op);
  };
  for (const [relative, entry] of archiveFiles) {
    if (!inScope(relative, entry.category)) continue;
    const now = live.files.get(relative);
    if (live.dirs.has(relative)) {
      refusals.push({
        code: 'RESTORE_NOTHING_TO_RESTORE',
        message: `${relative} is a folder here but a file in the backup; move it away first.`,
      });
      continue;
    }
    extract.add(relative);
    if (now) {
      if (now.size === entry.size && Math.floor(now.mtimeMs) === Math.floor(entry.mtimeMs)) {
        totals.unchanged++;
      }
      add({ path: relative, action: 'replace', bytes: entry.size });
    } else {
      add({ path: relative, action: 'add', bytes: entry.size });
    }
    for (const ancestor of ancestorsOf(relative)) {
      if (live.files.has(ancestor)) {
        refusals.push({
          code: 'RESTORE_NOTHING_TO_RESTORE',
          message: `${ancestor} is a file here but a folder in the backup; move it away first.`,
        });
      }
    }
  }
  const planned = new Set(ops.map((op) => op.path));
  // A safety snapshot holds only the files one restore touched, not a picture of the whole
  // root: what it lacks was simply not part of it, so nothing is removed for that (the undo,
  // which knows exactly which files its restore added, asks for their removal).
  const partial = sidecar.kind === 'pre-restore' || sidecar.kind === 'pre-migration';
  const removeMissing = options.removeMissing ?? !partial;
  for (const [relative, file] of removeMissing ? live.files : new Map<string, LiveFile>()) {
    if (archiveFiles.has(relative) || planned.has(relative)) continue;
    const category = categorize(relative);
    // Only what the backup covers is taken away: a critical backup never removes models.
    if (category === null || category === 'disposable' || !covered.has(category)) continue;
    if (!inScope(relative, category)) continue;
    add({ path: relative, action: 'remove', bytes: file.size });
  }
  if (merge) {
    const db = layout.assistantDb;
    const size = live.files.get(db)?.size ?? 0;
    extract.add(db);
    add({ path: db, action: live.files.has(db) ? 'replace' : 'add', bytes: size });
  }
  // A database replaced or removed takes its WAL and friends with it: an old WAL beside a new
  // database would be replayed into it.
  const withSides = new Set(ops.map((op) => op.path));
  const companions = new Set<string>();
  for (const op of [...ops]) {
    if (op.action === 'add') continue;
    for (const side of SQLITE_SIDES) {
      const sibling = `${op.path}${side}`;
      const file = live.files.get(sibling);
      if (file && !withSides.has(sibling)) {
        withSides.add(sibling);
        // Moved with its database, but not one of the person's files: not counted or listed.
        ops.push({ path: sibling, action: 'remove', bytes: file.size });
        companions.add(sibling);
      }
    }
  }
  ops.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

  const touchesDb = ops.some((op) => op.path === layout.assistantDb && op.action !== 'remove');
  if (
    touchesDb &&
    sidecar.assistantSchemaVersion !== null &&
    sidecar.assistantSchemaVersion > ASSISTANT_SCHEMA_VERSION
  ) {
    refusals.push({
      code: 'RESTORE_SCHEMA_NEWER',
      message: `The backup's assistant.db has schema version ${sidecar.assistantSchemaVersion}, newer than this Tend knows (${ASSISTANT_SCHEMA_VERSION}). Update Tend to restore it.`,
    });
  }
  // Collections the swap replaces as a whole (everything, categories, paths reaching indexes).
  if (scope.kind !== 'collection') {
    for (const archived of sidecar.collections) {
      const here = liveCollections.find((c) => c.name === archived.name);
      const indexChanges = here && ops.some((op) => isUnder(indexOf(here.id), op.path));
      if (!here && touchesDb) {
        collections.push({
          id: archived.name,
          name: archived.name,
          action: 'add',
          chunksNow: 0,
          chunksAfter: archived.chunks,
          documentFilesNow: 0,
          documentFilesAfter: 0,
          chatSessionsNow: 0,
        });
      } else if (here && (touchesDb || indexChanges)) {
        if (!touchesDb && archived.dimension !== here.dimension) {
          refusals.push({
            code: 'RESTORE_DIMENSION_MISMATCH',
            message: `The backup's index of ${here.name} has ${archived.dimension} dimensions but the live collection has ${here.dimension}; restore assistant.db with it.`,
          });
        }
        collections.push({
          id: here.id,
          name: here.name,
          action: 'replace',
          chunksNow: here.chunks,
          chunksAfter: archived.chunks,
          documentFilesNow: countUnder(documentsOf(here.id), live.files.keys()),
          documentFilesAfter: countUnder(documentsOf(here.id), archiveFiles.keys()),
          chatSessionsNow: here.chatSessions,
        });
      }
    }
    if (touchesDb) {
      for (const here of liveCollections) {
        if (sidecar.collections.some((c) => c.name === here.name)) continue;
        collections.push({
          id: here.id,
          name: here.name,
          action: 'remove',
          chunksNow: here.chunks,
          chunksAfter: 0,
          documentFilesNow: countUnder(documentsOf(here.id), live.files.keys()),
          documentFilesAfter: 0,
          chatSessionsNow: here.chatSessions,
        });
      }
    }
  }

  const newDirs = new Set<string>();
  for (const op of ops) {
    if (op.action === 'remove') continue;
    for (const ancestor of ancestorsOf(op.path)) {
      if (!live.dirs.has(ancestor)) newDirs.add(ancestor);
    }
  }

  // Staging holds the new files; the snapshot at most the old ones (usually compressed).
  const snapshotBytes = ops.reduce(
    (sum, op) => sum + (op.action === 'add' ? 0 : (live.files.get(op.path)?.size ?? 0)),
    0,
  );
  const mergeBytes = merge ? (live.files.get(layout.assistantDb)?.size ?? 0) : 0;
  const neededBytes =
    totals.addedBytes + totals.replacedBytes + snapshotBytes + mergeBytes + SPACE_MARGIN;
  const disk = fs.statfsSync(root);
  const freeBytes = disk.bavail * disk.bsize;
  if (neededBytes > freeBytes) {
    refusals.push({
      code: 'RESTORE_NO_SPACE',
      message: `This restore needs ${neededBytes} bytes free on the data folder's disk (staging and the safety snapshot) but only ${freeBytes} are free.`,
    });
  }
  if (live.heldLocks.length > 0) {
    refusals.push({
      code: 'RESTORE_ASSISTANT_RUNNING',
      message: `The assistant seems to be running (it holds ${live.heldLocks.join(', ')}). Stop the assistant, then restore.`,
    });
  }
  if (ops.length === 0) {
    refusals.push({
      code: 'RESTORE_NOTHING_TO_RESTORE',
      message: 'The backup holds nothing in this scope, and nothing here would change.',
    });
  }

  return {
    plan: {
      backup: {
        id: sidecar.id,
        kind: sidecar.kind,
        createdAt: sidecar.createdAt,
        archivePath: backup.archivePath,
        tendVersion: sidecar.tendVersion,
        categories: sidecar.categories,
        files: sidecar.totals.files,
        bytes: sidecar.totals.bytes,
      },
      scope,
      totals,
      changes: ops
        .filter((op) => !companions.has(op.path))
        .slice(0, PLAN_LISTED_FILES)
        .map(({ path: p, action, bytes }) => ({
          path: p,
          action,
          bytes,
        })),
      collections,
      space: { neededBytes, freeBytes },
      assistantLocks: live.heldLocks,
      refusals,
      warnings,
      plannedAt: new Date().toISOString(),
    },
    ops,
    manifest: sidecar,
    extract,
    merge,
    newDirs: [...newDirs].sort((a, b) => a.split('/').length - b.split('/').length),
  };
}

/** Throws the plan's first refusal as a TendFailure with its code. */
export function throwIfRefused(plan: RestorePlan): void {
  const first = plan.refusals[0];
  if (first) {
    const more = plan.refusals.length > 1 ? ` (and ${plan.refusals.length - 1} more)` : '';
    throw new TendFailure(first.code, `${first.message}${more}`, { refusals: plan.refusals });
  }
}

/** Files and bytes a restore adds, replaces and removes, counted from nothing. */
export type RestoreTotals = {
  added: number;
  replaced: number;
  removed: number;
  addedBytes: number;
  replacedBytes: number;
  removedBytes: number;
  unchanged: number;
};

/** Totals with nothing counted yet. */
export function emptyTotals(unchanged = 0): RestoreTotals {
  return {
    added: 0,
    replaced: 0,
    removed: 0,
    addedBytes: 0,
    replacedBytes: 0,
    removedBytes: 0,
    unchanged,
  };
}

/** Counts one operation into `totals`. */
export function tallyOp(totals: RestoreTotals, op: RestoreOp): void {
  if (op.action === 'add') {
    totals.added++;
    totals.addedBytes += op.bytes;
  } else if (op.action === 'replace') {
    totals.replaced++;
    totals.replacedBytes += op.bytes;
  } else {
    totals.removed++;
    totals.removedBytes += op.bytes;
  }
}
