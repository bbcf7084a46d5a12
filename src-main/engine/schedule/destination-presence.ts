/**
 * Whether the backup destination is there: an external disk that is not plugged in must make
 * a scheduled backup wait (and say which disk), never make Tend create the folder on the
 * internal disk under the empty mount point.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** The disk a destination lives on, when its path says so. */
export interface DiskOfPath {
  /** The disk's name as a person knows it: the volume label, or the drive letter. */
  readonly name: string;
  /** Where that disk is mounted: the part of the path that is the disk. */
  readonly mountPoint: string;
}

/**
 * The removable disk a path lies on, by the places systems mount them: `/media/USER/LABEL`
 * and `/run/media/USER/LABEL` (udisks; `/media/LABEL` on older systems), `/mnt/NAME`,
 * `/Volumes/LABEL` (macOS), `E:\` and `\\server\share` (Windows). Null for any other path.
 */
export function diskOfPath(destination: string, user: string = currentUser()): DiskOfPath | null {
  const windows = /^([A-Za-z]:)[\\/]/.exec(destination);
  if (windows) return { name: windows[1]!.toUpperCase(), mountPoint: `${windows[1]}\\` };
  const share = /^(\\\\[^\\]+\\[^\\]+)/.exec(destination);
  if (share) return { name: share[1]!, mountPoint: share[1]! };
  const parts = path.posix.normalize(destination).split('/').filter(Boolean);
  const at = (depth: number): DiskOfPath | null =>
    parts.length > depth
      ? { name: parts[depth]!, mountPoint: `/${parts.slice(0, depth + 1).join('/')}` }
      : null;
  if (parts[0] === 'media') return at(parts[1] === user ? 2 : 1);
  if (parts[0] === 'run' && parts[1] === 'media') return at(3);
  if (parts[0] === 'mnt' || parts[0] === 'Volumes') return at(1);
  return null;
}

/** What Tend sees at the destination's place. */
export interface DestinationFacts {
  /** The destination folder exists (through links). */
  readonly exists: boolean;
  /** A backup completed there before, so it existed once. */
  readonly usedBefore: boolean;
  /**
   * Whether the place the disk mounts on is there (udisks and macOS remove it when the disk
   * goes, Windows has no drive letter then); null when the path names no such disk.
   */
  readonly mountPointExists: boolean | null;
}

/** Whether a scheduled backup can go to the destination now. */
export type DestinationPresence =
  | { readonly state: 'none' }
  | { readonly state: 'present'; readonly path: string }
  /** Not there yet, and nothing says it should be: the first backup makes the folder. */
  | { readonly state: 'new'; readonly path: string }
  | {
      readonly state: 'missing';
      readonly path: string;
      /** The disk to plug in (a label, a drive letter), or the folder itself. */
      readonly disk: string;
      readonly message: string;
    };

/**
 * Decides from the facts: a folder that exists is present; one whose disk's mount point is
 * gone, or one that held backups and is gone, is missing (the disk is unplugged, or the folder
 * was removed); any other absent folder is new.
 *
 * Note: an empty mount point left on the internal disk is not taken for a missing disk by
 * itself, since a plain folder such as /mnt/backups looks the same; once a backup went there,
 * its absence is.
 */
export function destinationPresence(
  destination: string | null,
  facts: DestinationFacts,
  user: string = currentUser(),
): DestinationPresence {
  if (!destination) return { state: 'none' };
  if (facts.exists) return { state: 'present', path: destination };
  const disk = diskOfPath(destination, user);
  if (facts.mountPointExists === false || facts.usedBefore) {
    const message = disk
      ? `The backup disk “${disk.name}” is not plugged in (the destination ${destination} is missing). Plug it in; the next scheduled backup goes there.`
      : `The backup destination ${destination} is missing. Is its disk plugged in? The next scheduled backup goes there once it is back.`;
    return { state: 'missing', path: destination, disk: disk?.name ?? destination, message };
  }
  return { state: 'new', path: destination };
}

function currentUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return '';
  }
}

async function isFolder(target: string): Promise<boolean> {
  return (await fs.stat(target).catch(() => null))?.isDirectory() ?? false;
}

/**
 * Looks at the destination now. `backupFolders` are the folders of backups that completed
 * before (the history's `destination`s), to tell a folder that went away from one not made yet.
 */
export async function checkDestination(
  destination: string | null,
  backupFolders: ReadonlyArray<string>,
): Promise<DestinationPresence> {
  if (!destination) return { state: 'none' };
  const resolved = path.resolve(destination);
  const folders = new Set(backupFolders.map((folder) => path.resolve(folder)));
  const disk = diskOfPath(resolved);
  return destinationPresence(destination, {
    exists: await isFolder(resolved),
    usedBefore: folders.has(resolved),
    mountPointExists: disk ? await isFolder(disk.mountPoint) : null,
  });
}
