import type { Dirent } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { BackupKind } from '../../../src-shared/models/backup-manifest';
import type { Category } from '../../../src-shared/models/categories';
import { TendFailure } from '../../../src-shared/errors';
import { categorize, TEND_DIR, type Categorizer } from '../root/category-rules';

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

/** What a backup covers. */
export interface BackupScope {
  readonly entries: ReadonlyArray<ScopeEntry>;
  readonly files: number;
  readonly bytes: number;
  /** Things left out that a person may want to know about (sockets, FIFOs). */
  readonly skipped: ReadonlyArray<{ path: string; reason: string }>;
}

/** The categories a kind covers when none are given (DESIGN §4). */
export function categoriesForKind(kind: BackupKind): ReadonlyArray<Category> {
  switch (kind) {
    case 'critical':
      return ['irreplaceable', 'rebuildable'];
    case 'full':
    case 'custom':
    case 'pre-restore':
    case 'pre-migration':
      return ['irreplaceable', 'rebuildable', 'redownloadable'];
  }
}

/** Normalizes root-relative paths given by a caller; refuses any that leave the root. */
export function normalizeScopePaths(paths: ReadonlyArray<string>): string[] {
  return paths.map((given) => {
    const normalized = path.posix.normalize(given.replaceAll('\\', '/')).replace(/\/+$/, '');
    if (
      normalized === '' ||
      normalized === '.' ||
      normalized.startsWith('../') ||
      normalized === '..' ||
      path.posix.isAbsolute(normalized)
    ) {
      throw new TendFailure(
        'PATH_OUTSIDE_ROOT',
        `${given} is not a path inside the data folder (give it relative to the folder).`,
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

/**
 * Walks the root and lists what a backup of these categories (and paths) holds, in archive
 * order: a folder before what it holds, names sorted.
 *
 * Left out: `.tend/`, categories not asked for (disposable always), sockets, FIFOs and devices.
 * Symlinks are listed as links, never followed. A folder is listed when it holds something
 * listed, or is empty and of a category asked for, so an empty documents folder comes back.
 */
export async function scanScope(
  root: string,
  categories: ReadonlyArray<Category>,
  paths: ReadonlyArray<string> | null,
  categorizer: Categorizer = categorize,
): Promise<BackupScope> {
  const wanted = new Set<Category>(categories.filter((category) => category !== 'disposable'));
  const entries: ScopeEntry[] = [];
  const skipped: Array<{ path: string; reason: string }> = [];
  let files = 0;
  let bytes = 0;

  // Returns whether anything was listed under `relative`.
  async function walk(relative: string): Promise<boolean> {
    const absolute = relative ? path.join(root, relative) : root;
    let dirents: Dirent[];
    try {
      dirents = await fs.readdir(absolute, { withFileTypes: true });
    } catch (error) {
      throw new TendFailure(
        'FILE_UNREADABLE',
        `Cannot read the folder ${relative || root}: ${(error as Error).message}`,
      );
    }
    dirents.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    // Categories first, from the names alone: most of a root's files by count are disposable
    // caches and logs, and are never stat'ed. The rest are stat'ed together.
    const candidates = dirents.flatMap((dirent): Candidate[] => {
      const child = relative ? `${relative}/${dirent.name}` : dirent.name;
      if (child === TEND_DIR) return [];
      const where = touches(child, paths);
      if (!where) return [];
      if (dirent.isDirectory()) return [{ child, where, category: null }];
      if (where !== 'inside') return [];
      const category = categorizer(child);
      if (!category || !wanted.has(category)) return [];
      return [{ child, where, category }];
    });
    const stats = await Promise.all(
      candidates.map(({ child }) => fs.lstat(path.join(root, child)).catch(() => null)),
    );
    let listedAny = false;
    for (const [index, { child, where, category }] of candidates.entries()) {
      const stat = stats[index];
      // Gone since readdir: nothing to back up.
      if (!stat) continue;
      if (stat.isDirectory()) {
        const at = entries.length;
        entries.push({ type: 'directory', path: child, mode: stat.mode, mtimeMs: stat.mtimeMs });
        const inner = await walk(child);
        // An empty folder takes the category a file inside it would have.
        const own = categorizer(`${child}/.empty`) ?? 'irreplaceable';
        const keep =
          inner ||
          (where === 'inside' &&
            wanted.has(own) &&
            (await fs.readdir(path.join(root, child))).length === 0);
        if (!keep) entries.splice(at, 1);
        listedAny ||= keep;
        continue;
      }
      if (!category) continue;
      if (stat.isSymbolicLink()) {
        const target = await fs.readlink(path.join(root, child));
        entries.push({
          type: 'symlink',
          path: child,
          mode: stat.mode,
          mtimeMs: stat.mtimeMs,
          target,
          category,
        });
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
        skipped.push({ path: child, reason: 'not a regular file (socket, FIFO or device)' });
      }
    }
    return listedAny;
  }

  await walk('');
  return { entries, files, bytes, skipped };
}
