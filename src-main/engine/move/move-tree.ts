/**
 * What a move carries: every folder, file and link of the data folder (Tend's own `.tend/`
 * excepted: Tend's record of the root follows the move on its own, move-record.ts), with the
 * size, time and mode each must keep, and what would stop the move (special files, locks the
 * app holds).
 */
import fs from 'node:fs/promises';
import fsSync from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import { TEND_DIR } from '../root/category-rules';
import { lockIsHeld } from '../restore/live-tree';

/** One folder to make at the target. */
export interface TreeFolder {
  readonly relative: string;
  readonly mode: number;
  readonly atimeMs: number;
  readonly mtimeMs: number;
}

/** One regular file to copy. */
export interface TreeFile {
  readonly relative: string;
  readonly size: number;
  readonly mode: number;
  readonly atimeMs: number;
  readonly mtimeMs: number;
  /** With the size and mtime, what tells that the file changed since the walk. */
  readonly ctimeMs: number;
  readonly ino: number;
}

/** One link, copied as a link with the same text. */
export interface TreeLink {
  readonly relative: string;
  readonly target: string;
}

/** The data folder as a move sees it. */
export interface MoveTree {
  /** Parents before children. */
  readonly folders: ReadonlyArray<TreeFolder>;
  readonly files: ReadonlyArray<TreeFile>;
  readonly links: ReadonlyArray<TreeLink>;
  readonly bytes: number;
  /** Entries that are neither file, folder nor link (a pipe, a socket), root-relative. */
  readonly specials: ReadonlyArray<string>;
  /** Lock or pid files the app holds now (a live pid, or fresh). */
  readonly heldLocks: ReadonlyArray<string>;
}

/** Walks `root`, leaving out `.tend/` at its top; `lockGlobs` are the profile's lock files. */
export async function walkMoveTree(
  root: string,
  lockGlobs: ReadonlyArray<string> = [],
): Promise<MoveTree> {
  const isLock = lockGlobs.length > 0 ? picomatch([...lockGlobs], { dot: true }) : () => false;
  const folders: TreeFolder[] = [];
  const files: TreeFile[] = [];
  const links: TreeLink[] = [];
  const specials: string[] = [];
  const heldLocks: string[] = [];
  let bytes = 0;
  const pending: string[] = [''];
  while (pending.length > 0) {
    const relative = pending.shift()!;
    // Synchronous: one lstat a file through libuv's thread pool costs more than the lstat.
    const entries = fsSync.readdirSync(relative ? path.join(root, relative) : root, {
      withFileTypes: true,
    });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (child === TEND_DIR) continue;
      const absolute = path.join(root, child);
      const stat = fsSync.lstatSync(absolute);
      if (stat.isDirectory()) {
        folders.push({
          relative: child,
          mode: stat.mode & 0o7777,
          atimeMs: stat.atimeMs,
          mtimeMs: stat.mtimeMs,
        });
        pending.push(child);
      } else if (stat.isFile()) {
        files.push({
          relative: child,
          size: stat.size,
          mode: stat.mode & 0o7777,
          atimeMs: stat.atimeMs,
          mtimeMs: stat.mtimeMs,
          ctimeMs: stat.ctimeMs,
          ino: stat.ino,
        });
        bytes += stat.size;
        if (isLock(child) && lockIsHeld(absolute)) heldLocks.push(child);
      } else if (stat.isSymbolicLink()) {
        links.push({ relative: child, target: fsSync.readlinkSync(absolute) });
      } else {
        specials.push(child);
      }
    }
  }
  return { folders, files, links, bytes, specials, heldLocks };
}

/** Files and bytes of a folder, everything in it counted (the old copy's size). */
export async function folderSize(root: string): Promise<{ files: number; bytes: number }> {
  let files = 0;
  let bytes = 0;
  const pending = [root];
  while (pending.length > 0) {
    const folder = pending.pop()!;
    const entries = await fs.readdir(folder, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const absolute = path.join(folder, entry.name);
      if (entry.isDirectory()) pending.push(absolute);
      else if (entry.isFile()) {
        files += 1;
        bytes += (await fs.lstat(absolute).catch(() => null))?.size ?? 0;
      }
    }
  }
  return { files, bytes };
}
