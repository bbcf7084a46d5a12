/**
 * Where a symbolic link inside the data folder leads, worked out the way the kernel walks a
 * path (each `..` from where the walk really is, every link on the way followed), but over a
 * tree described by a lookup instead of the disk: the live folder, an archive's manifest, or
 * both. Pure: no file is touched.
 */

/** The most links followed in one resolution, as Linux's own limit (ELOOP). */
const MAX_HOPS = 40;

/** Where a link leads. */
export type LinkResolution =
  | { readonly inside: true; readonly path: string }
  | { readonly inside: false; readonly why: string };

/**
 * Resolves the link at root-relative `linkPath` holding `target`.
 *
 * `linkAt(relative)` answers the target of another link in the same tree, or null when that
 * path is not a link. Inside means the walk never leaves the root and does not end in
 * Tend's own `.tend/`; an absolute target, a walk above the root or a loop is outside.
 */
export function resolveLink(
  linkPath: string,
  target: string,
  linkAt: (relative: string) => string | null,
): LinkResolution {
  if (target.startsWith('/')) return { inside: false, why: `it points to ${target}` };
  const at = linkPath.split('/').slice(0, -1);
  let pending = target.split('/');
  let hops = 0;
  while (pending.length > 0) {
    const part = pending.shift()!;
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (at.length === 0)
        return { inside: false, why: `it leads out of the data folder (${target})` };
      at.pop();
      continue;
    }
    at.push(part);
    const next = linkAt(at.join('/'));
    if (next === null) continue;
    hops += 1;
    if (hops > MAX_HOPS) return { inside: false, why: 'it is part of a loop of links' };
    at.pop();
    if (next.startsWith('/')) {
      return { inside: false, why: `it leads through ${at.concat(part).join('/')} to ${next}` };
    }
    pending = [...next.split('/'), ...pending];
  }
  const resolved = at.join('/');
  if (resolved === '.tend' || resolved.startsWith('.tend/')) {
    return { inside: false, why: "it leads into Tend's own folder" };
  }
  return { inside: true, path: resolved };
}
