/**
 * Paths of the legacy migration that may not be UTF-8.
 *
 * Linux names are bytes: a `résumé.txt` saved in Latin-1 is not valid UTF-8, and Node's string
 * paths turn its bad bytes into U+FFFD, a name that does not exist (`migrate plan` then failed
 * with ENOENT). So folders are read as Buffers, and a name that does not survive the round
 * trip to text is carried as its bytes: in a JSON journal as base64, and inside this module
 * as a "binary" string (latin1, one character per byte), which path prefixes can be changed
 * in like any string and which converts back to the same bytes.
 */
import path from 'node:path';

/** A path for node:fs: text when the name is UTF-8, its bytes when it is not. */
export type FsPath = string | Buffer;

/** A root-relative path as the plan shows it, with its bytes when they are not UTF-8. */
export interface RelativePath {
  /** For people: the name decoded as UTF-8 (a bad byte shows as U+FFFD). */
  readonly text: string;
  /** The exact bytes (base64), only when `text` does not give them back. */
  readonly raw: string | null;
}

/** A relative path read from disk as bytes. */
export function relativeFromBytes(bytes: Buffer): RelativePath {
  const text = bytes.toString('utf8');
  return { text, raw: Buffer.from(text, 'utf8').equals(bytes) ? null : bytes.toString('base64') };
}

/** The path's bytes as a binary string (one character per byte). */
export function binaryOf(relative: RelativePath): string {
  return relative.raw === null
    ? Buffer.from(relative.text, 'utf8').toString('latin1')
    : Buffer.from(relative.raw, 'base64').toString('latin1');
}

/** A relative path from a binary string. */
export function relativeFromBinary(binary: string): RelativePath {
  return relativeFromBytes(Buffer.from(binary, 'latin1'));
}

/** The absolute path for node:fs. */
export function fsPath(root: string, relative: RelativePath): FsPath {
  if (relative.raw === null) return path.join(root, relative.text);
  return Buffer.concat([Buffer.from(`${root}${path.sep}`), Buffer.from(relative.raw, 'base64')]);
}

/** The folder of a path, as text or bytes as it came. */
export function dirnameOf(target: FsPath): FsPath {
  if (typeof target === 'string') return path.dirname(target);
  const at = target.lastIndexOf(path.sep.charCodeAt(0));
  return at <= 0 ? Buffer.from(path.sep) : target.subarray(0, at);
}

/** A path with a suffix added to its name. */
export function withSuffix(target: FsPath, suffix: string): FsPath {
  return typeof target === 'string'
    ? `${target}${suffix}`
    : Buffer.concat([target, Buffer.from(suffix)]);
}

/** A path for messages. */
export function shown(target: FsPath): string {
  return typeof target === 'string' ? target : target.toString('utf8');
}
