/**
 * The few file-system calls backup, restore and the usage scan make on the data folder's
 * paths, for any name and any length: names that are not UTF-8 keep their bytes
 * (raw-name.ts) and paths over the system's limit go through an open folder (sys-path.ts).
 * Paths in and out are Tend's strings; nothing here follows a link unless it says so.
 */
import fs from 'node:fs';
import fsp, { type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { decodeName, fsPath } from './raw-name';
import { withSysPath, withSysPathAsync, withSysPaths } from './sys-path';

/** What a folder entry is, from its directory entry (links are not followed). */
export type EntryKind = 'file' | 'directory' | 'symlink' | 'special';

/** One entry of a folder. */
export interface FolderEntry {
  readonly name: string;
  readonly kind: EntryKind;
}

function kindOf(dirent: fs.Dirent<string> | fs.Dirent<Buffer>): EntryKind {
  if (dirent.isDirectory()) return 'directory';
  if (dirent.isSymbolicLink()) return 'symlink';
  if (dirent.isFile()) return 'file';
  return 'special';
}

/**
 * The names in a folder with what each is. Read as text first (the common case, and the
 * fastest); read again as bytes when a name did not decode, so every name is exact.
 */
export function readFolder(absolute: string): FolderEntry[] {
  return withSysPath(absolute, (at) => {
    const entries = fs.readdirSync(at, { withFileTypes: true });
    if (!entries.some((entry) => entry.name.includes('\uFFFD'))) {
      return entries.map((entry) => ({ name: entry.name, kind: kindOf(entry) }));
    }
    const raw = fs.readdirSync(at, { withFileTypes: true, encoding: 'buffer' });
    return raw.map((entry) => ({ name: decodeName(entry.name), kind: kindOf(entry) }));
  });
}

/** Only the names in a folder, exact (see `readFolder`). */
export function readFolderNames(absolute: string): string[] {
  return withSysPath(absolute, (at) => {
    const names = fs.readdirSync(at);
    if (!names.some((name) => name.includes('\uFFFD'))) return names;
    return fs.readdirSync(at, { encoding: 'buffer' }).map((name) => decodeName(name));
  });
}

/** lstat, or undefined when nothing is there. */
export function lstatEntry(absolute: string): fs.Stats | undefined {
  try {
    return withSysPath(absolute, (at) => fs.lstatSync(at, { throwIfNoEntry: false }));
  } catch (error) {
    // A long path's folders are opened on the way: one missing means nothing is there.
    if (isMissing(error)) return undefined;
    throw error;
  }
}

/** Whether an error says that nothing is at the path (or a part of it is not a folder). */
export function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** lstat without blocking, or null when nothing is there (other errors are thrown). */
export async function lstatEntryAsync(absolute: string): Promise<fs.Stats | null> {
  try {
    return await withSysPathAsync(absolute, (at) => fsp.lstat(at));
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
}

/** A link's target, exact. */
export function readLink(absolute: string): string {
  return withSysPath(absolute, (at) => decodeName(fs.readlinkSync(at, { encoding: 'buffer' })));
}

/** Opens a file without blocking (`flags` as `fs.open` takes them). */
export function openFile(
  absolute: string,
  flags: number | string,
  mode?: number,
): Promise<FileHandle> {
  return withSysPathAsync(absolute, (at) => fsp.open(at, flags, mode));
}

/** Opens a file and returns its descriptor. */
export function openFileSync(absolute: string, flags: number | string, mode?: number): number {
  return withSysPath(absolute, (at) => fs.openSync(at, flags, mode));
}

/** Makes a folder and its missing parents. */
export function makeFolders(absolute: string): void {
  // Made a level at a time from the deepest existing one, so each step is a short path.
  const missing: string[] = [];
  let at = absolute;
  while (!lstatEntry(at)) {
    missing.unshift(at);
    const parent = path.dirname(at);
    if (parent === at) break;
    at = parent;
  }
  for (const folder of missing) {
    try {
      withSysPath(folder, (sys) => fs.mkdirSync(sys));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

/** Renames one path to another (same file system). */
export function renameEntry(from: string, to: string): void {
  withSysPaths(from, to, (a, b) => fs.renameSync(a, b));
}

/** Makes a symbolic link at `absolute` holding `target` as it is (never resolved here). */
export function makeLink(target: string, absolute: string): void {
  withSysPath(absolute, (at) => fs.symlinkSync(fsPath(target), at));
}

/** Removes an empty folder; false when it is not empty or not there. */
export function removeEmptyFolder(absolute: string): boolean {
  try {
    withSysPath(absolute, (at) => fs.rmdirSync(at));
    return true;
  } catch {
    return false;
  }
}

/**
 * Removes a file, a link or a whole folder; nothing when it is not there. Walks the tree
 * itself so that deep trees, whose paths pass the system's limit, go too.
 */
export function removeTree(absolute: string): void {
  const stat = lstatEntry(absolute);
  if (!stat) return;
  if (stat.isDirectory()) {
    for (const name of readFolderNames(absolute)) removeTree(path.join(absolute, name));
    withSysPath(absolute, (at) => fs.rmdirSync(at));
    return;
  }
  withSysPath(absolute, (at) => fs.unlinkSync(at));
}

/** Reads from `fd` at `position` until `into` holds `length` bytes or the file ends; the bytes read. */
export function readInto(fd: number, into: Buffer, length: number, position = 0): number {
  let done = 0;
  while (done < length) {
    const read = fs.readSync(fd, into, done, length - done, position + done);
    if (read === 0) break;
    done += read;
  }
  return done;
}
