import fs from 'node:fs';
import type { LargeFile } from '../../../src-shared/models/usage';
import { LoopBudget } from '../fs/loop-budget';
import { categoryAt } from './folder-categorizer';
import { LargestFiles } from './largest-files';
import type { UsageScan } from './scanner';
import type { FolderRecord } from './usage-tree';

/**
 * The `count` largest files under a folder of a scan, exactly.
 *
 * The scan's own list of the largest files answers when it holds at least `count` files of the
 * folder (any other file of the folder is smaller than all of them), or when it is not full
 * (then it holds every non-empty file). Otherwise the folder's files, whose names the scan kept,
 * are lstat-ed again, in slices so the process keeps answering.
 */
export async function largestInFolder(
  scan: UsageScan,
  folder: FolderRecord,
  count: number,
): Promise<LargeFile[]> {
  const prefix = folder.path === '' ? '' : `${folder.path}/`;
  const known = scan.largest.filter((file) => file.path.startsWith(prefix));
  if (known.length >= count || scan.largest.length < scan.largestCapacity) {
    return known.slice(0, count);
  }
  const heap = new LargestFiles(count);
  const stack = [folder];
  const budget = new LoopBudget();
  while (stack.length > 0) {
    const current = stack.pop()!;
    stack.push(...current.children);
    const names = current.fileNames();
    const base = current.path === '' ? scan.rootPath : `${scan.rootPath}/${current.path}`;
    for (let index = 0; index < names.length; index++) {
      if (index % 256 === 255) await budget.maybePause();
      const stat = fs.lstatSync(`${base}/${names[index]!}`, { throwIfNoEntry: false });
      if (!stat || stat.size <= heap.threshold) continue;
      const relative = current.path === '' ? names[index]! : `${current.path}/${names[index]!}`;
      heap.offer(stat.size, () => ({
        path: relative,
        apparentBytes: stat.size,
        allocatedBytes: stat.blocks * 512,
        category: categoryAt(current.fileCategories[index]!),
        modifiedAt: new Date(stat.mtimeMs).toISOString(),
      }));
    }
    await budget.maybePause();
  }
  return heap.sorted();
}
