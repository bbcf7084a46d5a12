import fs from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { fsyncPath } from '../../maintenance/cold-archive';

/**
 * Writes a small file so that after a crash or power loss it is either the old one or the new
 * one, whole: a temp file, fsync, rename, then fsync of the folder that holds the name.
 */
export async function writeFileDurably(
  file: string,
  content: string | Buffer,
  mode = 0o644,
): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, content, { fsync: true, mode });
  await fsyncPath(path.dirname(file));
}

/** Removes a regular file (never through a link) and makes the removal durable; false when absent. */
export async function removeFileDurably(file: string): Promise<boolean> {
  const stat = await fs.lstat(file).catch(() => null);
  if (!stat?.isFile()) return false;
  await fs.rm(file);
  await fsyncPath(path.dirname(file));
  return true;
}

/** A file's text, or null when it is not there. */
export async function readTextOrNull(file: string): Promise<string | null> {
  return fs.readFile(file, 'utf8').catch(() => null);
}
