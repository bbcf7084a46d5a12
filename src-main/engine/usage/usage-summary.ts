import type { UsageSummary } from '../../../src-shared/models/root';
import { summaryOf } from '../../../src-shared/models/usage-summary';
import { diskSpace } from '../fs/free-space';
import type { CategoryRule } from '../root/category-rules';
import { scanUsage } from './scanner';
import { categoryUsage, sumFigures } from './usage-tree';
import { ONE_OFF_WATCH } from './usage-watcher';

/**
 * Sums the apparent size of a root by category with a fresh scan, as `du -sb` counts it.
 *
 * Symlinks count as links (never followed), hard-linked files count once, folders count their
 * own entries, and a `.tend/` an old Tend left is left out: it is not the user's data. The
 * open root's usage service answers `usage:summary` with a rescan instead; this is for one-off
 * callers, with the root's profile's rules.
 */
export async function summarizeUsage(
  root: string,
  rules: ReadonlyArray<CategoryRule>,
): Promise<UsageSummary> {
  const scan = await scanUsage(root, { largest: 0, rules });
  const totals = sumFigures(scan.root.total);
  return summaryOf({
    root,
    scannedAt: new Date().toISOString(),
    durationMs: scan.durationMs,
    complete: true,
    totals: { ...totals, folders: scan.root.folders },
    categories: categoryUsage(scan.root.total),
    disk: await diskSpace(root),
    stats: scan.stats,
    watch: ONE_OFF_WATCH,
  });
}
