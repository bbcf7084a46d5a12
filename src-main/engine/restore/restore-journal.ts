/**
 * The swap and its journal (DESIGN §5, step 4).
 *
 * Staging lives in `<root>/.tend/staging/<restore id>/`: `new/` holds the verified files,
 * `old/` receives the live files they displace. Every move is a rename on one filesystem.
 * `.tend/restore/journal.json` says how far a restore got; whatever kills the process, the
 * next start reads it and puts the root back exactly as it was (before the commit) or finishes
 * the clean-up (after it). Every step of the rollback is idempotent: it looks at what is where,
 * so a second crash during recovery is recovered the same way.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { LastRestoreSchema, RestoreActionSchema } from '../../../src-shared/models/restore';
import { layout } from '../root/layout';
import {
  lstatEntry,
  makeFolders,
  readFolderNames,
  removeEmptyFolder,
  removeTree,
  renameEntry,
} from '../fs/sys-fs';

/** Where restore keeps its own state. */
export const RESTORE_DIR = `${layout.tend}/restore`;
export const JOURNAL_FILE = `${RESTORE_DIR}/journal.json`;
export const LAST_RESTORE_FILE = `${RESTORE_DIR}/last.json`;

/** How far a restore got. */
const JournalSchema = z.object({
  restoreId: z.string().regex(/^[A-Za-z0-9-]+$/),
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

/** The staging folder of a restore. */
export function stagingDir(root: string, restoreId: string): string {
  return path.join(root, layout.staging, restoreId);
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
export function writeJournal(root: string, journal: Journal): void {
  writeDurably(path.join(root, JOURNAL_FILE), JSON.stringify(journal));
}

/** Reads the journal; null when there is none (a damaged one is treated as none to roll back). */
export function readJournal(root: string): Journal | null {
  let text: string;
  try {
    text = fs.readFileSync(path.join(root, JOURNAL_FILE), 'utf8');
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
export function finishCommitted(root: string, journal: Journal): void {
  if (journal.last) {
    writeDurably(path.join(root, LAST_RESTORE_FILE), JSON.stringify(journal.last));
  }
  removeEmptied(root, journal.emptiedDirs);
  removeTree(stagingDir(root, journal.restoreId));
  fs.rmSync(path.join(root, JOURNAL_FILE), { force: true });
}

/** Abandons a restore: the root put back, staging and journal removed. */
export function abandon(root: string, journal: Journal): void {
  if (journal.phase !== 'staging') rollBack(root, journal);
  removeTree(stagingDir(root, journal.restoreId));
  fs.rmSync(path.join(root, JOURNAL_FILE), { force: true });
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

/**
 * Recovers an interrupted restore at start-up: rolled back before the commit, finished after
 * it; leftover staging folders are removed. A restore still running in another process is left
 * alone.
 */
export function recoverRestore(root: string): RecoveryOutcome {
  const journal = readJournal(root);
  let outcome: RecoveryOutcome = 'none';
  if (journal) {
    if (ownerAlive(journal.owner)) return 'busy';
    if (journal.phase === 'committed') {
      finishCommitted(root, journal);
      outcome = 'rolled-forward';
    } else {
      abandon(root, journal);
      outcome = 'rolled-back';
    }
  } else if (fs.existsSync(path.join(root, JOURNAL_FILE))) {
    // A journal that cannot be read was cut while being written; its temp name never replaced
    // a good one, so there is nothing to roll back: only staging to clear.
    fs.rmSync(path.join(root, JOURNAL_FILE), { force: true });
  }
  fs.rmSync(path.join(root, JOURNAL_FILE + '.partial'), { force: true });
  const staging = path.join(root, layout.staging);
  for (const name of fs.existsSync(staging) ? readFolderNames(staging) : []) {
    removeTree(path.join(staging, name));
  }
  return outcome;
}
