import type { UsageSummary } from './root';
import type { UsageReport } from './usage';

/**
 * The foundation's `usage:summary` (apparent bytes by category) from a scan's report.
 *
 * Shared so the Overview can show the figures a `usage:updated` event carries without asking
 * again (asking would rescan a folder that is not watched).
 */
export function summaryOf(report: UsageReport): UsageSummary {
  return {
    root: report.root,
    totalBytes: report.totals.apparentBytes,
    totalFiles: report.totals.files,
    categories: report.categories.map((c) => ({
      category: c.category,
      bytes: c.apparentBytes,
      files: c.files,
    })),
    measuredAt: report.scannedAt,
    durationMs: report.durationMs,
    watch: report.watch,
  };
}
