/**
 * Which folders may be a data root, and which typed paths a channel may read or write: pure
 * decisions over a described machine (platform, home, Tend's state, the temp folder), so every
 * platform's rules are tested on any platform. The I/O (resolving links, looking at what is
 * there) stays in path-gate.ts and data-root.ts.
 */
import { realpathSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';

/** What the policy knows about the machine; tests pass their own. */
export interface PathEnvironment {
  readonly platform: NodeJS.Platform;
  /** The person's home folder. */
  readonly home: string;
  /** Tend's own state folder (what it remembers across roots). */
  readonly stateDir: string;
  /** The system's temp folder: inside it is allowed even where its parents are system folders. */
  readonly tempDir: string;
}

/** A folder with its links followed; for one not made yet, its deepest existing parent's. */
function realOrGiven(folder: string): string {
  const rest: string[] = [];
  let existing = path.resolve(folder);
  for (;;) {
    try {
      return path.join(realpathSync.native(existing), ...rest);
    } catch {
      const parent = path.dirname(existing);
      if (parent === existing) return path.resolve(folder);
      rest.unshift(path.basename(existing));
      existing = parent;
    }
  }
}

/**
 * The machine Tend runs on. Candidates are compared after their links are followed, so the
 * home, state and temp folders are too (macOS's temp folder lives behind /var → /private/var).
 */
export function currentEnvironment(stateDir: string): PathEnvironment {
  return {
    platform: process.platform,
    home: realOrGiven(homedir()),
    stateDir: realOrGiven(stateDir),
    tempDir: realOrGiven(tmpdir()),
  };
}

interface SystemFolders {
  /** Never a root, and nothing inside them is ever read or written. */
  readonly deep: ReadonlyArray<string>;
  /** Inside these, the `deep` rule does not apply (removable drives, temp folders). */
  readonly allowedInside: ReadonlyArray<string>;
  /** Never a root themselves (a `*` stands for one folder name); inside is fine. */
  readonly exact: ReadonlyArray<string>;
}

const linuxFolders: SystemFolders = {
  deep: [
    '/bin',
    '/boot',
    '/dev',
    '/etc',
    '/lib',
    '/lib32',
    '/lib64',
    '/libx32',
    '/lost+found',
    '/proc',
    '/run',
    '/sbin',
    '/snap',
    '/sys',
    '/usr',
    '/var',
  ],
  allowedInside: ['/run/media', '/var/tmp'],
  exact: [
    '/home',
    '/home/*',
    '/root',
    '/opt',
    '/srv',
    '/mnt',
    '/mnt/*',
    '/media',
    '/media/*',
    '/media/*/*',
    '/run/media/*',
    '/run/media/*/*',
    '/tmp',
    '/var/tmp',
  ],
};

const macFolders: SystemFolders = {
  deep: [
    '/Applications',
    '/Library',
    '/Network',
    '/System',
    '/bin',
    '/cores',
    '/dev',
    '/etc',
    '/private',
    '/sbin',
    '/usr',
    '/var',
  ],
  allowedInside: ['/private/tmp', '/private/var/folders', '/var/folders'],
  exact: [
    '/Users',
    '/Users/*',
    '/Users/Shared',
    '/Volumes',
    '/Volumes/*',
    '/opt',
    '/tmp',
    '/private/tmp',
  ],
};

const windowsFolders: SystemFolders = {
  deep: [
    '*:\\Windows',
    '*:\\Program Files',
    '*:\\Program Files (x86)',
    '*:\\ProgramData',
    '*:\\$Recycle.Bin',
    '*:\\System Volume Information',
    '*:\\Recovery',
    '*:\\PerfLogs',
  ],
  allowedInside: [],
  exact: ['*:\\Users', '*:\\Users\\*'],
};

/** Folders of a home that hold far more than an assistant's data; fine to hold a root inside. */
const homeFolders = [
  'AppData',
  'Desktop',
  'Documents',
  'Downloads',
  'Library',
  'Movies',
  'Music',
  'OneDrive',
  'Pictures',
  'Public',
  'Templates',
  'Videos',
];

/** Hidden folders of a home that hold keys and credentials: never a root, nor inside one. */
const secretFolders = [
  '.aws',
  '.azure',
  '.docker',
  '.gnupg',
  '.kube',
  '.password-store',
  '.pki',
  '.ssh',
];

/** The path functions and name comparison of a platform. */
interface Syntax {
  readonly path: typeof path.posix;
  /** Windows and macOS file systems do not tell `Users` from `users` by default. */
  readonly foldCase: boolean;
  readonly folders: SystemFolders;
}

function syntaxOf(platform: NodeJS.Platform): Syntax {
  if (platform === 'win32') return { path: path.win32, foldCase: true, folders: windowsFolders };
  if (platform === 'darwin') return { path: path.posix, foldCase: true, folders: macFolders };
  return { path: path.posix, foldCase: false, folders: linuxFolders };
}

/** A path's folder names from its root down, for comparing: `['/', 'usr', 'lib']`. */
function segments(syntax: Syntax, absolute: string): string[] {
  const resolved = syntax.path.resolve(absolute);
  const { root } = syntax.path.parse(resolved);
  const rest = resolved.slice(root.length).split(syntax.path.sep).filter(Boolean);
  const all = [root, ...rest];
  return syntax.foldCase ? all.map((part) => part.toLowerCase()) : all;
}

/** Whether one segment of a pattern (`*`, `*:\`, a name) matches a segment of a path. */
function segmentMatches(pattern: string, actual: string): boolean {
  if (pattern === '*') return true;
  // A drive root of any letter.
  if (pattern === '*:\\') return /^[a-z]:\\$/i.test(actual);
  return pattern === actual;
}

function patternSegments(syntax: Syntax, pattern: string): string[] {
  if (pattern.startsWith('*:\\')) {
    const rest = pattern.slice(3).split('\\').filter(Boolean);
    return ['*:\\', ...(syntax.foldCase ? rest.map((part) => part.toLowerCase()) : rest)];
  }
  return segments(syntax, pattern);
}

/** Whether `candidate` is `parent` itself (`exact`) or lies below it (`inside`), or neither. */
function relation(
  parent: ReadonlyArray<string>,
  candidate: ReadonlyArray<string>,
): 'exact' | 'inside' | null {
  if (candidate.length < parent.length) return null;
  for (let index = 0; index < parent.length; index++) {
    if (!segmentMatches(parent[index]!, candidate[index]!)) return null;
  }
  return candidate.length === parent.length ? 'exact' : 'inside';
}

function relate(syntax: Syntax, parent: string, candidate: string): 'exact' | 'inside' | null {
  return relation(patternSegments(syntax, parent), segments(syntax, candidate));
}

/** Whether `candidate` is `parent` or lies below it, on the given platform. */
export function isSameOrInside(
  platform: NodeJS.Platform,
  parent: string,
  candidate: string,
): boolean {
  return relate(syntaxOf(platform), parent, candidate) !== null;
}

/**
 * The system folder `candidate` is or lies in, or null. Inside a removable-drive or temp
 * folder the system rule does not apply.
 */
function systemFolderOf(syntax: Syntax, env: PathEnvironment, candidate: string): string | null {
  const allowed = [...syntax.folders.allowedInside, env.tempDir];
  if (allowed.some((folder) => relate(syntax, folder, candidate) === 'inside')) return null;
  return syntax.folders.deep.find((folder) => relate(syntax, folder, candidate) !== null) ?? null;
}

/** The hidden entry of the home folder `candidate` is or lies in (`.ssh`, `.bashrc`), or null. */
function homeDotEntryOf(syntax: Syntax, env: PathEnvironment, candidate: string): string | null {
  const home = segments(syntax, env.home);
  const parts = segments(syntax, candidate);
  if (relation(home, parts) !== 'inside') return null;
  const first = parts[home.length]!;
  return first.startsWith('.') ? first : null;
}

/** Whether a path is absolute on the platform (and not a Windows device path). */
function isPlainAbsolute(syntax: Syntax, candidate: string): boolean {
  if (candidate.includes('\0')) return false;
  if (syntax.path === path.win32 && /^[\\/]{2}[?.][\\/]/.test(candidate)) return false;
  return syntax.path.isAbsolute(candidate);
}

/**
 * Why a folder can never be a data root, in words a person can act on; null when it can be.
 *
 * Refused: the top of a disk, the home folder, any folder that holds the home folder or Tend's
 * state, a system folder or anything in one, a home's Documents-like folders themselves, hidden
 * folders of the home (and anything in those that hold keys), Tend's own state, and a backup
 * destination or a folder that holds one. `destinations` are the backup folders Tend knows.
 */
export function rootRefusal(
  folder: string,
  env: PathEnvironment,
  destinations: ReadonlyArray<string> = [],
): string | null {
  const syntax = syntaxOf(env.platform);
  if (!isPlainAbsolute(syntax, folder)) return `Give the data folder as an absolute path.`;
  const resolved = syntax.path.resolve(folder);
  if (syntax.path.parse(resolved).root === resolved) {
    return `${folder} is the top of a disk; it holds far more than an assistant's data.`;
  }
  const home = relate(syntax, folder, env.home);
  if (home === 'exact') {
    return `${folder} is your home folder; it holds far more than an assistant's data.`;
  }
  if (home === 'inside') return `${folder} holds your home folder.`;
  const state = relate(syntax, env.stateDir, folder);
  if (state !== null) return `${folder} is inside Tend's own state folder ${env.stateDir}.`;
  if (relate(syntax, folder, env.stateDir) !== null) {
    return `${folder} holds Tend's own state folder ${env.stateDir}.`;
  }
  const system = systemFolderOf(syntax, env, folder);
  if (system !== null) return `${folder} is a system folder (${system}), not an assistant's data.`;
  const allowedExact = [...syntax.folders.exact, env.tempDir];
  if (allowedExact.some((pattern) => relate(syntax, pattern, folder) === 'exact')) {
    return `${folder} is a system or shared folder; it holds far more than an assistant's data.`;
  }
  const dot = homeDotEntryOf(syntax, env, folder);
  if (dot !== null) {
    const secret = secretFolders.some(
      (name) => (syntax.foldCase ? name.toLowerCase() : name) === dot,
    );
    const depth = segments(syntax, folder).length - segments(syntax, env.home).length;
    if (secret) return `${folder} is in ${dot} of your home, which holds keys or credentials.`;
    if (depth === 1) return `${folder} is a hidden settings folder of your home.`;
  }
  const named = homeFolders.find(
    (name) => relate(syntax, syntax.path.join(env.home, name), folder) === 'exact',
  );
  if (named !== undefined) {
    return `${folder} is your ${named} folder; it holds far more than an assistant's data. Choose or create a folder inside it.`;
  }
  for (const destination of destinations) {
    if (relate(syntax, destination, folder) !== null) {
      return `${folder} is a backup destination (${destination}); backups and the data they protect are kept apart.`;
    }
    if (relate(syntax, folder, destination) !== null) {
      return `${folder} holds the backup destination ${destination}.`;
    }
  }
  return null;
}

/**
 * What a channel does with a typed path: reads it, writes it, or exports to it (a write that
 * must land outside the data folder, where it could replace the assistant's own files).
 */
export type PathUse = 'read' | 'write' | 'export';

/**
 * Why a typed path may not be read or written, in words a person can act on; null when it may.
 *
 * Only absolute paths, never in a system folder, Tend's state (its own folder, and `.tend/`
 * of `root` when one is open) or a hidden entry of the home (`~/.bashrc`, `~/.ssh/…`); a write
 * never lands at the top of a disk, and an export never inside the open data folder.
 */
export function typedPathRefusal(
  candidate: string,
  use: PathUse,
  env: PathEnvironment,
  root: string | null = null,
): string | null {
  const syntax = syntaxOf(env.platform);
  if (!isPlainAbsolute(syntax, candidate)) {
    return `Give an absolute path, not ${candidate}.`;
  }
  const resolved = syntax.path.resolve(candidate);
  if (use !== 'read') {
    const parent = syntax.path.dirname(resolved);
    if (syntax.path.parse(parent).root === parent) {
      return `${candidate} is the top of a disk.`;
    }
  }
  if (use === 'export' && root !== null && relate(syntax, root, resolved) !== null) {
    return `${candidate} is inside the data folder, where an export could replace the assistant's own files; export to a folder outside it.`;
  }
  const system = systemFolderOf(syntax, env, resolved);
  if (system !== null) return `${candidate} is in a system folder (${system}).`;
  if (relate(syntax, env.stateDir, resolved) !== null) {
    return `${candidate} is in Tend's own state folder ${env.stateDir}.`;
  }
  if (root !== null && relate(syntax, syntax.path.join(root, '.tend'), resolved) !== null) {
    return `${candidate} is in Tend's state inside the data folder (.tend).`;
  }
  const dot = homeDotEntryOf(syntax, env, resolved);
  if (dot !== null) {
    return `${candidate} is in ${dot} of your home folder, where programs keep settings and keys; Tend does not ${use === 'read' ? 'read' : 'write'} there.`;
  }
  return null;
}
