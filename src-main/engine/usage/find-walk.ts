import { spawn, spawnSync } from 'node:child_process';
import { decodeName } from '../fs/raw-name';
import { TEND_DIR, TEND_STAGING_PREFIX } from '../root/category-rules';

/**
 * One entry as GNU find printed it. The walk hands the same object to every call, filled
 * anew: copy what you keep.
 */
export interface FoundEntry {
  /** 'd' a folder, 'h' anything else with several hard links, 'f' anything else. */
  kind: 'd' | 'h' | 'f';
  /** 1 for the root's entries. */
  depth: number;
  /** Its name: exact (raw-name.ts escapes) when it is not UTF-8. */
  name: string;
  /** Whether the name is not valid UTF-8 (or holds U+FFFD): its folder is read exactly. */
  rawName: boolean;
  size: number;
  /** 512-byte blocks, as lstat's `blocks`. */
  blocks: number;
  /** As lstat's `mtimeMs` (seconds × 1000 + nanoseconds / 1e6, as Node computes it). */
  mtimeMs: number;
  /** Folders only: as lstat's `ino` and `ctimeMs`. */
  ino: number;
  ctimeMs: number;
  /** 'h' only: `dev:ino`, the key a file with several links counts once by. */
  linkKey: string;
}

/** Why find cannot walk this tree (not GNU, an error, a figure it printed we cannot take). */
export class FindUnusable extends Error {}

/**
 * The `-printf` formats: a folder, a non-folder with several links, any other entry. The name
 * comes last, so it may hold any byte but NUL, which ends each entry. %b is in 512-byte units.
 */
const FOLDER = 'd %d %s %b %i %T@ %C@ %f\\0';
const LINKED = 'h %d %s %b %T@ %D:%i %f\\0';
const OTHER = 'f %d %s %b %T@ %f\\0';
/** How many fields come before the name, by kind. */
const FIELDS = { d: 7, h: 6, f: 5 } as const;

let gnuFind: boolean | undefined;

/** Whether `find` here is GNU findutils (Linux); asked once a process. */
export function hasGnuFind(): boolean {
  if (gnuFind === undefined) {
    if (process.platform !== 'linux') gnuFind = false;
    else {
      const version = spawnSync('find', ['--version'], { encoding: 'utf8', timeout: 5_000 });
      gnuFind = version.status === 0 && /GNU findutils/.test(version.stdout ?? '');
    }
  }
  return gnuFind;
}

/** The arguments that walk a root from inside it (`.`), `.tend/` and staging folders pruned. */
export function findArguments(): string[] {
  return [
    '.',
    '-mindepth',
    '1',
    '(',
    '-path',
    `./${TEND_DIR}`,
    '-o',
    '-path',
    `./${TEND_STAGING_PREFIX}*`,
    ')',
    '-prune',
    '-o',
    '-type',
    'd',
    '-printf',
    FOLDER,
    '-o',
    '-links',
    '+1',
    '-printf',
    LINKED,
    '-o',
    '-printf',
    OTHER,
  ];
}

/**
 * Walks `root` with GNU find in a process of its own (its lstat calls on the other core) and
 * calls `visit` for every entry, in find's order (a folder, then its entries, depth first),
 * as the output streams in. `visit` may return a promise (the scanner's pauses): the output
 * waits for it. Throws FindUnusable when find writes an error or exits with one, so the caller
 * can walk with Node's calls instead; the abort signal stops find.
 */
