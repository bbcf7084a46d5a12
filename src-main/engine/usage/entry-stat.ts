import fs from 'node:fs';
import { hasRawBytes } from '../fs/raw-name';
import { lstatEntry } from '../fs/sys-fs';
import { DIRECT_PATH_BYTES } from '../fs/sys-path';

const LSTAT = { throwIfNoEntry: false } as const;

/**
 * The lstat of an entry the scanner already knows, or undefined when it is gone or cannot be
 * read. `exact`: its folder holds names that are not UTF-8 (or its path is long), so the path
 * goes through fs/sys-fs.ts; a path near the system's limit does too.
 */
export function statEntry(full: string, exact: boolean): fs.Stats | undefined {
  try {
    return exact || full.length * 3 > DIRECT_PATH_BYTES
      ? lstatEntry(full)
      : fs.lstatSync(full, LSTAT);
  } catch {
    return undefined;
  }
}

/** Whether a folder's path needs fs/sys-fs.ts: bytes that are not UTF-8, or a long path. */
export function needsExactPath(folderPath: string): boolean {
  return folderPath.length * 3 > DIRECT_PATH_BYTES || hasRawBytes(folderPath);
}
