/**
 * The swap and its journal (DESIGN §5, step 4).
 *
 * Staging sits beside the root, on the same filesystem: `<parent>/.<root name>.tend-staging-
 * <restore id>/`, where `new/` holds the verified files and `old/` receives the live files they
 * displace, so every move is a rename; it is removed when the restore ends. The journal, in
 * Tend's state folder, says how far a restore got; whatever kills the process, the next start
 * reads it and puts the root back exactly as it was (before the commit) or finishes the
 * clean-up (after it). Every step of the rollback is idempotent: it looks at what is where, so
 * a second crash during recovery is recovered the same way.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { LastRestoreSchema, RestoreActionSchema } from '../../../src-shared/models/restore';
import { TEND_STAGING_PREFIX } from '../root/category-rules';
import {
  lstatEntry,
  makeFolders,
  readFolderNames,
  removeEmptyFolder,
  removeTree,
  renameEntry,
} from '../fs/sys-fs';

/** Where a restore works: the root, and its journal and last report in Tend's state. */
export interface RestorePlace {
  readonly root: string;
  readonly journal: string;
  readonly last: string;
}

/** The shape of a restore id (`restore-<date>-<hex>`), so only Tend's folders are matched. */
const RESTORE_ID = /^[A-Za-z0-9-]+$/;

/** How far a restore got. */
const JournalSchema = z.object({
  restoreId: z.string().regex(RESTORE_ID),
  phase: z.enum(['staging', 'swapping', 'swapped', 'committed']),
  owner: z.object({ host: z.string(), pid: z.number().int() }),
  ops: z.array(z.object({ path: z.string(), action: RestoreActionSchema })).readonly(),
  newDirs: z.array(z.string()).readonly(),
  /** Folders to remove once committed, if a removal left them empty. */
  emptiedDirs: z.array(z.string()).readonly(),
  /** Written into last.json when the commit is finished (also by recovery). */
  last: LastRestoreSchema.nullable(),
});
export type Journal = z.infer<typeof JournalSchema>;

/**
 * Where a root's restores stage their files: beside it, in its parent folder, when that is on
 * the same filesystem and can be written; else (the root is a mount point, or its parent is
 * not the person's to write) inside the root itself, under a name Tend never counts or backs
 * up (`TEND_STAGING_PREFIX`). Either way every move of the swap is a rename.
 */
export function stagingParent(root: string): string {
  const parent = path.dirname(root);
  try {
    if (fs.statSync(parent).dev !== fs.statSync(root).dev) return root;
    fs.accessSync(parent, fs.constants.W_OK);
    return parent;
  } catch {
    return root;
  }
}

/** How a restore's staging folder of `root` is named, before its restore id. */
export function stagingPrefix(root: string, parent: string = stagingParent(root)): string {
  return parent === root ? TEND_STAGING_PREFIX : `.${path.basename(root)}.tend-staging-`;
}

/** The staging folder of a restore, on the root's filesystem (see stagingParent). */
export function stagingDir(root: string, restoreId: string): string {
  const parent = stagingParent(root);
  return path.join(parent, `${stagingPrefix(root, parent)}${restoreId}`);
}

function fsyncDir(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // Some filesystems refuse to fsync a folder; the rename is still atomic there.
  }
}