export async function walkWithFind(
  root: string,
  visit: (entry: FoundEntry) => void | Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  const child = spawn('find', findArguments(), {
    cwd: root,
    env: { ...process.env, LC_ALL: 'C' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let failure = '';
  child.stderr.on('data', (chunk: Buffer) => {
    failure += chunk.toString();
    child.kill();
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', (error) => reject(new FindUnusable(error.message)));
    child.on('close', (code) => resolve(code));
  });
  // Awaited once the output ends; a failed spawn must not count as unhandled meanwhile.
  exited.catch(() => undefined);
  const onAbort = () => child.kill();
  signal?.addEventListener('abort', onAbort);
  const entry: FoundEntry = {
    kind: 'f',
    depth: 0,
    name: '',
    rawName: false,
    size: 0,
    blocks: 0,
    mtimeMs: 0,
    ino: 0,
    ctimeMs: 0,
    linkKey: '',
  };
  try {
    let rest: Buffer | null = null;
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      if (failure) break;
      const buffer: Buffer = rest ? Buffer.concat([rest, chunk]) : chunk;
      const end = buffer.lastIndexOf(0);
      if (end === -1) {
        rest = buffer;
        continue;
      }
      rest = end + 1 < buffer.length ? buffer.subarray(end + 1) : null;
      const text = buffer.toString('utf8', 0, end + 1);
      if (text.includes('\uFFFD')) await parseExactly(buffer, end + 1, entry, visit);
      else {
        for (let at = 0; at < text.length;) {
          const stop = text.indexOf('\0', at);
          const nameAt = parseFields(text, at, entry);
          entry.name = text.slice(nameAt, stop);
          entry.rawName = false;
          const pending = visit(entry);
          if (pending) await pending;
          at = stop + 1;
        }
      }
    }
    signal?.throwIfAborted();
    const code = await exited;
    if (failure || code !== 0 || rest) {
      throw new FindUnusable(failure.trim() || `find exited with ${code}`);
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    if (child.exitCode === null) child.kill();
  }
}

/**
 * The entries of a chunk that holds a name that is not UTF-8: each name decoded on its own,
 * as raw-name.ts does (so it names exactly that file), the fields as ASCII.
 */
async function parseExactly(
  buffer: Buffer,
  length: number,
  entry: FoundEntry,
  visit: (entry: FoundEntry) => void | Promise<void>,
): Promise<void> {
  for (let at = 0; at < length;) {
    const stop = buffer.indexOf(0, at);
    let nameAt = at;
    const kind = String.fromCharCode(buffer[at]!) as FoundEntry['kind'];
    for (let fields = FIELDS[kind] ?? 0; fields > 0; fields--) {
      nameAt = buffer.indexOf(0x20, nameAt) + 1;
    }
    parseFields(buffer.toString('latin1', at, nameAt), 0, entry);
    const nameBytes = buffer.subarray(nameAt, stop);
    entry.name = decodeName(nameBytes);
    entry.rawName = nameBytes.toString('utf8').includes('\uFFFD');
    const pending = visit(entry);
    if (pending) await pending;
    at = stop + 1;
  }
}

/** Reads one entry's fields from `at` into `entry`; returns where its name starts. */
export function parseFields(text: string, at: number, entry: FoundEntry): number {
  const kind = text[at];
  if (kind !== 'd' && kind !== 'h' && kind !== 'f') {
    throw new FindUnusable(`find printed an entry we cannot read: ${text.slice(at, at + 40)}`);
  }
  entry.kind = kind;
  // Module state, not closures: this runs once an entry (and tsx names every closure it makes).
  line = text;
  pos = at + 2;
  entry.depth = integer();
  entry.size = integer();
  entry.blocks = integer();
  if (kind === 'd') {
    entry.ino = integer();
    entry.mtimeMs = time();
    entry.ctimeMs = time();
  } else {
    entry.mtimeMs = time();
    if (kind === 'h') {
      const keyAt = pos;
      integer();
      integer();
      entry.linkKey = text.slice(keyAt, pos - 1);
    }
  }
  return pos;
}

/** The text `parseFields` reads, and where. */
let line = '';
let pos = 0;

/** Digits, then the one character after them (a space, or ':' between device and inode). */
function integer(): number {
  let value = 0;
  let code = line.charCodeAt(pos);
  if (code < 48 || code > 57) throw badField();
  while (code >= 48 && code <= 57) {
    value = value * 10 + (code - 48);
    code = line.charCodeAt(++pos);
  }
  pos++;
  return value;
}

/**
 * %T@ and %C@: seconds, a point, then ten digits (nanoseconds and a zero), read as Node
 * computes `mtimeMs` (sec * 1e3 + nsec / 1e6), so they are the same double.
 */
function time(): number {
  let seconds = 0;
  let code = line.charCodeAt(pos);
  if (code < 48 || code > 57) throw badField();
  while (code >= 48 && code <= 57) {
    seconds = seconds * 10 + (code - 48);
    code = line.charCodeAt(++pos);
  }
  if (code !== 46) throw badField();
  let nanoseconds = 0;
  let digits = 0;
  code = line.charCodeAt(++pos);
  while (code >= 48 && code <= 57) {
    if (digits++ < 9) nanoseconds = nanoseconds * 10 + (code - 48);
    code = line.charCodeAt(++pos);
  }
  if (digits < 9) throw badField();
  pos++;
  return seconds * 1e3 + nanoseconds / 1e6;
}

function badField(): FindUnusable {
  return new FindUnusable(`find printed a figure we cannot read: ${line.slice(pos, pos + 40)}`);
}
