/**
 * The swap and its journal (DESIGN §5, step 4).
 *
 * Staging sits beside the root, on the same filesystem: `<parent>/.<root name>.tend-staging-
 * <restore id>/` (or in Tend's state folder of the root, when that is on the root's filesystem
 * and the parent cannot be written; never inside the root), where `new/` holds the verified
 * files and `old/` receives the live files they displace, so every move is a rename; it is
 * removed when the restore ends. The journal records where it is. The journal, in
 * Tend's state folder, says how far a restore got; whatever kills the process, the next start
 * reads it and puts the root back exactly as it was (before the commit) or finishes the
 * clean-up (after it). Every step of the rollback is idempotent: it looks at what is where, so
 * a second crash during recovery is recovered the same way.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { TendFailure } from '../../../src-shared/errors';
import { LastRestoreSchema, RestoreActionSchema } from '../../../src-shared/models/restore';
import { TEND_STAGING_PREFIX } from '../root/category-rules';
import { syncFolderSync, writeFileDurablySync } from '../fs/durable';
import { ownerAlive } from '../jobs/process-alive';
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
  /** The staging folder; a journal of an older Tend has none (see legacyStagingDir). */
  staging: z.string().optional(),
});
export type Journal = z.infer<typeof JournalSchema>;

/** A folder that could hold a restore's staging, as the file system has it. */
export interface StagingCandidate {
  readonly dir: string;
  /** On the root's filesystem (so every move of the swap is a rename). */
  readonly sameDevice: boolean;
  readonly writable: boolean;
}

/** Where a restore stages: the folder and the prefix of the staging folder's name. */
export interface StagingPlace {
  readonly parent: string;
  readonly prefix: string;
}

/** The prefix of staging folders in Tend's state folder of a root. */
const STATE_STAGING_PREFIX = 'staging-';

/** The prefix of staging folders beside the root. */
function besidePrefix(root: string): string {
  return `.${path.basename(root)}.tend-staging-`;
}

/**
 * Chooses where a root's restores stage (pure: the facts are read by stagingPlace): beside the
 * root when its parent is on the same filesystem and can be written; else Tend's state folder
 * of the root when that is; never inside the root, which is the app's. Neither: a refusal
 * that says what to change.
 */
export function chooseStaging(
  root: string,
  beside: StagingCandidate,
  state: StagingCandidate,
): StagingPlace {
  if (beside.sameDevice && beside.writable)
    return { parent: beside.dir, prefix: besidePrefix(root) };
  if (state.sameDevice && state.writable) {
    return { parent: state.dir, prefix: STATE_STAGING_PREFIX };
  }
  const why = beside.sameDevice
    ? `Tend cannot write in ${beside.dir}`
    : `${beside.dir} is on another disk (the data folder is a mount point)`;
  const stateWhy = state.sameDevice
    ? `cannot be written either`
    : `is on another disk than the data folder`;
  throw new TendFailure(
    'RESTORE_STAGING_FAILED',
    `A restore unpacks the backup beside the data folder, on the same disk, so that putting it in place is a rename, and never inside the folder itself; but ${why}, and Tend's state folder ${state.dir} ${stateWhy}. Nothing was changed. Make ${beside.dir} writable for this user (or keep Tend's state on the data folder's disk with TEND_STATE_DIR), then restore again.`,
  );
}

function candidate(dir: string, rootDevice: number | null): StagingCandidate {
  let sameDevice = false;
  try {
    sameDevice = rootDevice !== null && fs.statSync(dir).dev === rootDevice;
  } catch {
    return { dir, sameDevice: false, writable: false };
  }
  try {
    fs.accessSync(dir, fs.constants.W_OK);
    return { dir, sameDevice, writable: true };
  } catch {
    return { dir, sameDevice, writable: false };
  }
}

/** The folder of Tend's state that holds a root's restore journal, and staging where needed. */
function stateRestoreDir(place: RestorePlace): string {
  return path.dirname(place.journal);
}

