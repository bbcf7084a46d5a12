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
import { formatBytes } from '../../../src-shared/language/bytes';
import type { BackupSidecar } from '../../../src-shared/models/backup-manifest';
import type { Category } from '../../../src-shared/models/categories';
import {
  PLAN_LISTED_FILES,
  type RestoreAction,
  type RestoreCollectionChange,
  type RestoreKept,
  type RestorePlan,
  type RestoreRefusal,
  type RestoreScope,
} from '../../../src-shared/models/restore';
import type { AssistantStoreLayout, ScopeRecords } from '../profiles/profile';
import type { ProfiledRoot } from '../profiles/profiled-root';
import { runningProcesses } from '../profiles/running-app';
import { scopeItemsOf } from '../profiles/scope-items';
import { ASSISTANT_SCHEMA_VERSION, listCollections, openAssistantDb } from '../store/assistant-db';
import { checkSpace, diskSpaceSync } from '../fs/free-space';
import { resolveLink } from '../fs/link-target';
import { displayName } from '../fs/raw-name';
import { ancestorsOf, isUnder, nameProblem, normalizeUserPath } from './archive-path';
import { indexArchive, leftOutReason, type ArchiveIndex } from './archive-index';
import type { LocatedBackup } from './backup-locator';
import { walkLiveTree, type LiveTree } from './live-tree';

/** One file operation of the swap. */
export interface RestoreOp {
  readonly path: string;
  readonly action: RestoreAction;
  /** Bytes written (add, replace) or removed. */
  readonly bytes: number;
  /** What the backup puts there: a file, or a link (restored as a link). */
  readonly kind: 'file' | 'symlink';
}

/**
 * A restore of one id of a scope whose records live in a database (a native collection's rows
 * in assistant.db): they are merged into a copy of the live database in staging, then swapped.
 */
export interface ScopeMerge {
  readonly id: string;
  readonly records: ScopeRecords;
}

/** The plan, plus what only the engine needs to carry it out. */
export interface PlannedRestore {
  readonly plan: RestorePlan;
  readonly ops: ReadonlyArray<RestoreOp>;
  readonly manifest: BackupSidecar;
  /** Archive files to extract into staging. */
  readonly extract: ReadonlySet<string>;
  readonly merge: ScopeMerge | null;
  /** Folders the swap creates, outermost first; a rollback removes them again. */
  readonly newDirs: ReadonlyArray<string>;
}

const SQLITE_SIDES = ['-wal', '-shm', '-journal'] as const;

const documentsOf = (store: AssistantStoreLayout, id: string) => `${store.documents}/${id}`;
const indexOf = (store: AssistantStoreLayout, id: string) => `${store.vectorStore}/${id}`;

/** How to plan. */
export interface PlanOptions {
  /**
   * Whether live files in scope that the backup lacks are removed. By default yes, except for
   * safety snapshots (`pre-restore`, `pre-migration`), which hold only some files.
   */
  readonly removeMissing?: boolean;
  /** The system whose names the restore must fit (default: this one); tests plan for others. */
  readonly platform?: NodeJS.Platform;
}

/**
 * Normalizes a person's path (`./a/b/`, on Windows `a\\b`) to the archive's canonical form;
 * INVALID_INPUT (the person's typo, not the archive's fault) when it leaves the data folder.
 */
export function normalizeScopePath(raw: string): string {
  return normalizeUserPath(raw);
}

interface LiveCollection {
  id: string;
  name: string;
  dimension: number;
  chunks: number;
  chatSessions: number;
}

