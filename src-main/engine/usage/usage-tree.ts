import { categories, type Category } from '../../../src-shared/models/categories';
import type { CategoryUsage, UsageNode } from '../../../src-shared/models/usage';

/** Figures kept per folder: apparent, allocated and files for each category, in one array. */
export const SIZE_SLOTS = categories.length * 3;

/**
 * One folder as the scanner keeps it between scans.
 *
 * Note: there is no object per file. A folder keeps its files' names (to lstat them again
 * without listing the folder when it did not change) and their categories as one byte each;
 * sizes are summed into the folder's arrays.
 */
export class FolderRecord {
  readonly children: FolderRecord[] = [];
  /**
   * Names of the entries that are not folders, joined by '/' (the one character a name cannot
   * hold): one string a folder instead of one a file halves the memory a million files take.
   */
  fileNamesJoined = '';
  /** Category index of each file name, in order. */
  fileCategories: Uint8Array = new Uint8Array(0);
  /**
   * Apparent and allocated bytes of each file, in order (two numbers a file; 0 for a hard
   * link counted elsewhere): an update of a file written in place subtracts what it was.
   */
  fileSizes: Float64Array = new Float64Array(0);
  /** Category index of the folder's own entry. */
  selfCategory = 0;
  /** Figures of this folder's own entry and the files directly in it. */
  readonly own = new Float64Array(SIZE_SLOTS);
  /** Figures of everything below, this folder included. */
  readonly total = new Float64Array(SIZE_SLOTS);
  /** Apparent bytes of the files directly in this folder. */
  ownFilesBytes = 0;
  /** Folders below this one, at any depth. */
  folders = 0;
  /** What the folder's entry looked like when it was listed; a rescan compares. */
  ino = 0;
  mtimeMs = 0;
  ctimeMs = 0;
  /** When it was listed (ms since the epoch), for the racy-timestamp rule. */
  listedAtMs = 0;
  /**
   * Whether its entries are reached through fs/sys-fs.ts: a name that is not UTF-8 (held as
   * raw-name.ts escapes it) or a path past the system's limit.
   */
  exactNames = false;

  constructor(
    readonly name: string,
    /** Root-relative path with forward slashes; '' for the root. */
    readonly path: string,
    /** Changes when an update takes this folder whole into a new tree (scanner.ts). */
    public parent: FolderRecord | null,
  ) {}

  /** The names of the files directly in this folder. */
  fileNames(): string[] {
    return this.fileCategories.length === 0 ? [] : this.fileNamesJoined.split('/');
  }

  /** The child folder with this name, if any. */
  child(name: string): FolderRecord | undefined {
    return this.children.find((child) => child.name === name);
  }
}

/** Finds a folder by its root-relative path. */
export function findFolder(root: FolderRecord, relative: string): FolderRecord | null {
  let node: FolderRecord | undefined = root;
  for (const part of relative.split('/').filter(Boolean)) {
    node = node.child(part);
    if (!node) return null;
  }
  return node;
}

/** Sums one array of figures into sizes by category. */
export function categoryUsage(figures: Float64Array): CategoryUsage[] {
  return categories.map((category, index) => ({
    category,
    apparentBytes: figures[index * 3]!,
    allocatedBytes: figures[index * 3 + 1]!,
    files: figures[index * 3 + 2]!,
  }));
}

/** Apparent, allocated and files over every category. */
export function sumFigures(figures: Float64Array): {
  apparentBytes: number;
  allocatedBytes: number;
  files: number;
} {
  let apparentBytes = 0;
  let allocatedBytes = 0;
  let files = 0;
  for (let index = 0; index < categories.length; index++) {
    apparentBytes += figures[index * 3]!;
    allocatedBytes += figures[index * 3 + 1]!;
    files += figures[index * 3 + 2]!;
  }
  return { apparentBytes, allocatedBytes, files };
}

/** How many children a node lists at most; the rest are counted, too small to draw. */
export const MAX_CHILDREN = 60;

/** A folder and its subfolders down to `depth` levels, largest first, for the UI. */
export function toUsageNode(folder: FolderRecord, depth: number): UsageNode {
  const byCategory = Object.fromEntries(
    categories.map((category, index) => [category, folder.total[index * 3]!]),
  ) as Record<Category, number>;
  const sorted =
    depth > 0 ? [...folder.children].sort((a, b) => apparentOf(b) - apparentOf(a)) : [];
  const shown = sorted.slice(0, MAX_CHILDREN);
  const sums = sumFigures(folder.total);
  return {
    path: folder.path,
    name: folder.name,
    apparentBytes: sums.apparentBytes,
    allocatedBytes: sums.allocatedBytes,
    files: sums.files,
    folders: folder.folders,
    byCategory,
    children: shown.map((child) => toUsageNode(child, depth - 1)),
    omittedChildren: folder.children.length - shown.length,
    ownFilesBytes: folder.ownFilesBytes,
  };
}

/** Apparent bytes of a folder and everything below it. */
export function apparentOf(folder: FolderRecord): number {
  let sum = 0;
  for (let index = 0; index < categories.length; index++) sum += folder.total[index * 3]!;
  return sum;
}

/**
 * How to find names among a folder's files: `nameIndex` for a few, a map built once for many
 * (each `nameIndex` reads the joined names from the start).
 */
export function nameIndexer(folder: FolderRecord, wanted: number): (name: string) => number {
  if (wanted < 8) return (name) => nameIndex(folder.fileNamesJoined, name);
  const names = folder.fileNames();
  const at = new Map<string, number>();
  for (let index = names.length - 1; index >= 0; index--) at.set(names[index]!, index);
  return (name) => at.get(name) ?? -1;
}

/** Where a name is among names joined by '/' (the order of a folder's files), or -1. */
export function nameIndex(joined: string, name: string): number {
  for (let at = joined.indexOf(name); at !== -1; at = joined.indexOf(name, at + 1)) {
    const end = at + name.length;
    if ((at === 0 || joined[at - 1] === '/') && (end === joined.length || joined[end] === '/')) {
      let index = 0;
      for (let slash = joined.indexOf('/'); slash !== -1 && slash < at;) {
        index++;
        slash = joined.indexOf('/', slash + 1);
      }
      return index;
    }
  }
  return -1;
}
