import type { Stats } from 'node:fs';
import path from 'node:path';
import type { BackupKind } from '../../../src-shared/models/backup-manifest';
import type { Category } from '../../../src-shared/models/categories';
import { TendFailure } from '../../../src-shared/errors';
import { isTendEntry, type Categorizer } from '../root/category-rules';
import { resolveLink } from '../fs/link-target';
import { displayName } from '../fs/raw-name';
import { lstatEntry, readFolder, readFolderNames, readLink, type FolderEntry } from '../fs/sys-fs';
import { describeFsError } from '../fs/fs-error';
import { LoopBudget } from '../fs/loop-budget';

/** One thing to archive, found by the scan. */
export type ScopeEntry =
  | { type: 'directory'; path: string; mode: number; mtimeMs: number }
  | { type: 'file'; path: string; mode: number; mtimeMs: number; size: number; category: Category }
  | {
      type: 'symlink';
      path: string;
      mode: number;
      mtimeMs: number;
      target: string;
      category: Category;
    };

/** Something the backup does not hold, and why: a restore keeps whatever is there. */
export interface LeftOut {
  readonly path: string;
  readonly reason: string;
}

/** What a backup covers. */
export interface BackupScope {
  readonly entries: ReadonlyArray<ScopeEntry>;
  readonly files: number;
  readonly bytes: number;
  /** What was left out (sockets, FIFOs, devices, folders that cannot be listed). */
  readonly skipped: ReadonlyArray<LeftOut>;
  /** What a person should know about entries that are in it (links leading outside). */
  readonly notes: ReadonlyArray<{ path: string; message: string }>;
}

/** How a scan treats what it cannot read. */
export interface ScanOptions {
  /** A folder or entry that cannot be read: fail the backup, or leave it out with a warning. */
  readonly unreadable?: 'fail' | 'warn';
  /** The root's category rules (the session's `categorize`). */
  readonly categorizer: Categorizer;
  /** Whether disposable files are held too (a safety snapshot of the paths a restore changes). */
  readonly includeDisposable?: boolean;
  /** Lists a folder (default: `readFolder` of fs/sys-fs.ts); tests make a folder unreadable. */
  readonly readFolder?: (absolute: string) => FolderEntry[];
}

/** The categories a kind covers when none are given (DESIGN §4). */
export function categoriesForKind(kind: BackupKind): ReadonlyArray<Category> {
  switch (kind) {
    case 'critical':
      return ['irreplaceable', 'rebuildable'];
    case 'database':
      // The database's dump is all it holds (added by the postgres-app profile), no files.
      return [];
    case 'pre-update':
    case 'full':
    case 'custom':
    case 'pre-restore':
    case 'pre-migration':
      return ['irreplaceable', 'rebuildable', 'redownloadable'];
  }
}

/**
 * Normalizes root-relative paths given by a caller; refuses any that leave the root. A
 * backslash is a separator only on Windows: elsewhere it is part of a name.
 */
export function normalizeScopePaths(
  paths: ReadonlyArray<string>,
  platform: NodeJS.Platform = process.platform,
): string[] {
  return paths.map((given) => {
    const slashed = platform === 'win32' ? given.replaceAll('\\', '/') : given;
    const normalized = path.posix.normalize(slashed).replace(/\/+$/, '');
    if (
      normalized === '' ||
      normalized === '.' ||
      normalized.startsWith('../') ||
      normalized === '..' ||
      path.posix.isAbsolute(normalized)
    ) {
      throw new TendFailure(
        'PATH_OUTSIDE_ROOT',
        `${displayName(given)} is not a path inside the data folder (give it relative to the folder).`,
      );
    }
    return normalized;
  });
}

interface Candidate {
  child: string;
  where: 'inside' | 'above';
  category: Category | null;
}

function touches(
  candidate: string,
  limits: ReadonlyArray<string> | null,
): 'inside' | 'above' | null {
  if (!limits) return 'inside';
  for (const limit of limits) {
    if (candidate === limit || candidate.startsWith(`${limit}/`)) return 'inside';
  }
  for (const limit of limits) {
    if (limit.startsWith(`${candidate}/`)) return 'above';
  }
  return null;
}

/** What a link in the live root points to (null when the path is not a link). */
export function liveLinkLookup(root: string): (relative: string) => string | null {
  return (relative) => {
    const absolute = path.join(root, relative);
    return lstatEntry(absolute)?.isSymbolicLink() ? readLink(absolute) : null;
  };
}

/**
 * Walks the root and lists what a backup of these categories (and paths) holds, in archive
 * order: a folder before what it holds, names sorted.
 *
 * Left out: `.tend/`, categories not asked for (disposable unless `includeDisposable`), sockets, FIFOs and
 * devices, and (with `unreadable: 'warn'`) what cannot be read; each left-out thing is named.
 * Names are exact bytes, whatever their encoding, and paths of any length are read.
 * Symlinks are listed as links, never followed; one leading outside the root gets a note, as
 * what it points to is not in the backup. A folder is listed when it holds something listed,
 * or is empty and of a category asked for, so an empty documents folder comes back.
 */
