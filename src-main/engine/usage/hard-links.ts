import { categoryAt, type CategoryIndex } from './folder-categorizer';
import type { LargestFiles } from './largest-files';
import type { FolderRecord } from './usage-tree';

/** One link of a file with several hard links, where a scan met it. */
export interface LinkedFile {
  readonly folder: FolderRecord;
  /** Its index among the folder's files. */
  readonly index: number;
  /** Root-relative path. */
  readonly path: string;
  readonly apparent: number;
  readonly allocated: number;
  readonly mtimeMs: number;
  readonly category: CategoryIndex;
}

/**
 * The files with several hard links that a scan met, each counted once at the link whose path
 * sorts first, whatever order the walk met them in.
 *
 * Note: du counts a file at its first link in its own walk order. Our two walks (Node's calls,
 * GNU find) meet folders in different orders, so "first met" would put a file in different
 * folders; the path order gives both the same tree, and the totals are du's either way.
 */
export class HardLinks {
  private readonly files = new Map<string, LinkedFile>();

  /** How many files with several links were met. */
  get size(): number {
    return this.files.size;
  }

  /** Notes one link of the file `key` (device and inode); it counts once `settle` runs. */
  note(key: string, link: LinkedFile): void {
    const known = this.files.get(key);
    if (!known || link.path < known.path) this.files.set(key, link);
  }

  /**
   * Counts each file at its chosen link, once the walk is over: into its folder's figures and
   * every folder above it (their totals are complete by then), and offers it to the largest
   * files. Call it once.
   */
  settle(largest: LargestFiles): void {
    for (const link of this.files.values()) {
      const { folder, category } = link;
      add(folder.own, category * 3, link.apparent);
      add(folder.own, category * 3 + 1, link.allocated);
      add(folder.own, category * 3 + 2, 1);
      folder.ownFilesBytes += link.apparent;
      folder.fileSizes[link.index * 2] = link.apparent;
      folder.fileSizes[link.index * 2 + 1] = link.allocated;
      for (let node: FolderRecord | null = folder; node; node = node.parent) {
        add(node.total, category * 3, link.apparent);
        add(node.total, category * 3 + 1, link.allocated);
        add(node.total, category * 3 + 2, 1);
      }
      largest.offer(link.apparent, () => ({
        path: link.path,
        apparentBytes: link.apparent,
        allocatedBytes: link.allocated,
        category: categoryAt(category),
        modifiedAt: new Date(link.mtimeMs).toISOString(),
      }));
    }
  }
}

function add(figures: Float64Array, slot: number, value: number): void {
  figures[slot] = figures[slot]! + value;
}
