/**
 * One model of what a restore changes, read by every view of it: the preview, the
 * confirmation, the report and the last-restore panel, so they never contradict each other.
 *
 * The engine counts a plan and a report a little differently: a plan's `replaced` includes the
 * files that look unchanged (same size and time), counted again in `unchanged`; a report's
 * `replaced` leaves out the files found identical by SHA-256, counted in `unchanged`. Here
 * both become the same four numbers, which add up to every file in the restore's scope.
 */
import { countOf, formatCount, nounFor } from '../language/counts';
import type { RestorePlan, RestoreReport } from './restore';

/** What a restore changes (or changed), file by file. */
export interface RestoreCounts {
  /** Files the backup brings back that are not there now. */
  readonly added: number;
  /** Files whose content the backup replaces. */
  readonly replaced: number;
  /** Files already the same as in the backup: left alone, not snapshotted, not rewritten. */
  readonly identical: number;
  /** Files the backup does not hold, taken away. */
  readonly removed: number;
  /**
   * How `identical` was known: in a plan, by size and time (the restore checks each by
   * SHA-256 before it changes anything); in a report, by SHA-256.
   */
  readonly basis: 'plan' | 'report';
}

type Totals = RestorePlan['totals'];

/** A plan's counts: the files that look unchanged are not counted as replaced. */
export function planCounts(totals: Totals): RestoreCounts {
  const identical = Math.min(totals.unchanged, totals.replaced);
  return {
    added: totals.added,
    replaced: totals.replaced - identical,
    identical,
    removed: totals.removed,
    basis: 'plan',
  };
}

/** A report's counts, as the restore found them. */
export function reportCounts(totals: RestoreReport['totals']): RestoreCounts {
  return {
    added: totals.added,
    replaced: totals.replaced,
    identical: totals.unchanged,
    removed: totals.removed,
    basis: 'report',
  };
}

/** Files the restore changes (or changed): added, replaced and removed. */
export function changedFiles(counts: RestoreCounts): number {
  return counts.added + counts.replaced + counts.removed;
}

/**
 * The counts in one sentence, the same words in every view. A plan: "2 files to replace, 1 to
 * bring back; 25 files look identical and are left alone." A report: "2 files replaced, 1
 * brought back; 25 files were identical and left alone."
 */
export function describeRestoreCounts(counts: RestoreCounts): string {
  const plan = counts.basis === 'plan';
  const words = plan
    ? { replaced: 'to replace', added: 'to bring back', removed: 'to remove' }
    : { replaced: 'replaced', added: 'brought back', removed: 'removed' };
  const parts = (['replaced', 'added', 'removed'] as const)
    .filter((key) => counts[key] > 0)
    .map((key, index) =>
      index === 0
        ? `${countOf(counts[key], 'file')} ${words[key]}`
        : `${formatCount(counts[key])} ${words[key]}`,
    );
  const changed =
    parts.length > 0 ? parts.join(', ') : plan ? 'Nothing to change' : 'No file changed';
  if (counts.identical === 0) return `${changed}.`;
  // Intl's plural rules decide the verb too: "1 file looks", "25 files look".
  const one = nounFor(counts.identical, 'file') === 'file';
  const same = plan
    ? `${countOf(counts.identical, 'file')} ${one ? 'looks' : 'look'} identical and ${one ? 'is' : 'are'} left alone`
    : `${countOf(counts.identical, 'file')} ${one ? 'was' : 'were'} identical and left alone`;
  return `${changed}; ${same}.`;
}

/**
 * Why a restore offers no undo, in words, or null when it can be undone. Its safety snapshot
 * holds what it replaced and removed; a restore that replaced and removed nothing took none.
 */
export function whyNoUndo(report: RestoreReport): string | null {
  if (report.undo) return 'This was the undo of an earlier restore; it cannot be undone in turn.';
  if (report.outcome !== 'restored') {
    return 'Nothing changed: everything was put back as it was, so there is nothing to undo.';
  }
  if (report.safetySnapshot !== null) return null;
  const counts = reportCounts(report.totals);
  if (counts.added > 0) {
    return `Nothing was replaced or removed, so no safety snapshot was needed and there is no undo. To take this restore back, delete the ${countOf(counts.added, 'file')} it brought back.`;
  }
  return 'Every file was already identical to the backup, so nothing was changed and there is nothing to undo.';
}
