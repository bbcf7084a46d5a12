/**
 * A quick walk of the live root for planning: every file with its size and time, never
 * following links, plus the lock and pid files that say the app is running (its profile's
 * `runningApp.lockFiles`).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import picomatch from 'picomatch';
import type { ProfiledRoot } from '../profiles/profiled-root';
import { isTendEntry, type Categorizer } from '../root/category-rules';
import { lstatEntry, readFolder, readLink, type FolderEntry } from '../fs/sys-fs';
import { processAlive } from '../jobs/process-alive';

/** One live regular file of the root. */
export interface LiveFile {
  readonly size: number;
  readonly mtimeMs: number;
}

/** One live symbolic link of the root (never followed). */
export interface LiveLink extends LiveFile {
  readonly target: string;
}

/** What a walk of the live root found. */
export interface LiveTree {
  /** Root-relative path → regular file. */
  readonly files: ReadonlyMap<string, LiveFile>;
  /** Root-relative path → link; links are moved as links, never followed. */
  readonly links: ReadonlyMap<string, LiveLink>;
  /** Sockets, FIFOs and devices: path → what it is, in words. */
  readonly specials: ReadonlyMap<string, string>;
  readonly dirs: ReadonlySet<string>;
  /** Folders that could not be listed: what they hold is unknown, so it is never touched. */
  readonly unlisted: ReadonlyArray<string>;
  /** Lock and pid files of a process that is still there (or too fresh to call stale). */
  readonly heldLocks: ReadonlyArray<string>;
}

/** A lock without a readable owner counts as held while it is this fresh. */
const FRESH_LOCK_MS = 10 * 60 * 1000;

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
export function isDisposableFolder(categorize: Categorizer, relative: string): boolean {
  return (
    categorize(`${relative}/a-file.bin`) === 'disposable' &&
    categorize(`${relative}/a-folder/a-file.bin`) === 'disposable'
  );
}

/** What a special file is, in words. */
function specialKind(stat: fs.Stats): string {
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  return 'a special file';
}

/**
 * Walks the root, leaving out the insides of disposable folders (their lock files included:
 * the assistant keeps its locks beside its indexes and models) and a `.tend/` left by an old
 * Tend (the archive format reserves the name). Names are exact bytes and paths of any length
 * are read (fs/sys-fs.ts).
 */
export function walkLiveTree(target: ProfiledRoot): LiveTree {
  const root = target.path;
  const isLock = picomatch([...target.profile.runningApp.lockFiles], { dot: true });
  const files = new Map<string, LiveFile>();
  const links = new Map<string, LiveLink>();
  const specials = new Map<string, string>();
  const dirs = new Set<string>();
  const unlisted: string[] = [];
  const heldLocks: string[] = [];
  const pending: string[] = [''];
  while (pending.length > 0) {
    const relative = pending.pop()!;
    let entries: FolderEntry[];
    try {
      entries = readFolder(relative ? path.join(root, relative) : root);
    } catch {
      unlisted.push(relative);
      continue;
    }
    for (const entry of entries) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (relative === '' && isTendEntry(child)) continue;
      if (entry.kind === 'directory') {
        dirs.add(child);
        // Whole disposable folders (caches, logs, tmp) are never restored, removed or
        // backed up: not walking them keeps a plan under a second on a large cache.
        if (!isDisposableFolder(target.categorize, child)) pending.push(child);
        continue;
      }
      const absolute = path.join(root, child);
      let stat: fs.Stats | undefined;
      try {
        stat = lstatEntry(absolute);
      } catch {
        unlisted.push(child);
        continue;
      }
      if (!stat) continue;
      if (stat.isSymbolicLink()) {
        let target: string;
        try {
          target = readLink(absolute);
        } catch {
          unlisted.push(child);
          continue;
        }
        links.set(child, { size: stat.size, mtimeMs: stat.mtimeMs, target });
      } else if (stat.isFile()) {
        files.set(child, { size: stat.size, mtimeMs: stat.mtimeMs });
        if (isLock(child) && lockIsHeld(absolute)) heldLocks.push(child);
      } else if (stat.isDirectory()) {
        // Made since the listing: walked like any folder.
        dirs.add(child);
        if (!isDisposableFolder(target.categorize, child)) pending.push(child);
      } else {
        specials.set(child, specialKind(stat));
      }
    }
  }
  return { files, links, specials, dirs, unlisted, heldLocks };
}
