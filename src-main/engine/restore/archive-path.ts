import { TendFailure } from '../../../src-shared/errors';

/**
 * Checks a path from an archive or its manifest: relative, forward slashes, no empty, `.` or
 * `..` segment, no backslash, drive letter or NUL, and nothing under Tend's own `.tend/`.
 *
 * Returns the path unchanged, or throws RESTORE_ARCHIVE_UNSAFE. Only this canonical form is
 * accepted, so two spellings can never name one file.
 */
export function checkArchivePath(candidate: string): string {
  const unsafe = (why: string) =>
    new TendFailure(
      'RESTORE_ARCHIVE_UNSAFE',
      `The archive holds an unsafe path ${JSON.stringify(candidate)}: ${why}.`,
    );
  if (candidate.length === 0) throw unsafe('it is empty');
  if (candidate.length > 4096) throw unsafe('it is too long');
  if (candidate.includes('\0')) throw unsafe('it holds a NUL character');
  if (candidate.includes('\\')) throw unsafe('it holds a backslash');
  if (candidate.startsWith('/') || /^[A-Za-z]:/.test(candidate)) throw unsafe('it is absolute');
  for (const segment of candidate.split('/')) {
    if (segment === '..') throw unsafe('it climbs out with ..');
    if (segment === '' || segment === '.') throw unsafe('it is not in canonical form');
  }
  if (candidate === '.tend' || candidate.startsWith('.tend/')) {
    throw unsafe("it would write into Tend's own state folder");
  }
  return candidate;
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
