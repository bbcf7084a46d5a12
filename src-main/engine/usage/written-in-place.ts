import type fs from 'node:fs';
import type { LargeFile } from '../../../src-shared/models/usage';
import type { LoopBudget } from '../fs/loop-budget';
import { needsExactPath, statEntry } from './entry-stat';
import { categoryAt } from './folder-categorizer';
import { LargestFiles } from './largest-files';
import type { UsageScan } from './scanner';
import { nameIndexer, type FolderRecord } from './usage-tree';

/** One file written in place: where it stands in the tree, and its lstat now. */
interface WrittenFile {
  /** The folders from the root down to the file's own. */
  readonly chain: ReadonlyArray<FolderRecord>;
  /** Its index among its folder's files. */
  readonly index: number;
  /** Its folder's root-relative path with a trailing slash ('' for the root), and its name. */
  readonly prefix: string;
  readonly name: string;
  readonly stat: fs.Stats;
}

/** What `applyWrittenFiles` did. */
export interface WrittenInPlace {
  /** The largest files once the files are applied. */
  readonly largest: LargeFile[];
  /** How many files were lstat-ed. */
  readonly checked: number;
  /** The files it left alone because their folder is listed again (named as changed). */
  readonly rest: ReadonlySet<string>;
}

/**
 * Applies files written in place (a growing log, a cache file rewritten) to a scan's tree
 * where it stands: each file is lstat-ed, and its folder's figures and those of every folder
 * above it move by what the file grew or shrank. A file costs one lstat and the depth of its
 * folder; nothing else in the tree is looked at or copied.
 *
 * Files whose folder the watcher named as changed are left to the caller (`rest`: the folder
 * is listed again anyway). Null, with the tree untouched, when one file cannot be applied so
 * simply (gone, now a folder, a name its folder does not hold, several hard links, its folder
 * not in the tree) or when the largest files could not stay exact: the caller then updates
 * the slow way, which knows what to do in each case.
 *
 * Note: the tree is changed in place (the caller's scan is replaced by the result). Each file
 * is applied whole before the event loop may run, so a reader in between sees folders that
 * add up.
 */
export async function applyWrittenFiles(
  scan: UsageScan,
  files: ReadonlySet<string>,
  changedFolders: ReadonlySet<string>,
  budget: LoopBudget,
  signal?: AbortSignal,
): Promise<WrittenInPlace | null> {
  const byFolder = new Map<string, string[]>();
  const rest = new Set<string>();
  for (const file of files) {
    const slash = file.lastIndexOf('/');
    const folder = slash === -1 ? '' : file.slice(0, slash);
    if (changedFolders.has(folder)) {
      rest.add(file);
      continue;
    }
    const names = byFolder.get(folder);
    if (names) names.push(file.slice(slash + 1));
    else byFolder.set(folder, [file.slice(slash + 1)]);
  }

  const found: WrittenFile[] = [];
  const folders = new FolderFinder(scan.root);
  for (const [folderPath, names] of byFolder) {
    const chain = folders.chainTo(folderPath);
    if (!chain) return null;
    const folder = chain.at(-1)!;
    if (folder.fileSizes.length !== folder.fileCategories.length * 2) return null;
    const absolute = folderPath === '' ? scan.rootPath : `${scan.rootPath}/${folderPath}`;
    const exact = folder.exactNames || needsExactPath(absolute);
    const indexOf = nameIndexer(folder, names.length);
    const prefix = folderPath === '' ? '' : `${folderPath}/`;
    for (const name of names) {
      const index = indexOf(name);
      if (index === -1) return null;
      const stat = statEntry(`${absolute}/${name}`, exact);
      if (!stat || stat.isDirectory() || stat.nlink > 1) return null;
      found.push({ chain, index, prefix, name, stat });
      if (budget.spent) {
        await budget.pause();
        signal?.throwIfAborted();
      }
    }
  }

  const largest = largestAfter(scan, found);
  if (!largest) return null;
  for (const written of found) {
    applyOne(written);
    if (budget.spent) await budget.pause();
  }
  return { largest, checked: found.length, rest };
}