function readLiveCollections(target: ProfiledRoot): LiveCollection[] {
  const store = target.assistantStore;
  if (!store) return [];
  const file = target.resolve(store.db);
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

/** Plans restoring `scope` of a backup into a root, in the words of its profile. */
export async function planRestore(
  target: ProfiledRoot,
  backup: LocatedBackup,
  scope: RestoreScope,
  live: LiveTree = walkLiveTree(target),
  options: PlanOptions = {},
): Promise<PlannedRestore> {
  const root = target.path;
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

  const archive = indexArchive(sidecar);
  const archiveFiles = archive.files;
  const covered = new Set<Category>(sidecar.categories);
  const store = target.assistantStore;
  const liveCollections = readLiveCollections(target);

  // Which archive files, and which live files, the scope reaches.
  let inScope: (relative: string, category: Category | null) => boolean;
  let merge: ScopeMerge | null = null;
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
    case 'scope': {
      const found = await planScope(target, archive, scope.scope, scope.id);
      inScope = found.inScope;
      merge = found.merge;
      if (found.refusal) refusals.push(found.refusal);
      break;
    }
    case 'collection': {
      // The native profile's scope, with the collection's figures in the preview.
      const assistant = target.assistant('Restoring one collection');
      const wanted = scope.collection;
      const liveMatch = liveCollections.find((c) => c.id === wanted || c.name === wanted);
      const id = liveMatch?.id ?? wanted;
      const inArchive = [...archiveFiles.keys()].some(
        (file) =>
          isUnder(indexOf(assistant, id), file) || isUnder(documentsOf(assistant, id), file),
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
      const records = target.profile.scopes.find((s) => s.id === 'collection')?.records;
      if (!archiveFiles.has(assistant.db) || !records) {
        refusals.push({
          code: 'RESTORE_NOTHING_TO_RESTORE',
          message: 'The backup has no assistant.db, so it cannot bring back a collection’s rows.',
        });
      } else {
        merge = { id, records };
      }
      inScope = (relative) =>
        isUnder(indexOf(assistant, id), relative) || isUnder(documentsOf(assistant, id), relative);
      collections.push({
        id,
        name: liveMatch?.name ?? archived?.name ?? id,
        action: liveMatch ? 'replace' : 'add',
        chunksNow: liveMatch?.chunks ?? 0,
        chunksAfter: archived?.chunks ?? 0,
        documentFilesNow: countUnder(documentsOf(assistant, id), live.files.keys()),
        documentFilesAfter: countUnder(documentsOf(assistant, id), archiveFiles.keys()),
        chatSessionsNow: liveMatch?.chatSessions ?? 0,
      });
      break;
    }
  }

  // Entries that go back another way (a database's dump, restored by swap) are never files
  // of the folder: out of every scope, each said once.
  const apart = target.profile.restoredApart?.(sidecar) ?? [];
  const apartPaths = new Set(apart.flatMap((item) => item.paths));
  if (apartPaths.size > 0) {
    const chosen = inScope;
    inScope = (relative, category) => !apartPaths.has(relative) && chosen(relative, category);
    warnings.push(...apart.map((item) => item.why));
  }

  const diff = diffEntries(live, archive, inScope, {
    // A safety snapshot holds only the files one restore touched, not a picture of the whole
    // root: what it lacks was simply not part of it, so nothing is removed for that (the undo,
    // which knows exactly which files its restore added, asks for their removal).
    removeMissing:
      options.removeMissing ??
      !(sidecar.kind === 'pre-restore' || sidecar.kind === 'pre-migration'),
    covered,
    platform: options.platform ?? process.platform,
    categorize: target.categorize,
  });
  refusals.push(...diff.refusals);
  warnings.push(...diff.warnings);
  const ops: RestoreOp[] = [...diff.ops];
  const extract = new Set(diff.ops.filter((op) => op.action !== 'remove').map((op) => op.path));
  const totals = emptyTotals(diff.unchanged);
  for (const op of ops) tallyOp(totals, op);
  const add = (op: RestoreOp) => {
    ops.push(op);
    tallyOp(totals, op);
  };
  if (merge) {
    const db = merge.records.database;
    const size = live.files.get(db)?.size ?? 0;
    extract.add(db);
    add({ path: db, action: live.files.has(db) ? 'replace' : 'add', bytes: size, kind: 'file' });
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
        ops.push({ path: sibling, action: 'remove', bytes: file.size, kind: 'file' });
        companions.add(sibling);
      }
    }
  }
  ops.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

  const touchesDb =
    store !== null && ops.some((op) => op.path === store.db && op.action !== 'remove');
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
  if (store !== null && scope.kind !== 'collection') {
    for (const archived of sidecar.collections) {
      const here = liveCollections.find((c) => c.name === archived.name);
      const indexChanges = here && ops.some((op) => isUnder(indexOf(store, here.id), op.path));
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
          documentFilesNow: countUnder(documentsOf(store, here.id), live.files.keys()),
          documentFilesAfter: countUnder(documentsOf(store, here.id), archiveFiles.keys()),
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
          documentFilesNow: countUnder(documentsOf(store, here.id), live.files.keys()),
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
  const mergeBytes = merge ? (live.files.get(merge.records.database)?.size ?? 0) : 0;
  const space = checkSpace(
    totals.addedBytes + totals.replacedBytes + snapshotBytes + mergeBytes,
    diskSpaceSync(root).freeBytes,
  );
  const { neededBytes, freeBytes } = space;
  if (!space.enough) {
    refusals.push({
      code: 'RESTORE_NO_SPACE',
      message: `This restore needs ${formatBytes(neededBytes)} free on the data folder's disk (staging and the safety snapshot, with a margin of ${formatBytes(space.marginBytes)}) but only ${formatBytes(freeBytes)} are free. Free some space there, or restore less.`,
    });
  }
  const app = target.profile.appName;
  const App = `${app.charAt(0).toUpperCase()}${app.slice(1)}`;
  if (live.heldLocks.length > 0) {
    refusals.push({
      code: 'RESTORE_ASSISTANT_RUNNING',
      message: `${App} seems to be running (it holds ${live.heldLocks.join(', ')}). Stop ${app}, then restore.`,
    });
  } else {
    const running = runningProcesses(target.profile.runningApp.processNames);
    if (running.length > 0) {
      refusals.push({
        code: 'RESTORE_ASSISTANT_RUNNING',
        message: `${App} is running (its process ${running.join(', ')} is). Stop ${app}, then restore.`,
      });
    }
  }
  if (ops.length === 0) {
    refusals.push({
      code: 'RESTORE_NOTHING_TO_RESTORE',
      message:
        apart.length > 0
          ? `The backup holds nothing in this scope for the folder, and nothing here would change. ${apart.map((item) => item.why).join(' ')}`
          : 'The backup holds nothing in this scope, and nothing here would change.',
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
        verified: backup.verified,
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
      kept: { count: diff.kept.length, entries: diff.kept.slice(0, PLAN_LISTED_FILES) },
      collections,
      scopes: await scopeItemsOf(target.profile, root, archiveFiles.keys()),
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

/**
 * One id of a profile's scope: its files are what lies under the scope's paths for the id;
 * its records, when the scope has some, are merged from the backup's copy of their database.
 */
async function planScope(
  target: ProfiledRoot,
  archive: ArchiveIndex,
  scopeId: string,
  wanted: string,
): Promise<{
  inScope: (relative: string) => boolean;
  merge: ScopeMerge | null;
  refusal: RestoreRefusal | null;
}> {
  const scope = target.profile.scopes.find((candidate) => candidate.id === scopeId);
  if (!scope) {
    const known = target.profile.scopes.map((candidate) => candidate.id);
    throw new TendFailure(
      'RESTORE_UNKNOWN_SCOPE',
      known.length === 0
        ? `A ${target.profile.name} folder has nothing to restore one by one; restore everything, some categories or some paths instead.`
        : `A ${target.profile.name} folder has no scope ${JSON.stringify(scopeId)}; it has: ${known.join(', ')}.`,
      { scopes: known },
    );
  }
  const liveItems = await scope.list(target.path);
  const id = liveItems.find((item) => item.id === wanted || item.name === wanted)?.id ?? wanted;
  const prefixes = scope.pathsOf(id);
  const inScope = (relative: string) => prefixes.some((prefix) => isUnder(prefix, relative));
  const inArchive = [...archive.files.keys(), ...archive.links.keys()].some(
    (file) => scope.idOf(file) === id,
  );
  if (!inArchive && !liveItems.some((item) => item.id === id)) {
    throw new TendFailure(
      'RESTORE_UNKNOWN_SCOPE',
      `There is no ${scope.singular} ${wanted} in the data folder or in the backup.`,
    );
  }
  if (!scope.records) return { inScope, merge: null, refusal: null };
  if (!archive.files.has(scope.records.database)) {
    return {
      inScope,
      merge: null,
      refusal: {
        code: 'RESTORE_NOTHING_TO_RESTORE',
        message: `The backup has no ${scope.records.database}, so it cannot bring back the ${scope.singular}’s records.`,
      },
    };
  }
  return { inScope, merge: { id, records: scope.records }, refusal: null };
}

/** How the live root and the backup differ, in scope. */
interface Diff {
  readonly ops: ReadonlyArray<RestoreOp>;
  /** Replaced files whose size and time already match. */
  readonly unchanged: number;
  readonly kept: ReadonlyArray<RestoreKept>;
  readonly refusals: ReadonlyArray<RestoreRefusal>;
  readonly warnings: ReadonlyArray<string>;
}

/** At most this many names a plan lists one by one in its warnings. */
const LISTED_WARNINGS = 50;

/**
 * Compares the live root with the backup, entry by entry, in scope.
 *
 * Files and links of the backup are added or replace what is there (a link only when it
 * stays inside the root: one leading outside is never created). Live files and links the
 * backup lacks are removed only when `removeMissing` and the backup could have held them:
 * never a socket, FIFO or device, a link leading outside the root, what the backup left out
 * (a file or folder it could not read), or what lies in a folder that cannot be read here.
 * Those are kept, each with its reason. Tend never writes through a link: a live link in the
 * way leading outside is kept and what lies behind it in the backup is not restored; one
 * leading inside, or a file or special file in the way, refuses the restore.
 */
function diffEntries(
  live: LiveTree,
  archive: ArchiveIndex,
  inScope: (relative: string, category: Category | null) => boolean,
  options: {
    removeMissing: boolean;
    covered: ReadonlySet<Category>;
    platform: NodeJS.Platform;
    categorize: (relative: string) => Category | null;
  },
): Diff {
  const ops: RestoreOp[] = [];
  const kept: RestoreKept[] = [];
  const refusals = new Map<string, RestoreRefusal>();
  const warnings: string[] = [];
  const unholdable: string[] = [];
  const behindOutsideLinks = new Map<string, number>();
  let unchanged = 0;
  const liveLinkAt = (relative: string) => live.links.get(relative)?.target ?? null;
  // What the root holds once restored: the backup's entries in scope, the live ones elsewhere.
  const linkAfter = (relative: string) => {
    const link = archive.links.get(relative);
    if (link && inScope(relative, link.category)) return link.target;
    const file = archive.files.get(relative);
    if (file && inScope(relative, file.category)) return null;
    return liveLinkAt(relative);
  };
  const leadsOutside = (relative: string, target: string) => {
    const resolved = resolveLink(relative, target, liveLinkAt);
    return resolved.inside ? null : resolved.why;
  };
  const refuse = (key: string, message: string) => {
    if (!refusals.has(key)) refusals.set(key, { code: 'RESTORE_NOTHING_TO_RESTORE', message });
  };
  const shown = (relative: string) => displayName(relative);

  /** Whether the backup's entry at `relative` can be put in place; false when not. */
  const clear = (relative: string, what: 'file' | 'link'): boolean => {
    for (const ancestor of ancestorsOf(relative)) {
      if (live.files.has(ancestor)) {
        refuse(
          ancestor,
          `${shown(ancestor)} is a file here but a folder in the backup; move it away first.`,
        );
        return false;
      }
      const special = live.specials.get(ancestor);
      if (special) {
        refuse(
          ancestor,
          `${shown(ancestor)} is ${special} here but a folder in the backup; move it away first.`,
        );
        return false;
      }
      const link = live.links.get(ancestor);
      if (link) {
        if (leadsOutside(ancestor, link.target)) {
          behindOutsideLinks.set(ancestor, (behindOutsideLinks.get(ancestor) ?? 0) + 1);
        } else {
          refuse(
            ancestor,
            `${shown(ancestor)} is a link here (to ${shown(link.target)}) but a folder in the backup; Tend does not write through links. Move the link away first.`,
          );
        }
        return false;
      }
    }
    if (live.dirs.has(relative)) {
      refuse(
        relative,
        `${shown(relative)} is a folder here but a ${what} in the backup; move it away first.`,
      );
      return false;
    }
    const special = live.specials.get(relative);
    if (special) {
      refuse(
        relative,
        `${shown(relative)} is ${special} here but a ${what} in the backup; move it away first.`,
      );
      return false;
    }
    const link = live.links.get(relative);
    const why = link ? leadsOutside(relative, link.target) : null;
    if (link && why) {
      kept.push({
        path: relative,
        reason: `a link leading outside the data folder (${why}); the backup's ${what} here was not restored, as Tend never replaces such a link`,
      });
      return false;
    }
    return true;
  };

  for (const [relative, entry] of archive.files) {
    if (!inScope(relative, entry.category)) continue;
    const problem = nameProblem(relative, options.platform);
    if (problem) {
      unholdable.push(`${shown(relative)}: ${problem}`);
      continue;
    }
    if (!clear(relative, 'file')) continue;
    const now = live.files.get(relative);
    if (now && now.size === entry.size && Math.floor(now.mtimeMs) === Math.floor(entry.mtimeMs)) {
      unchanged++;
    }
    const there = now !== undefined || live.links.has(relative);
    ops.push({
      path: relative,
      action: there ? 'replace' : 'add',
      bytes: entry.size,
      kind: 'file',
    });
  }

  for (const [relative, entry] of archive.links) {
    if (!inScope(relative, entry.category)) continue;
    const problem = nameProblem(relative, options.platform);
    if (problem) {
      unholdable.push(`${shown(relative)}: ${problem}`);
      continue;
    }
    const now = live.links.get(relative);
    if (now?.target === entry.target) continue;
    const resolved = resolveLink(relative, entry.target, linkAfter);
    if (!resolved.inside) {
      warnings.push(
        `${shown(relative)} is a link in the backup leading outside the data folder (${resolved.why}); Tend does not create such links. Make it again yourself if you need it (ln -s '${shown(entry.target)}' '${shown(relative)}').`,
      );
      continue;
    }
    if (!clear(relative, 'link')) continue;
    const there = live.files.has(relative) || now !== undefined;
    ops.push({ path: relative, action: there ? 'replace' : 'add', bytes: 0, kind: 'symlink' });
  }

  if (options.removeMissing) {
    const covers = (relative: string) => {
      const category = options.categorize(relative);
      return (
        category !== null &&
        // Backups never hold disposable files, so only a safety snapshot covers them.
        options.covered.has(category) &&
        inScope(relative, category)
      );
    };
    const candidates: Array<[string, { size: number; target?: string }]> = [
      ...live.files,
      ...live.links,
    ];
    for (const [relative, entry] of candidates) {
      if (archive.files.has(relative) || archive.links.has(relative)) continue;
      if (!covers(relative)) continue;
      const leftOut = leftOutReason(archive, relative);
      if (leftOut) {
        kept.push({ path: relative, reason: `not in this backup, which left it out: ${leftOut}` });
        continue;
      }
      const why = entry.target !== undefined ? leadsOutside(relative, entry.target) : null;
      if (why) {
        kept.push({
          path: relative,
          reason: `a link leading outside the data folder (${why}); kept as it is`,
        });
        continue;
      }
      ops.push({
        path: relative,
        action: 'remove',
        bytes: entry.size,
        kind: entry.target !== undefined ? 'symlink' : 'file',
      });
    }
    for (const [relative, what] of live.specials) {
      if (!covers(relative)) continue;
      kept.push({ path: relative, reason: `${what}, which backups do not hold; kept as it is` });
    }
    for (const relative of live.unlisted) {
      if (relative !== '' && !covers(relative)) continue;
      kept.push({
        path: relative || '.',
        reason: 'it cannot be read here, so nothing in it is touched',
      });
    }
  }

  for (const [link, count] of behindOutsideLinks) {
    kept.push({
      path: link,
      reason: `a link leading outside the data folder; the backup's ${count} ${count === 1 ? 'entry' : 'entries'} under it were not restored, as Tend never writes through a link (restore export writes them into a folder of your choice)`,
    });
  }
  if (unholdable.length > 0) {
    const listed = unholdable.slice(0, LISTED_WARNINGS);
    const more = unholdable.length - listed.length;
    warnings.push(
      `${unholdable.length} ${unholdable.length === 1 ? 'name' : 'names'} in the backup cannot be held on this system and ${unholdable.length === 1 ? 'is' : 'are'} not restored: ${listed.join('; ')}${more > 0 ? `; and ${more} more` : ''}. Restore them on the kind of system that wrote the backup.`,
    );
  }
  kept.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { ops, unchanged, kept, refusals: [...refusals.values()], warnings };
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
