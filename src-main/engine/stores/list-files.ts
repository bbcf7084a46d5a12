/**
 * Lists the regular files under a folder, for capture plans and validations.
 */
import type { Dirent } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';

/** One regular file under a folder. */
export interface ListedFile {
  /** Relative to the folder listed, with `/` separators. */
  readonly path: string;
  readonly bytes: number;
  readonly mtimeMs: number;
}

/**
 * Every regular file under `dir`, sorted by path; a missing folder lists nothing.
 *
 * Symbolic links are never followed (a link may point out of the data folder), and what is
 * neither a file nor a folder (sockets, FIFOs) is not data to copy.
 */
export async function listFiles(dir: string, prefix = ''): Promise<ListedFile[]> {
  const out: ListedFile[] = [];
  await walk(dir, prefix, out);
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

async function walk(dir: string, prefix: string, out: ListedFile[]): Promise<void> {
  let entries: Dirent[];
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  for (const entry of entries) {
    const absolute = path.join(dir, entry.name);
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      await walk(absolute, relative, out);
    } else if (entry.isFile()) {
      const stat = await fs.lstat(absolute);
      out.push({ path: relative, bytes: stat.size, mtimeMs: stat.mtimeMs });
    }
  }
}

/** The size of a file, or null when it is not there. */
export async function fileSize(file: string): Promise<number | null> {
  try {
    return (await fs.stat(file)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** The total size of the regular files under a folder. */
export async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const file of await listFiles(dir)) total += file.bytes;
  return total;
}
