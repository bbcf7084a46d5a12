/**
 * Where a move may go: the target as the system resolves it (links followed, a link loop
 * refused), and how it sits against the data folder. A target that is the folder, inside it,
 * or holds it is refused before anything is read or written: a move into such a place is how
 * Jan #4988 deleted everything on the target drive.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { TendFailure } from '../../../src-shared/errors';

/** How a target sits against the source folder. */
export type TargetRelation = 'same' | 'inside-source' | 'holds-source' | 'apart';

/** How `target` sits against `source` (both absolute, resolved); a pure comparison of paths. */
export function relateTarget(
  source: string,
  target: string,
  sep: string = path.sep,
): TargetRelation {
  const clean = (p: string) => (p.length > 1 && p.endsWith(sep) ? p.slice(0, -1) : p);
  const s = clean(source);
  const t = clean(target);
  if (s === t) return 'same';
  const under = (child: string, parent: string) =>
    child.startsWith(parent.endsWith(sep) ? parent : `${parent}${sep}`);
  if (under(t, s)) return 'inside-source';
  if (under(s, t)) return 'holds-source';
  return 'apart';
}

/** The refusal for a target that overlaps the source, or null. */
export function overlapRefusal(relation: TargetRelation, source: string): TendFailure | null {
  switch (relation) {
    case 'same':
      return new TendFailure(
        'MOVE_TARGET_OVERLAPS',
        `That is the data folder itself (${source}). Choose a new or empty folder elsewhere, for example on the other disk.`,
      );
    case 'inside-source':
      return new TendFailure(
        'MOVE_TARGET_OVERLAPS',
        `That folder is inside the data folder ${source}: the copy would copy itself. Choose a folder outside it.`,
      );
    case 'holds-source':
      return new TendFailure(
        'MOVE_TARGET_OVERLAPS',
        `That folder holds the data folder ${source}. Tend moves only into a new or empty folder outside it, never into one of its parents.`,
      );
    case 'apart':
      return null;
  }
}

/** A target resolved: its real path and whether it exists (as an empty folder or not). */
export interface ResolvedTarget {
  /** The real path: the nearest existing folder's realpath with the rest appended. */
  readonly real: string;
  /** The nearest folder that exists (the target itself, or the parent it will be made in). */
  readonly existingFolder: string;
  readonly exists: boolean;
  /** Entries in the target when it exists. */
  readonly entries: number;
}

/**
 * Resolves `target` (absolute): follows links of every existing part. A link loop, a file in
 * the way or a missing parent is MOVE_TARGET_UNUSABLE with what to do. Reads only.
 */
export async function resolveTarget(target: string): Promise<ResolvedTarget> {
  if (!path.isAbsolute(target)) {
    throw new TendFailure('MOVE_TARGET_UNUSABLE', `Give the target as a full path, not ${target}.`);
  }
  const absolute = path.resolve(target);
  let real: string;
  try {
    real = await fs.realpath(absolute);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') throw loop(target);
    if (code !== 'ENOENT') throw unusable(target, (error as Error).message);
    // Not there: its parent must be, and is made into the target on apply (one level only).
    const parent = path.dirname(absolute);
    let realParent: string;
    try {
      realParent = await fs.realpath(parent);
    } catch (parentError) {
      const parentCode = (parentError as NodeJS.ErrnoException).code;
      if (parentCode === 'ELOOP') throw loop(target);
      // A dangling link at the target's own name also ends here.
      const linkAtTarget = await fs.lstat(absolute).catch(() => null);
      if (linkAtTarget?.isSymbolicLink()) throw unusable(target, 'it is a link to nothing');
      throw new TendFailure(
        'MOVE_TARGET_UNUSABLE',
        `The folder ${parent} that would hold ${path.basename(absolute)} does not exist. Create it first, or choose another place.`,
      );
    }
    const linkAtTarget = await fs.lstat(absolute).catch(() => null);
    if (linkAtTarget) throw unusable(target, 'it is a link to nothing');
    const parentStat = await fs.stat(realParent);
    if (!parentStat.isDirectory()) throw unusable(target, `${parent} is not a folder`);
    return {
      real: path.join(realParent, path.basename(absolute)),
      existingFolder: realParent,
      exists: false,
      entries: 0,
    };
  }
  const stat = await fs.stat(real);
  if (!stat.isDirectory()) throw unusable(target, 'it is a file, not a folder');
  const entries = (await fs.readdir(real)).length;
  return { real, existingFolder: real, exists: true, entries };
}

function loop(target: string): TendFailure {
  return new TendFailure(
    'MOVE_TARGET_UNUSABLE',
    `${target} goes through a loop of links that never reaches a folder. Choose a plain folder.`,
  );
}

function unusable(target: string, why: string): TendFailure {
  return new TendFailure('MOVE_TARGET_UNUSABLE', `Tend cannot move the data to ${target}: ${why}.`);
}
