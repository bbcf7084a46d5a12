import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { syncFile, syncFolder } from '../fs/durable';
import { dirnameOf, shown, withSuffix, type FsPath } from './raw-paths';

/** SHA-256 of a file's bytes, streamed. */
export async function sha256File(file: FsPath): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Whether a path exists (a dangling link counts: it is something to move). */
export function exists(target: FsPath): boolean {
  try {
    fs.lstatSync(target);
    return true;
  } catch {
    return false;
  }
}

/**
 * Moves a file, by rename where the filesystem allows it, else by copy, fsync, hash check and
 * delete. Never overwrites: the caller has made sure `to` is free. Resolves with how.
 */
export async function moveFile(from: FsPath, to: FsPath): Promise<'renamed' | 'copied'> {
  await fs.promises.mkdir(dirnameOf(to), { recursive: true });
  if (exists(to)) throw new Error(`Refusing to overwrite ${shown(to)}.`);
  try {
    await fs.promises.rename(from, to);
    return 'renamed';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
  }
  // Another filesystem: copy under a temporary name so a crash never leaves half a file at
  // `to`, check the bytes, then put it in place and only then remove the original.
  const partial = withSuffix(to, '.tend-partial');
  await fs.promises.copyFile(from, partial, fs.constants.COPYFILE_EXCL);
  await syncFile(partial);
  const [a, b] = await Promise.all([sha256File(from), sha256File(partial)]);
  if (a !== b) {
    await fs.promises.rm(partial, { force: true });
    throw new Error(
      `The copy of ${shown(from)} does not match the original; it was left in place.`,
    );
  }
  const stat = await fs.promises.stat(from);
  await fs.promises.utimes(partial, stat.atime, stat.mtime);
  await fs.promises.rename(partial, to);
  await syncFolder(dirnameOf(to));
  await fs.promises.rm(from);
  return 'copied';
}
