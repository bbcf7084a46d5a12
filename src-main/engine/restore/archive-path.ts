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
  for (const segment of candidate.split('/')) {
    if (segment === '..') return 'it climbs out with ..';
    if (segment === '' || segment === '.') return 'it is not in canonical form';
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
  const parts = relative.split('/');
  const out: string[] = [];
  for (let i = 1; i < parts.length; i++) out.push(parts.slice(0, i).join('/'));
  return out;
}

/** Whether `relative` is `prefix` itself or lies under it (both root-relative). */
export function isUnder(prefix: string, relative: string): boolean {
  const clean = prefix.replace(/\/+$/, '');
  return relative === clean || relative.startsWith(`${clean}/`);
}