/** Where this root's restores stage now (chooseStaging, on the file system's facts). */
export function stagingPlace(place: RestorePlace): StagingPlace {
  let rootDevice: number | null = null;
  try {
    rootDevice = fs.statSync(place.root).dev;
  } catch {
    // A root that cannot be read: no candidate is on its filesystem, so the refusal says so.
  }
  const stateDir = stateRestoreDir(place);
  fs.mkdirSync(stateDir, { recursive: true });
  return chooseStaging(
    place.root,
    candidate(path.dirname(place.root), rootDevice),
    candidate(stateDir, rootDevice),
  );
}

/** The staging folder of restore `restoreId` in `at`. */
export function stagingFolder(at: StagingPlace, restoreId: string): string {
  return path.join(at.parent, `${at.prefix}${restoreId}`);
}

/**
 * Where a Tend that did not record its staging folder in the journal staged restore
 * `restoreId`: beside the root when the parent was on the same filesystem and writable, else
 * inside the root (which Tend no longer does). Recovery of such a journal finds it there.
 */
export function legacyStagingDir(root: string, restoreId: string): string {
  const parent = path.dirname(root);
  let inside = false;
  try {
    if (fs.statSync(parent).dev !== fs.statSync(root).dev) inside = true;
    else fs.accessSync(parent, fs.constants.W_OK);
  } catch {
    inside = true;
  }
  return inside
    ? path.join(root, `${TEND_STAGING_PREFIX}${restoreId}`)
    : path.join(parent, `${besidePrefix(root)}${restoreId}`);
}

/** The staging folder of a journal's restore. */
export function stagingOf(root: string, journal: Journal): string {
  return journal.staging ?? legacyStagingDir(root, journal.restoreId);
}

/** Writes a small file durably (fs/durable: temp name, fsync, rename, fsync the folder). */
export function writeDurably(file: string, text: string): void {
  writeFileDurablySync(file, text);
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

/** A new journal for this process, staging in `staging`. */
export function newJournal(restoreId: string, staging: string): Journal {
  return {
    restoreId,
    staging,
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
  const staging = stagingOf(root, journal);
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
  const staging = stagingOf(root, journal);
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
  syncFolderSync(root);
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
  removeTree(stagingOf(place.root, journal));
  fs.rmSync(place.journal, { force: true });
}

/** Abandons a restore: the root put back, staging and journal removed. */
export function abandon(place: RestorePlace, journal: Journal): void {
  if (journal.phase !== 'staging') rollBack(place.root, journal);
  removeTree(stagingOf(place.root, journal));
  fs.rmSync(place.journal, { force: true });
}

/** What recovery did at start-up. */
export type RecoveryOutcome = 'none' | 'rolled-back' | 'rolled-forward' | 'busy';

/** The file in a staging folder that names the process restoring through it. */
const STAGING_OWNER = 'owner.json';

/** Makes a restore's staging folder (stagingFolder) and writes who owns it. */
export function makeStaging(staging: string): string {
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
 * The staging folders of finished or abandoned restores of `root` left beside it (or in
 * `stateDir`, Tend's state folder of its restores, or inside it by an older Tend), by their
 * exact names; one a live process (another Tend on the same folder) restores through is not.
 */
export function leftoverStaging(root: string, stateDir?: string): string[] {
  const found: string[] = [];
  // Every place: where staging goes may have changed since (a mount, a permission).
  const places: Array<[string, string]> = [
    [path.dirname(root), besidePrefix(root)],
    [root, TEND_STAGING_PREFIX],
  ];
  if (stateDir) places.push([stateDir, STATE_STAGING_PREFIX]);
  for (const [parent, prefix] of places) {
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

/** Removes the temp files a write of the journal cut short left: today's names and the older `<journal>.partial`. */
function removeJournalTemps(journal: string): void {
  fs.rmSync(journal + '.partial', { force: true });
  const prefix = `.${path.basename(journal)}.`;
  const folder = path.dirname(journal);
  if (!fs.existsSync(folder)) return;
  for (const name of readFolderNames(folder)) {
    if (name.startsWith(prefix) && name.endsWith('.partial')) {
      fs.rmSync(path.join(folder, name), { force: true });
    }
  }
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
  removeJournalTemps(place.journal);
  for (const staging of leftoverStaging(place.root, stateRestoreDir(place))) removeTree(staging);
  return outcome;
}
