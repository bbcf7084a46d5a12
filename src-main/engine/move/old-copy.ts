/**
 * Removing the old copy a move kept: only the files the move copied and verified (each still
 * the size and time it had), and the folders left empty; anything else found there (put there
 * since, or changed) is left in place and named. Tend's own state in it (`.tend/`) goes too.
 * Killed half-way, the next start carries on (the journal's `forgetting` step).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ForgetOldResult } from '../../../src-shared/models/move';
import { faultPoint } from '../maintenance/fault-point';
import { TEND_DIR } from '../root/category-rules';
import type { CopiedFile } from './move-journal';

/** Removes from `kept` the files of `copied` that are unchanged, then the empty folders. */
export async function removeOldCopy(
  kept: string,
  copied: ReadonlyArray<CopiedFile>,
): Promise<ForgetOldResult> {
  let removedFiles = 0;
  let removedBytes = 0;
  for (const file of copied) {
    const absolute = path.join(kept, file.relative);
    const stat = await fs.lstat(absolute).catch(() => null);
    if (!stat) continue;
    // A link is listed with size -1: it was copied as a link.
    const same =
      file.size === -1
        ? stat.isSymbolicLink()
        : stat.isFile() && stat.size === file.size && stat.mtimeMs === file.mtimeMs;
    if (!same) continue;
    await fs.rm(absolute);
    removedFiles += 1;
    removedBytes += Math.max(0, file.size);
    faultPoint('move:forget-file');
  }
  await fs.rm(path.join(kept, TEND_DIR), { recursive: true, force: true });
  const left: string[] = [];
  await pruneEmpty(kept, '', left);
  return { path: kept, removedFiles, removedBytes, left };
}

/** Removes empty folders bottom-up (the top one too); what remains is listed in `left`. */
async function pruneEmpty(root: string, relative: string, left: string[]): Promise<boolean> {
  const absolute = relative ? path.join(root, relative) : root;
  const entries = await fs.readdir(absolute, { withFileTypes: true }).catch(() => null);
  if (entries === null) return true;
  let empty = true;
  for (const entry of entries) {
    const child = relative ? `${relative}/${entry.name}` : entry.name;
    if (entry.isDirectory() && (await pruneEmpty(root, child, left))) continue;
    empty = false;
    if (!entry.isDirectory()) left.push(child);
  }
  if (empty) await fs.rmdir(absolute);
  return empty;
}
