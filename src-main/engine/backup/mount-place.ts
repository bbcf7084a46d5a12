/**
 * Where a folder really is on its file system, seen through mounts: a bind mount shows a
 * folder of one place under another path (`mount --bind /data/assistant/x /mnt/backups`), so
 * comparing real paths cannot tell that a destination is inside the data folder. Linux says
 * in /proc/self/mountinfo which file system (device) each mount shows and from which folder
 * of it; a path is then a device and a path inside that file system, the same whatever mount
 * it is reached through.
 */
import fs from 'node:fs';
import path from 'node:path';

/** A folder as its file system knows it. */
export interface MountPlace {
  /** The file system's device, `major:minor`. */
  readonly device: string;
  /** The path from the file system's own root. */
  readonly path: string;
}

interface Mount {
  readonly device: string;
  readonly root: string;
  readonly mountPoint: string;
}

/** mountinfo escapes space, tab, newline and backslash in paths as octal (`\040`). */
function unescape(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) =>
    String.fromCharCode(parseInt(octal, 8)),
  );
}

/** The mounts of a /proc/self/mountinfo text, in its order. */
export function parseMountInfo(text: string): Mount[] {
  const mounts: Mount[] = [];
  for (const line of text.split('\n')) {
    const fields = line.split(' ');
    if (fields.length < 5) continue;
    mounts.push({
      device: fields[2]!,
      root: unescape(fields[3]!),
      mountPoint: unescape(fields[4]!),
    });
  }
  return mounts;
}

function isWithinPosix(parent: string, child: string): boolean {
  return parent === '/' || child === parent || child.startsWith(`${parent}/`);
}

/**
 * Where an absolute real path lies: through the mount with the longest mount point above it
 * (the last one listed, when several are stacked on one point).
 */
export function placeIn(mounts: ReadonlyArray<Mount>, realPath: string): MountPlace | null {
  let best: Mount | null = null;
  for (const mount of mounts) {
    if (!isWithinPosix(mount.mountPoint, realPath)) continue;
    if (!best || mount.mountPoint.length >= best.mountPoint.length) best = mount;
  }
  if (!best) return null;
  const rest = path.posix.relative(best.mountPoint, realPath);
  return { device: best.device, path: path.posix.join(best.root, rest) };
}

/** Whether two places are the same folder, or one holds the other. */
export function placesOverlap(a: MountPlace, b: MountPlace): boolean {
  return a.device === b.device && (isWithinPosix(a.path, b.path) || isWithinPosix(b.path, a.path));
}

/**
 * Whether two real paths overlap once mounts are seen through (a bind mount of the data folder
 * or of a folder inside it); false where the system does not say (not Linux).
 */
export function overlapThroughMounts(realA: string, realB: string): boolean {
  if (process.platform !== 'linux') return false;
  let text: string;
  try {
    text = fs.readFileSync('/proc/self/mountinfo', 'utf8');
  } catch {
    return false;
  }
  const mounts = parseMountInfo(text);
  const a = placeIn(mounts, realA);
  const b = placeIn(mounts, realB);
  return a !== null && b !== null && placesOverlap(a, b);
}
