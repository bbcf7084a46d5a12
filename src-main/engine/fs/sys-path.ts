/**
 * A path the system accepts, for any path Tend can meet: raw bytes for names that are not
 * UTF-8 (raw-name.ts), and a shorter equivalent for paths longer than the system's limit.
 *
 * Linux refuses a path of more than PATH_MAX (4096) bytes with ENAMETOOLONG, yet a folder can
 * hold deeper trees (made by relative operations), and a path just under the limit in the
 * data folder is over it once staging or the snapshot folder is put in front. Node has no
 * `openat`, so the walk is done the way `openat` would: the longest leading part of the path
 * that fits is opened as a directory, and the path goes on from `/proc/self/fd/<fd>/…`, a
 * name the kernel resolves to that open directory, as many times as needed. Elsewhere (macOS,
 * Windows) the path is handed over as it is and the system's ENAMETOOLONG is reported by the
 * caller, with the file's path.
 */
import fs from 'node:fs';
import { encodeName, hasRawBytes } from './raw-name';

/** Paths up to this many bytes go to the system as they are (Linux's PATH_MAX is 4096). */
export const DIRECT_PATH_BYTES = 4000;

const SLASH = 0x2f;
const canShorten = process.platform === 'linux';

/** A path ready for `fs`, and what to call once the call is done. */
export interface SysPath {
  readonly path: string | Buffer;
  release(): void;
}

const noop = () => undefined;

/**
 * A path for `fs` that names `absolute`. Release it after the call: it may hold directories
 * open. Intermediate links are followed, as in any path walk.
 */
export function openSysPath(absolute: string): SysPath {
  const raw = hasRawBytes(absolute);
  // A string of n UTF-16 units is at most 3n bytes: most paths never need counting.
  if (!raw && absolute.length * 3 <= DIRECT_PATH_BYTES) return { path: absolute, release: noop };
  const bytes = raw ? encodeName(absolute) : Buffer.from(absolute, 'utf8');
  if (bytes.length <= DIRECT_PATH_BYTES || !canShorten || bytes[0] !== SLASH) {
    return { path: raw ? bytes : absolute, release: noop };
  }
  let fd: number | null = null;
  let anchor: Buffer | null = null;
  let rest = bytes;
  try {
    for (;;) {
      const whole = anchor ? Buffer.concat([anchor, Buffer.of(SLASH), rest]) : rest;
      if (whole.length <= DIRECT_PATH_BYTES) {
        const held = fd;
        return {
          path: whole,
          release: () => {
            if (held !== null) fs.closeSync(held);
          },
        };
      }
      const room = DIRECT_PATH_BYTES - (anchor ? anchor.length + 1 : 0);
      const cut = rest.lastIndexOf(SLASH, room);
      // One name longer than the room left cannot be; the system says ENAMETOOLONG itself.
      if (cut <= 0) return { path: whole, release: releaser(fd) };
      const head = rest.subarray(0, cut);
      const next = fs.openSync(
        anchor ? Buffer.concat([anchor, Buffer.of(SLASH), head]) : head,
        fs.constants.O_RDONLY | fs.constants.O_DIRECTORY,
      );
      if (fd !== null) fs.closeSync(fd);
      fd = next;
      anchor = Buffer.from(`/proc/self/fd/${fd}`);
      rest = rest.subarray(cut + 1);
    }
  } catch (error) {
    if (fd !== null) fs.closeSync(fd);
    throw error;
  }
}

function releaser(fd: number | null): () => void {
  return () => {
    if (fd !== null) fs.closeSync(fd);
  };
}

/** Runs a synchronous `fs` call on a path the system accepts for `absolute`. */
export function withSysPath<T>(absolute: string, use: (path: string | Buffer) => T): T {
  const sys = openSysPath(absolute);
  try {
    return use(sys.path);
  } finally {
    sys.release();
  }
}

/** Runs an asynchronous `fs` call on a path the system accepts for `absolute`. */
export async function withSysPathAsync<T>(
  absolute: string,
  use: (path: string | Buffer) => Promise<T>,
): Promise<T> {
  const sys = openSysPath(absolute);
  try {
    return await use(sys.path);
  } finally {
    sys.release();
  }
}

/** Runs a synchronous `fs` call that takes two paths (a rename). */
export function withSysPaths<T>(
  from: string,
  to: string,
  use: (from: string | Buffer, to: string | Buffer) => T,
): T {
  const a = openSysPath(from);
  try {
    const b = openSysPath(to);
    try {
      return use(a.path, b.path);
    } finally {
      b.release();
    }
  } finally {
    a.release();
  }
}

/** Whether a path is longer than the system takes directly (it goes through an open folder). */
export function isLongPath(absolute: string): boolean {
  return absolute.length * 3 > DIRECT_PATH_BYTES && encodeName(absolute).length > DIRECT_PATH_BYTES;
}

/** Whether the system takes a path as the string itself: UTF-8 names, within the length. */
export function isPlainPath(absolute: string): boolean {
  return !hasRawBytes(absolute) && !isLongPath(absolute);
}
