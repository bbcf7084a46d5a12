import fs from 'node:fs/promises';
import path from 'node:path';
import { categories, type Category } from '../../../src-shared/models/categories';
import type { UsageSummary } from '../../../src-shared/models/root';
import {
  categorize as defaultCategorize,
  type Categorizer,
  TEND_DIR,
} from '../root/category-rules';

/**
 * Sums the apparent size of a root by category with lstat.
 *
 * Symlinks count as links (never followed), hard-linked files count once, and Tend's own
 * `.tend/` is left out: it is not the user's data.
 */
export async function summarizeUsage(
  root: string,
  categorize: Categorizer = defaultCategorize,
): Promise<UsageSummary> {
  const started = performance.now();
  const totals = new Map<Category, { bytes: number; files: number }>(
    categories.map((category) => [category, { bytes: 0, files: 0 }]),
  );
  const seenInodes = new Set<string>();

  async function walk(folder: string, relative: string): Promise<void> {
    const dir = await fs.opendir(folder);
    const subfolders: Array<[string, string]> = [];
    const files: Array<[string, string]> = [];
    for await (const entry of dir) {
      const childRelative = relative ? `${relative}/${entry.name}` : entry.name;
      if (!relative && entry.name === TEND_DIR) continue;
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) subfolders.push([full, childRelative]);
      else if (entry.isFile() || entry.isSymbolicLink()) files.push([full, childRelative]);
    }
    const stats = await Promise.all(files.map(([full]) => fs.lstat(full, { bigint: false })));
    stats.forEach((stat, index) => {
      if (stat.nlink > 1 && stat.isFile()) {
        const key = `${stat.dev}:${stat.ino}`;
        if (seenInodes.has(key)) return;
        seenInodes.add(key);
      }
      const category = categorize(files[index]![1]);
      if (!category) return;
      const total = totals.get(category)!;
      total.bytes += stat.size;
      total.files += 1;
    });
    for (const [full, childRelative] of subfolders) await walk(full, childRelative);
  }

  await walk(root, '');
  const list = categories.map((category) => ({ category, ...totals.get(category)! }));
  return {
    root,
    totalBytes: list.reduce((sum, item) => sum + item.bytes, 0),
    totalFiles: list.reduce((sum, item) => sum + item.files, 0),
    categories: list,
    measuredAt: new Date().toISOString(),
    durationMs: Math.round(performance.now() - started),
  };
}
