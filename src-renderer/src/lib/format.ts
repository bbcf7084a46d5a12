import { countOf } from '../../../src-shared/language/counts';

// Sizes, counts and dates read the same in the app and on the command line: one home for
// each, in src-shared/language. The renderer's pages import them from here.
export { formatBytes } from '../../../src-shared/language/bytes';
export { countOf, countOfTotal, formatCount, nounFor } from '../../../src-shared/language/counts';
export { formatAgo, formatDateTime, formatDay } from '../../../src-shared/language/dates';
export { formatEta } from '../../../src-shared/language/durations';

/** "1 file", "2,345 files". */
export function formatFiles(count: number): string {
  return countOf(count, 'file');
}

/** A part of a whole as a percentage; tiny non-zero parts say "<0.1%" rather than "0%". */
export function formatShare(part: number, whole: number): string {
  if (whole <= 0 || part <= 0) return '0%';
  const percent = (part / whole) * 100;
  if (percent < 0.1) return '<0.1%';
  // Round before choosing the precision, so 9.99% reads "10%" as 10.01% does, not "10.0%".
  const tenths = Math.round(percent * 10) / 10;
  return `${tenths >= 10 ? Math.round(percent) : tenths.toFixed(1)}%`;
}

/** A fraction from 0 to 1 for bar widths; 0 when the whole is unknown or empty. */
export function fractionOf(part: number, whole: number | null): number {
  if (!whole || whole <= 0) return 0;
  return Math.min(1, Math.max(0, part / whole));
}