/**
 * Finds folders of a tree by their root-relative paths, remembering the chains it found (files
 * written in place share their folders' parents) and, for a folder with many subfolders, their
 * names in a map: a lookup costs the depth, not the number of siblings.
 */
class FolderFinder {
  private readonly chains = new Map<string, FolderRecord[] | null>();
  private readonly byName = new Map<FolderRecord, Map<string, FolderRecord>>();

  constructor(private readonly root: FolderRecord) {}

  /** The folders from the root down to `relative`, or null when it is not in the tree. */
  chainTo(relative: string): FolderRecord[] | null {
    if (relative === '') return [this.root];
    const known = this.chains.get(relative);
    if (known !== undefined) return known;
    const slash = relative.lastIndexOf('/');
    const above = this.chainTo(slash === -1 ? '' : relative.slice(0, slash));
    const child = above && this.child(above.at(-1)!, relative.slice(slash + 1));
    const chain = child ? [...above!, child] : null;
    this.chains.set(relative, chain);
    return chain;
  }

  private child(folder: FolderRecord, name: string): FolderRecord | undefined {
    if (folder.children.length < 16) return folder.child(name);
    let names = this.byName.get(folder);
    if (!names) {
      names = new Map(folder.children.map((child) => [child.name, child]));
      this.byName.set(folder, names);
    }
    return names.get(name);
  }
}

/** Moves a file's folder and every folder above it by what the file grew or shrank. */
function applyOne({ chain, index, stat }: WrittenFile): void {
  const folder = chain.at(-1)!;
  const category = folder.fileCategories[index]!;
  const apparent = stat.size;
  const allocated = stat.blocks * 512;
  const grewApparent = apparent - folder.fileSizes[index * 2]!;
  const grewAllocated = allocated - folder.fileSizes[index * 2 + 1]!;
  folder.fileSizes[index * 2] = apparent;
  folder.fileSizes[index * 2 + 1] = allocated;
  folder.own[category * 3]! += grewApparent;
  folder.own[category * 3 + 1]! += grewAllocated;
  folder.ownFilesBytes += grewApparent;
  for (const node of chain) {
    node.total[category * 3]! += grewApparent;
    node.total[category * 3 + 1]! += grewAllocated;
  }
}

/**
 * The largest files once the written files are applied: the scan's list without them, then
 * each offered at its new size. Null when that list cannot be exact: when the scan's list was
 * full (files left out of it were no larger than its smallest) and the new one is no longer
 * full of files at least that large, a file never kept may now belong in it.
 */
function largestAfter(scan: UsageScan, found: ReadonlyArray<WrittenFile>): LargeFile[] | null {
  const before = scan.largest;
  const wasFull = scan.largestCapacity > 0 && before.length >= scan.largestCapacity;
  // A file can be in the scan's list only if it was at least as large as the list's smallest
  // (or, the list not full, not empty): only those paths are built and looked for.
  const smallest = wasFull ? before.at(-1)!.apparentBytes : Number.MIN_VALUE;
  const reread = new Set<string>();
  for (const { chain, index, prefix, name } of found) {
    if (chain.at(-1)!.fileSizes[index * 2]! >= smallest) reread.add(prefix + name);
  }
  const heap = new LargestFiles(scan.largestCapacity);
  for (const file of before) {
    if (reread.size === 0 || !reread.has(file.path)) heap.offer(file.apparentBytes, () => file);
  }
  for (const { chain, index, prefix, name, stat } of found) {
    if (stat.size <= heap.threshold) continue;
    heap.offer(stat.size, () => ({
      path: prefix + name,
      apparentBytes: stat.size,
      allocatedBytes: stat.blocks * 512,
      category: categoryAt(chain.at(-1)!.fileCategories[index]!),
      modifiedAt: new Date(stat.mtimeMs).toISOString(),
    }));
  }
  if (wasFull && (heap.size < heap.capacity || heap.threshold < before.at(-1)!.apparentBytes)) {
    return null;
  }
  return heap.sorted();
}
