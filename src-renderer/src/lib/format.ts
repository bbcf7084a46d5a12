import { formatDistance, formatDuration, intervalToDuration } from 'date-fns';
import prettyBytes from 'pretty-bytes';

/**
 * A byte count for people: binary units (KiB, MiB, GiB), as the settings' defaults are binary
 * (1 GiB cache cap, 5 GiB free-space alert), so a size and a limit read in the same units.
 */
export function formatBytes(bytes: number): string {
  return prettyBytes(bytes, { binary: true, maximumFractionDigits: 1 });
}

const countFormat = new Intl.NumberFormat('en-US');

/** A whole number with thousands separators. */
export function formatCount(count: number): string {
  return countFormat.format(count);
}

/** "1 file", "2,345 files". */
export function formatFiles(count: number): string {
  return `${formatCount(count)} ${count === 1 ? 'file' : 'files'}`;
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

/** Time left for a job: "less than a minute left", "3 minutes left", "1 hour 5 minutes left". */
export function formatEta(seconds: number | null): string | null {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return null;
  if (seconds < 60) return 'less than a minute left';
  const duration = intervalToDuration({ start: 0, end: Math.round(seconds / 60) * 60_000 });
  const text = formatDuration(duration, { format: ['days', 'hours', 'minutes'] });
  return `${text} left`;
}

/** "3 hours ago", from an ISO time. */
export function formatAgo(iso: string, now: Date = new Date()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return formatDistance(date, now, { addSuffix: true });
}
