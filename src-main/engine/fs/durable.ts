/**
 * The one home of fsync in the engine (DESIGN §4, crash safety): a file's bytes made durable,
 * a folder's names made durable, and a whole file replaced so that after a crash or a power
 * cut the name holds either the old bytes or the new ones, never a mix: temp file beside the
 * name, write, fsync, rename, fsync the folder.
 *
 * Some filesystems refuse to fsync a folder (EINVAL, EISDIR, EPERM…); a rename is still atomic
 * there, so a folder's refusal is not an error. A file's refusal is: its bytes are the point.
 */
import childProcess from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';

/** Codes with which a filesystem says it cannot fsync a folder (or open one to do so). */
const FOLDER_SYNC_REFUSALS = new Set(['EINVAL', 'EISDIR', 'EPERM', 'EACCES', 'ENOTSUP', 'EBADF']);

function folderRefused(error: unknown): boolean {
  return FOLDER_SYNC_REFUSALS.has((error as NodeJS.ErrnoException | null)?.code ?? '');
}

/** fsyncs a file that is already written and closed. */
export async function syncFile(file: fs.PathLike): Promise<void> {
  const handle = await fsp.open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** fsyncs a file that is already written and closed, blocking. */
export function syncFileSync(file: fs.PathLike): void {
  const fd = fs.openSync(file, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * fsyncs an open descriptor (a writer that holds it open calls this before closing).
 *
 * Every file the engine makes durable goes through here or the functions above, so a test can
 * see them all by spying `fs.fsyncSync` / `FileHandle.sync`.
 */
export function syncDescriptorSync(fd: number): void {
  fs.fsyncSync(fd);
}

/** fsyncs a folder so the names made, renamed or removed in it survive a power cut. */
export async function syncFolder(folder: fs.PathLike): Promise<void> {
  let handle: fsp.FileHandle;
  try {
    handle = await fsp.open(folder, 'r');
  } catch (error) {
    if (folderRefused(error)) return;
    throw error;
  }
  try {
    await handle.sync();
  } catch (error) {
    if (!folderRefused(error)) throw error;
  } finally {
    await handle.close();
  }
}

/** fsyncs a folder, blocking (see `syncFolder`). */
export function syncFolderSync(folder: fs.PathLike): void {
  let fd: number;
  try {
    fd = fs.openSync(folder, 'r');
  } catch (error) {
    if (folderRefused(error)) return;
    throw error;
  }
  try {
    fs.fsyncSync(fd);
  } catch (error) {
    if (!folderRefused(error)) throw error;
  } finally {
    fs.closeSync(fd);
  }
}

/** How a file is written durably. */
export interface DurableWriteOptions {
  /** The file's permission bits; else those of the file replaced, else 0o644 (less the umask). */
  readonly mode?: number;
  /** Make the missing folders above the file first (the default); false when they must exist. */
  readonly makeFolders?: boolean;
}

/** The temp name a durable write of `file` uses: beside it, so the rename stays on one filesystem. */
export function durableTempName(file: string): string {
  return path.join(
    path.dirname(file),
    `.${path.basename(file)}.${process.pid}-${randomBytes(4).toString('hex')}.partial`,
  );
}

/**
 * Replaces (or makes) a file whole: a temp file beside it, written, fsynced, renamed over the
 * name, then the folder fsynced. On any failure the temp file is removed and the old file is
 * left as it was.
 */
export async function writeFileDurably(
  file: string,
  content: string | Uint8Array,
  options: DurableWriteOptions = {},
): Promise<void> {
  const folder = path.dirname(file);
  if (options.makeFolders ?? true) await fsp.mkdir(folder, { recursive: true });
  const temp = durableTempName(file);
  const kept = options.mode ?? (await fsp.stat(file).catch(() => null))?.mode;
  try {
    const handle = await fsp.open(temp, 'wx', options.mode ?? 0o644);
    try {
      if (kept !== undefined) await handle.chmod(kept & 0o7777);
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fsp.rename(temp, file);
  } catch (error) {
    await fsp.rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
  await syncFolder(folder);
}

/** `writeFileDurably`, blocking: for journals written where nothing may wait. */
export function writeFileDurablySync(
  file: string,
  content: string | Uint8Array,
  options: DurableWriteOptions = {},
): void {
  const folder = path.dirname(file);
  if (options.makeFolders ?? true) fs.mkdirSync(folder, { recursive: true });
  const temp = durableTempName(file);
  const kept = options.mode ?? fs.statSync(file, { throwIfNoEntry: false })?.mode;
  try {
    const fd = fs.openSync(temp, 'wx', options.mode ?? 0o644);
    try {
      if (kept !== undefined) fs.fchmodSync(fd, kept & 0o7777);
      fs.writeFileSync(fd, content);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, file);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
  syncFolderSync(folder);
}

/**
 * Puts a finished file (already fsynced) or folder in place of another name by rename, then
 * fsyncs the folder that received it, and the one it left when that is another.
 */
export async function renameDurably(from: string, to: string): Promise<void> {
  await fsp.rename(from, to);
  await syncFolder(path.dirname(to));
  if (path.dirname(from) !== path.dirname(to)) await syncFolder(path.dirname(from));
}

/** `renameDurably`, blocking. */
export function renameDurablySync(from: string, to: string): void {
  fs.renameSync(from, to);
  syncFolderSync(path.dirname(to));
  if (path.dirname(from) !== path.dirname(to)) syncFolderSync(path.dirname(from));
}

/** Removes a regular file (never through a link) and makes the removal durable; false when absent. */
export async function removeFileDurably(file: string): Promise<boolean> {
  const stat = await fsp.lstat(file).catch(() => null);
  if (!stat?.isFile()) return false;
  await fsp.rm(file);
  await syncFolder(path.dirname(file));
  return true;
}

/** A durably written file's text, or null when it is not there (or cannot be read). */
export async function readTextOrNull(file: string): Promise<string | null> {
  return fsp.readFile(file, 'utf8').catch(() => null);
}

/** How a batch of written files was made durable. */
export type BatchSync = 'filesystem' | 'each';

/**
 * Makes a batch of freshly written files and folders durable at once (a restore's staging, an
 * export): on Linux one syncfs of the filesystem that holds `anchor` (coreutils' `sync
 * --file-system`), one journal commit for thousands of files where an fsync each took two to
 * three times as long as writing them; elsewhere, or when that fails, `each` fsyncs them one by
 * one. Resolves with which was done.
 */
export async function syncBatch(anchor: string, each: () => void): Promise<BatchSync> {
  if (await syncFileSystem(anchor)) return 'filesystem';
  each();
  return 'each';
}

/**
 * One syncfs of the filesystem that holds `anchor` (coreutils' `sync --file-system`), in a
 * child process so the loop goes on meanwhile; false where that cannot be done (not Linux, no
 * such option, an error), and the caller syncs another way.
 */
export async function syncFileSystem(anchor: string): Promise<boolean> {
  if (process.platform !== 'linux') return false;
  return new Promise<boolean>((resolve) => {
    childProcess.execFile('sync', ['--file-system', anchor], (error) => resolve(!error));
  });
}
