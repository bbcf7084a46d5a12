import fs from 'node:fs/promises';
import path from 'node:path';
import { TendFailure } from '../../../src-shared/errors';
import type { BackupKind } from '../../../src-shared/models/backup-manifest';
import type { DestinationInfo } from '../../../src-shared/models/backups';
import { diskSpace } from '../fs/free-space';
import { isWithin } from '../root/confine';
import { diskOfPath } from '../schedule/destination-presence';
import { overlapThroughMounts } from './mount-place';

/** Whether a destination and the data folder overlap: by real path, or through a bind mount. */
function overlaps(realRoot: string, realDestination: string): boolean {
  return (
    isWithin(realRoot, realDestination) ||
    isWithin(realDestination, realRoot) ||
    overlapThroughMounts(realRoot, realDestination)
  );
}

async function isFolder(target: string): Promise<boolean> {
  return (await fs.stat(target).catch(() => null))?.isDirectory() ?? false;
}

/**
 * The folder a backup of this kind writes to, checked: it exists (made when missing, but only
 * inside a folder that exists), is a folder, and lies outside the root once links are followed.
 * Safety snapshots fall back to `snapshots` (in Tend's state folder) so one is always possible;
 * other kinds need a destination.
 */
export async function resolveDestination(
  root: string,
  chosen: string | null | undefined,
  kind: BackupKind,
  snapshots: string,
): Promise<string> {
  if (!chosen) {
    if (kind === 'pre-restore' || kind === 'pre-migration') {
      const fallback = snapshots;
      await fs.mkdir(fallback, { recursive: true });
      return fallback;
    }
    throw new TendFailure(
      'NO_DESTINATION',
      'No backup destination is set. Choose a folder outside the data folder (an external drive is best) in Settings → Backups.',
    );
  }
  if (!path.isAbsolute(chosen)) {
    throw new TendFailure(
      'INVALID_INPUT',
      `The backup destination must be an absolute path, not ${chosen}.`,
    );
  }
  // Checked before anything is made: a refused destination must not leave a folder behind.
  const realRoot = await fs.realpath(root);
  const planned = await resolveThroughLinks(chosen);
  if (overlaps(realRoot, planned)) throw insideRoot(chosen);
  // Only the destination folder itself is ever made, never the path to it: a disk that is not
  // plugged in leaves its mount point missing (or empty), and making the path would quietly
  // put the backup on the internal disk.
  const disk = diskOfPath(chosen);
  if (disk && !(await isFolder(disk.mountPoint))) {
    throw new TendFailure(
      'DESTINATION_UNAVAILABLE',
      `The backup disk “${disk.name}” is not plugged in (${disk.mountPoint} is missing). Plug it in and try again.`,
      { destination: chosen, disk: disk.name },
    );
  }
  try {
    await fs.mkdir(chosen);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EEXIST') {
      throw new TendFailure(
        'DESTINATION_UNAVAILABLE',
        code === 'ENOENT'
          ? `The backup destination ${chosen} cannot be made: the folder that should hold it, ${path.dirname(chosen)}, is missing. Is its disk plugged in?`
          : `The backup destination ${chosen} cannot be used (${code ?? String(error)}). Is the drive connected?`,
        { destination: chosen },
      );
    }
  }
  const real = await fs.realpath(chosen);
  const stat = await fs.stat(real);
  if (!stat.isDirectory()) {
    throw new TendFailure(
      'DESTINATION_UNAVAILABLE',
      `The backup destination ${chosen} is not a folder.`,
      {
        destination: chosen,
      },
    );
  }
  if (overlaps(realRoot, real)) throw insideRoot(chosen);
  return real;
}

function insideRoot(chosen: string): TendFailure {
  return new TendFailure(
    'DESTINATION_INSIDE_ROOT',
    `The backup destination ${chosen} is inside the data folder (or holds it, or shows it through a mount); a backup there would back itself up and be lost with the data. Choose a folder elsewhere.`,
    { destination: chosen },
  );
}

/** The real path a folder has or would have: its deepest existing ancestor resolved. */
export async function resolveThroughLinks(folder: string): Promise<string> {
  const rest: string[] = [];
  let existing = path.resolve(folder);
  for (;;) {
    try {
      return path.join(await fs.realpath(existing), ...rest);
    } catch {
      const parent = path.dirname(existing);
      if (parent === existing) return path.resolve(folder);
      rest.unshift(path.basename(existing));
      existing = parent;
    }
  }
}

/** What the Backups page shows about the destination. */
export async function describeDestination(
  root: string,
  chosen: string | null,
  estimatedNextBytes: number | null,
): Promise<DestinationInfo> {
  const base: DestinationInfo = {
    path: chosen,
    exists: false,
    freeBytes: null,
    totalBytes: null,
    sameDiskAsRoot: null,
    problem: null,
    estimatedNextBytes,
  };
  if (!chosen) return { ...base, problem: 'No destination chosen yet.' };
  if (!path.isAbsolute(chosen)) return { ...base, problem: 'It must be an absolute path.' };
  const stat = await fs.stat(chosen).catch(() => null);
  // A folder not made yet is made by the first backup; its disk is its nearest existing parent's.
  const real = await resolveThroughLinks(chosen);
  let existing = stat ? real : path.dirname(real);
  while (!(await fs.stat(existing).catch(() => null))) existing = path.dirname(existing);
  const realRoot = await fs.realpath(root);
  const space = await diskSpace(existing);
  const [rootStat, destinationStat] = await Promise.all([fs.stat(realRoot), fs.stat(existing)]);
  const inside = overlaps(realRoot, real);
  return {
    ...base,
    exists: Boolean(stat),
    ...space,
    sameDiskAsRoot: rootStat.dev === destinationStat.dev,
    problem:
      stat && !stat.isDirectory()
        ? 'It is not a folder.'
        : inside
          ? 'It is inside the data folder; choose a folder elsewhere.'
          : null,
  };
}