export async function scanScope(
  root: string,
  categories: ReadonlyArray<Category>,
  paths: ReadonlyArray<string> | null,
  options: ScanOptions,
): Promise<BackupScope> {
  const categorizer = options.categorizer;
  const list = options.readFolder ?? readFolder;
  const failOnUnreadable = (options.unreadable ?? 'fail') === 'fail';
  const wanted = new Set<Category>(
    categories.filter((category) => options.includeDisposable || category !== 'disposable'),
  );
  const entries: ScopeEntry[] = [];
  const skipped: LeftOut[] = [];
  const notes: Array<{ path: string; message: string }> = [];
  const linkAt = liveLinkLookup(root);
  const budget = new LoopBudget();
  let files = 0;
  let bytes = 0;

  const cannotRead = (relative: string, what: string, error: unknown) => {
    const reason = `cannot read ${what} (${describeFsError(error)})`;
    if (failOnUnreadable) {
      throw new TendFailure(
        'FILE_UNREADABLE',
        `Cannot read ${what} ${displayName(relative || root)} (${describeFsError(error)}). Fix its permissions, or set unreadable files to "warn" in Settings to leave such things out.`,
        { path: relative },
      );
    }
    skipped.push({ path: relative || '.', reason });
  };

  // Returns whether anything was listed under `relative`.
  async function walk(relative: string): Promise<boolean> {
    const absolute = relative ? path.join(root, relative) : root;
    let dirents: FolderEntry[];
    try {
      dirents = list(absolute);
    } catch (error) {
      cannotRead(relative, 'the folder', error);
      return false;
    }
    dirents.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    // Categories first, from the names alone: most of a root's files by count are disposable
    // caches and logs, and are never stat'ed. The rest are stat'ed together.
    const candidates = dirents.flatMap((dirent): Candidate[] => {
      const child = relative ? `${relative}/${dirent.name}` : dirent.name;
      if (relative === '' && isTendEntry(child)) return [];
      const where = touches(child, paths);
      if (!where) return [];
      if (dirent.kind === 'directory') return [{ child, where, category: null }];
      if (where !== 'inside') return [];
      const category = categorizer(child);
      if (!category || !wanted.has(category)) return [];
      return [{ child, where, category }];
    });
    // Synchronous, the loop given its turn every few milliseconds: an asynchronous lstat per
    // entry was a thread-pool hop each, and a folder of thousands settled in one long stretch
    // of callbacks while the web host waited (issue 13).
    const stats: Array<Stats | undefined | { error: unknown }> = [];
    for (const { child } of candidates) {
      if (budget.spent) await budget.pause();
      try {
        stats.push(lstatEntry(path.join(root, child)));
      } catch (error) {
        stats.push({ error });
      }
    }
    let listedAny = false;
    for (const [index, { child, where, category }] of candidates.entries()) {
      const stat = stats[index];
      // Gone since readdir: nothing to back up.
      if (!stat) continue;
      if ('error' in stat) {
        cannotRead(child, 'the entry', stat.error);
        continue;
      }
      if (stat.isDirectory()) {
        const at = entries.length;
        entries.push({ type: 'directory', path: child, mode: stat.mode, mtimeMs: stat.mtimeMs });
        const inner = await walk(child);
        // An empty folder takes the category a file inside it would have.
        const own = categorizer(`${child}/.empty`) ?? 'irreplaceable';
        const keep =
          inner || (where === 'inside' && wanted.has(own) && isEmptyFolder(path.join(root, child)));
        if (!keep) entries.splice(at, 1);
        listedAny ||= keep;
        continue;
      }
      if (!category) continue;
      if (stat.isSymbolicLink()) {
        let target: string;
        try {
          target = readLink(path.join(root, child));
        } catch (error) {
          cannotRead(child, 'the link', error);
          continue;
        }
        entries.push({
          type: 'symlink',
          path: child,
          mode: stat.mode,
          mtimeMs: stat.mtimeMs,
          target,
          category,
        });
        const leads = resolveLink(child, target, linkAt);
        if (!leads.inside) {
          notes.push({
            path: child,
            message: `Only the link is in this backup: ${leads.why}, outside the data folder, so what it points to is not backed up here. Back that up separately; a restore keeps this link as it is.`,
          });
        }
        listedAny = true;
      } else if (stat.isFile()) {
        entries.push({
          type: 'file',
          path: child,
          mode: stat.mode,
          mtimeMs: stat.mtimeMs,
          size: stat.size,
          category,
        });
        files += 1;
        bytes += stat.size;
        listedAny = true;
      } else {
        skipped.push({
          path: child,
          reason: 'not a regular file (a socket, FIFO or device); a restore keeps it as it is',
        });
      }
    }
    return listedAny;
  }

  await walk('');
  return { entries, files, bytes, skipped, notes };
}

function isEmptyFolder(absolute: string): boolean {
  try {
    return readFolderNames(absolute).length === 0;
  } catch {
    return false;
  }
}
