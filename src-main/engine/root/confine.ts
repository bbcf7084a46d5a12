import fs from 'node:fs/promises';
import path from 'node:path';
import { TendFailure } from '../../../src-shared/errors';

/** Whether `child` is `parent` or lies below it (both absolute and normalized). */
export function isWithin(parent: string, child: string): boolean {
  const relative = path.relative(parent, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/**
 * Resolves a path given by the renderer, the CLI or an archive, and refuses it unless it stays
 * inside `root` once every symlink on the way is followed.
 *
 * The path need not exist yet: the deepest existing ancestor is resolved with realpath and the
 * rest is appended, so a symlinked folder cannot smuggle a write outside the root.
 */
export async function confineToRoot(root: string, candidate: string): Promise<string> {
  const realRoot = await fs.realpath(root);
  const absolute = path.resolve(realRoot, candidate);
  if (!isWithin(realRoot, absolute)) {
    throw new TendFailure('PATH_OUTSIDE_ROOT', `${candidate} is outside the data root ${root}.`);
  }
  const resolved = await resolveThroughLinks(absolute);
  if (!isWithin(realRoot, resolved)) {
    throw new TendFailure(
      'PATH_OUTSIDE_ROOT',
      `${candidate} leads outside the data root ${root} through a link.`,
    );
  }
  return resolved;
}

/**
 * The real path an absolute path has, or would have once made: its deepest existing ancestor
 * with every link followed, and the rest appended. A missing path cannot hide a link.
 */
export async function resolveThroughLinks(absolute: string): Promise<string> {
  let existing = path.resolve(absolute);
  const rest: string[] = [];
  for (;;) {
    try {
      return path.join(await fs.realpath(existing), ...rest);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const parent = path.dirname(existing);
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || parent === existing) throw error;
      rest.unshift(path.basename(existing));
      existing = parent;
    }
  }
}

/** A root-relative path with forward slashes, for display and category rules. */
export function toRelative(root: string, absolute: string): string {
  return path.relative(root, absolute).split(path.sep).join('/');
}
