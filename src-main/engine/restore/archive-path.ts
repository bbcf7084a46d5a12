import { TendFailure } from '../../../src-shared/errors';
import { displayName, hasRawBytes } from '../fs/raw-name';

/**
 * Checks a path from an archive or its manifest: relative, forward slashes, no empty, `.` or
 * `..` segment, no NUL, and nothing under Tend's own `.tend/`.
 *
 * Returns the path unchanged, or throws RESTORE_ARCHIVE_UNSAFE. Only this canonical form is
 * accepted, so two spellings can never name one file. What else a name holds (a backslash, a
 * colon, bytes that are not UTF-8) is a legal name on Linux: whether this system can hold it
 * is `nameProblem`'s question, answered per file, never a reason to refuse the archive.
 */
export function checkArchivePath(candidate: string): string {
  const unsafe = (why: string) =>
    new TendFailure(
      'RESTORE_ARCHIVE_UNSAFE',
      `The archive holds an unsafe path ${JSON.stringify(displayName(candidate))}: ${why}.`,
    );
  const problem = structuralProblem(candidate);
  if (problem) throw unsafe(problem);
  return candidate;
}

/** Why a root-relative path is not in canonical, confined form; null when it is. */
function structuralProblem(candidate: string): string | null {
  if (candidate.length === 0) return 'it is empty';
  if (candidate.length > 65_536) return 'it is too long';
  if (candidate.includes('\0')) return 'it holds a NUL character';
  if (candidate.startsWith('/')) return 'it is absolute';
  // Segment by segment, without splitting: a manifest of 20,000 paths is checked on the loop.
  for (let start = 0; start <= candidate.length;) {
    let end = candidate.indexOf('/', start);
    if (end === -1) end = candidate.length;
    const length = end - start;
    if (length === 2 && candidate.startsWith('..', start)) return 'it climbs out with ..';
    if (length === 0 || (length === 1 && candidate[start] === '.')) {
      return 'it is not in canonical form';
    }
    start = end + 1;
  }
  if (candidate === '.tend' || candidate.startsWith('.tend/')) {
    return "it would write into Tend's own state folder";
  }
  return null;
}

// Names Windows keeps for devices, with or without an extension.
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[1-9]|lpt[1-9])(\..*)?$/i;
// eslint-disable-next-line no-control-regex
const WINDOWS_FORBIDDEN = /[<>:"|?*\\\u0000-\u001f]/;

/**
 * Why this system cannot hold a (canonical) root-relative path, or null when it can.
 *
 * Linux holds any name. Windows refuses backslashes (its separator), `<>:"|?*`, control
 * characters, device names and a trailing dot or space, and names must be text; macOS
 * holds only names that are UTF-8. A file whose name this system cannot hold is reported
 * and left out, never written under another name.
 */
export function nameProblem(
  relative: string,
  platform: NodeJS.Platform = process.platform,
): string | null {
  if (platform === 'win32' || platform === 'darwin') {
    if (hasRawBytes(relative)) return 'its name is not UTF-8 text, which this system requires';
  }
  if (platform !== 'win32') return null;
  for (const segment of relative.split('/')) {
    if (WINDOWS_FORBIDDEN.test(segment)) {
      return 'its name holds a character Windows does not allow (\\ / : * ? " < > |)';
    }
    if (WINDOWS_DEVICE.test(segment)) return `${segment} is a device name on Windows`;
    if (/[. ]$/.test(segment)) return 'Windows does not allow a name ending in a dot or space';
  }
  return null;
}

/**
 * Reads a root-relative path a person typed (`./a/b/`, on Windows `a\b`) into the archive's
 * canonical form; INVALID_INPUT when it is not a path inside the data folder.
 */
export function normalizeUserPath(
  raw: string,
  platform: NodeJS.Platform = process.platform,
): string {
  const slashed = platform === 'win32' ? raw.replaceAll('\\', '/') : raw;
  const cleaned = slashed
    .replace(/^(\.\/)+/, '')
    .replace(/\/+$/, '')
    .replace(/\/{2,}/g, '/');
  const problem = structuralProblem(cleaned);
  if (problem) {
    throw new TendFailure(
      'INVALID_INPUT',
      `${JSON.stringify(raw)} is not a path inside the data folder (${problem}). Give it relative to the data folder, like config/settings.json.`,
      { path: raw },
    );
  }
  return cleaned;
}

/** Every folder above a root-relative path, outermost first (`a/b/c` → `a`, `a/b`). */
export function ancestorsOf(relative: string): string[] {
  const out: string[] = [];
  for (let at = relative.indexOf('/'); at !== -1; at = relative.indexOf('/', at + 1)) {
    out.push(relative.slice(0, at));
  }
  return out;
}

/**
 * Adds every folder above `relative` to `into`, innermost first, stopping at the first one
 * already there: `into` must hold, with each folder, every folder above it (as a set filled
 * only by this function, or by adding a path and then its ancestors, does).
 *
 * Note: on a manifest of 20,000 files this is one lookup for most of them (their folder is
 * already in), where the list of every ancestor of every entry cost tens of milliseconds of
 * strings and arrays while the event loop waited (issue 13).
 */
export function addAncestors(relative: string, into: Set<string>): void {
  for (let at = relative.lastIndexOf('/'); at > 0; at = relative.lastIndexOf('/', at - 1)) {
    const folder = relative.slice(0, at);
    if (into.has(folder)) return;
    into.add(folder);
  }
}

/** The outermost folder above `relative` that is in `links`, or null; nothing made when none is. */
export function linkAbove(relative: string, links: ReadonlySet<string>): string | null {
  if (links.size === 0) return null;
  for (let at = relative.indexOf('/'); at !== -1; at = relative.indexOf('/', at + 1)) {
    const folder = relative.slice(0, at);
    if (links.has(folder)) return folder;
  }
  return null;
}

/** Whether `relative` is `prefix` itself or lies under it (both root-relative). */
export function isUnder(prefix: string, relative: string): boolean {
  const clean = prefix.replace(/\/+$/, '');
  return relative === clean || relative.startsWith(`${clean}/`);
}
