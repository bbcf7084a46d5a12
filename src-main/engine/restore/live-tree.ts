/**
 * A quick walk of the live root for planning: every file outside `.tend/` with its size and
 * time, never following links, plus the lock and pid files that say the assistant is running.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import picomatch from 'picomatch';
import { categorize } from '../root/category-rules';
import { layout } from '../root/layout';

/** One live file (or link) of the root. */
export interface LiveFile {
  readonly size: number;
  readonly mtimeMs: number;
}

/** What a walk of the live root found. */
export interface LiveTree {
  /** Root-relative path → file; links count as files (they are moved, never followed). */
  readonly files: ReadonlyMap<string, LiveFile>;
  readonly dirs: ReadonlySet<string>;
  /** Lock and pid files of a process that is still there (or too fresh to call stale). */
  readonly heldLocks: ReadonlyArray<string>;
}

// The category rules' lock names (`**/{.lock,*.lock,*.pid,LOCK}`).
const isLockName = picomatch('{.lock,*.lock,*.pid,LOCK}', { dot: true });
/** A lock without a readable owner counts as held while it is this fresh. */
const FRESH_LOCK_MS = 10 * 60 * 1000;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether a lock or pid file belongs to a live process.
 *
 * A JSON lock `{ pid, host }` or a bare pid is held when that process runs on this machine; a
 * lock of another machine, or one that cannot be read, is held only while it is fresh. Stale
 * locks of crashed processes (the assistant leaves some) do not block a restore.
 */
export function lockIsHeld(file: string, now = Date.now()): boolean {
  let text: string;
  let mtimeMs: number;
  try {
    text = fs.readFileSync(file, 'utf8').slice(0, 4096);
    mtimeMs = fs.statSync(file).mtimeMs;
  } catch {
    return false;
  }
  let pid: number | null = null;
  let host: string | null = null;
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) pid = Number(trimmed);
  else {
    try {
      const parsed = JSON.parse(trimmed) as { pid?: unknown; host?: unknown };
      if (typeof parsed.pid === 'number') pid = parsed.pid;
      if (typeof parsed.host === 'string') host = parsed.host;
    } catch {
      // Not JSON: judged by its age below.
    }
  }
  if (pid !== null && (host === null || host === os.hostname())) return processAlive(pid);
  return now - mtimeMs < FRESH_LOCK_MS;
}

/** Whether every path under a folder is disposable by the category rules. */
export function isDisposableFolder(relative: string): boolean {
  return (
    categorize(`${relative}/a-file.bin`) === 'disposable' &&
    categorize(`${relative}/a-folder/a-file.bin`) === 'disposable'
  );
}

/**
 * Walks the root, leaving out Tend's own `.tend/` and the insides of disposable folders
 * (their lock files included: the assistant keeps its locks beside its indexes and models).
 */
export function walkLiveTree(root: string): LiveTree {
  const files = new Map<string, LiveFile>();
  const dirs = new Set<string>();
  const heldLocks: string[] = [];
  const pending: string[] = [''];
  while (pending.length > 0) {
    const relative = pending.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(root, relative), { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (child === layout.tend) continue;
      if (entry.isDirectory()) {
        dirs.add(child);
        // Whole disposable folders (caches, logs, tmp) are never restored, removed or
        // backed up: not walking them keeps a plan under a second on a large cache.
        if (!isDisposableFolder(child)) pending.push(child);
        continue;
      }
      const stat = fs.lstatSync(path.join(root, child), { throwIfNoEntry: false });
      if (!stat) continue;
      files.set(child, { size: stat.size, mtimeMs: stat.mtimeMs });
      if (isLockName(entry.name) && lockIsHeld(path.join(root, child))) heldLocks.push(child);
    }
  }
  return { files, dirs, heldLocks };
}