/** Writes a small file durably: temp name, fsync, rename, fsync the folder. */
export function writeDurably(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.partial`;
  const fd = fs.openSync(temp, 'w');
  try {
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temp, file);
  fsyncDir(path.dirname(file));
}

/** Writes the journal. */
export function writeJournal(place: RestorePlace, journal: Journal): void {
  writeDurably(place.journal, JSON.stringify(journal));
}

/** Reads the journal; null when there is none (a damaged one is treated as none to roll back). */
export function readJournal(place: RestorePlace): Journal | null {
  let text: string;
  try {
    text = fs.readFileSync(place.journal, 'utf8');
  } catch {
    return null;
  }
  try {
    const parsed = JournalSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** A new journal for this process. */
export function newJournal(restoreId: string): Journal {
  return {
    restoreId,
    phase: 'staging',
    owner: { host: os.hostname(), pid: process.pid },
    ops: [],
    newDirs: [],
    emptiedDirs: [],
    last: null,
  };
}

// Paths here may hold names that are not UTF-8 or pass the system's length limit: every call
// goes through fs/sys-fs.ts.
function exists(file: string): boolean {
  return lstatEntry(file) !== undefined;
}

function moveInto(from: string, to: string): void {
  makeFolders(path.dirname(to));
  renameEntry(from, to);
}

/** Moves the staged files into place, the displaced ones into `old/`, in the journal's order. */
export function swapIn(
  root: string,
  journal: Journal,
  onStep?: (done: number, relative: string) => void,
): void {
  const staging = stagingDir(root, journal.restoreId);
  let done = 0;
  for (const op of journal.ops) {
    const live = path.join(root, op.path);
    if (op.action !== 'add' && exists(live)) moveInto(live, path.join(staging, 'old', op.path));
    if (op.action !== 'remove') moveInto(path.join(staging, 'new', op.path), live);
    onStep?.(++done, op.path);
  }
}

/**
 * Puts the root back as it was before the swap, from whatever point the swap reached.
 *
 * For each operation, last first: a displaced file in `old/` goes back; an added file that has
 * left `new/` is taken out; folders the swap made are removed when empty.
 */
export function rollBack(root: string, journal: Journal): void {
  const staging = stagingDir(root, journal.restoreId);
  for (const op of [...journal.ops].reverse()) {
    const live = path.join(root, op.path);
    const old = path.join(staging, 'old', op.path);
    const staged = path.join(staging, 'new', op.path);
    if (op.action === 'add') {
      if (!exists(staged) && exists(live)) removeTree(live);
      continue;
    }
    if (exists(old)) {
      if (lstatEntry(live)?.isDirectory()) removeTree(live);
      moveInto(old, live);
    }
  }
  // Not empty (something else lives there now) or already gone: left alone.
  for (const dir of [...journal.newDirs].reverse()) removeEmptyFolder(path.join(root, dir));
  fsyncDir(root);
}

/** Removes folders a committed restore emptied, deepest first, when they are empty. */
function removeEmptied(root: string, dirs: ReadonlyArray<string>): void {
  const ordered = [...dirs].sort((a, b) => b.split('/').length - a.split('/').length);
  // Not empty, or gone: left alone.
  for (const dir of ordered) removeEmptyFolder(path.join(root, dir));
}

/** Finishes a committed restore: last.json, folders emptied, staging and journal removed. */
export function finishCommitted(place: RestorePlace, journal: Journal): void {
  if (journal.last) writeDurably(place.last, JSON.stringify(journal.last));
  removeEmptied(place.root, journal.emptiedDirs);
  removeTree(stagingDir(place.root, journal.restoreId));
  fs.rmSync(place.journal, { force: true });
}

/** Abandons a restore: the root put back, staging and journal removed. */
export function abandon(place: RestorePlace, journal: Journal): void {
  if (journal.phase !== 'staging') rollBack(place.root, journal);
  removeTree(stagingDir(place.root, journal.restoreId));
  fs.rmSync(place.journal, { force: true });
}

function ownerAlive(owner: Journal['owner']): boolean {
  if (owner.host !== os.hostname()) return true;
  if (owner.pid === process.pid) return false;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** What recovery did at start-up. */
export type RecoveryOutcome = 'none' | 'rolled-back' | 'rolled-forward' | 'busy';

/** The file in a staging folder that names the process restoring through it. */
const STAGING_OWNER = 'owner.json';

/** Makes a restore's staging folder and writes who owns it. */
export function makeStaging(root: string, restoreId: string): string {
  const staging = stagingDir(root, restoreId);
  makeFolders(path.join(staging, 'new'));
  writeDurably(
    path.join(staging, STAGING_OWNER),
    JSON.stringify({ host: os.hostname(), pid: process.pid }),
  );
  return staging;
}

/** Whether a staging folder belongs to a restore running in another live process. */
function stagingInUse(staging: string): boolean {
  try {
    const owner = JSON.parse(fs.readFileSync(path.join(staging, STAGING_OWNER), 'utf8')) as {
      host?: unknown;
      pid?: unknown;
    };
    if (typeof owner.host !== 'string' || typeof owner.pid !== 'number') return false;
    return ownerAlive({ host: owner.host, pid: owner.pid });
  } catch {
    return false;
  }
}

/**
 * The staging folders of finished or abandoned restores of `root` left beside it, by their
 * exact names; one a live process (another Tend on the same folder) restores through is not.
 */
export function leftoverStaging(root: string): string[] {
  const found: string[] = [];
  // Both places: where staging goes may have changed since (a mount, a permission).
  for (const parent of new Set([path.dirname(root), root])) {
    const prefix = stagingPrefix(root, parent);
    let names: string[];
    try {
      names = readFolderNames(parent);
    } catch {
      continue;
    }
    for (const name of names) {
      if (!name.startsWith(prefix) || !RESTORE_ID.test(name.slice(prefix.length))) continue;
      const staging = path.join(parent, name);
      if (!stagingInUse(staging)) found.push(staging);
    }
  }
  return found;
}

/**
 * Recovers an interrupted restore at start-up: rolled back before the commit, finished after
 * it; leftover staging folders of this root are removed. A restore still running in another
 * process is left alone.
 */
export function recoverRestore(place: RestorePlace): RecoveryOutcome {
  const journal = readJournal(place);
  let outcome: RecoveryOutcome = 'none';
  if (journal) {
    if (ownerAlive(journal.owner)) return 'busy';
    if (journal.phase === 'committed') {
      finishCommitted(place, journal);
      outcome = 'rolled-forward';
    } else {
      abandon(place, journal);
      outcome = 'rolled-back';
    }
  } else if (fs.existsSync(place.journal)) {
    // A journal that cannot be read was cut while being written; its temp name never replaced
    // a good one, so there is nothing to roll back: only staging to clear.
    fs.rmSync(place.journal, { force: true });
  }
  fs.rmSync(place.journal + '.partial', { force: true });
  for (const staging of leftoverStaging(place.root)) removeTree(staging);
  return outcome;
}
