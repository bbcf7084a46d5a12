/**
 * Time left for a job, in words: "less than a minute left", "3 minutes left", "1 hour 5
 * minutes left", "40 days left". Rounded to the minute; null when unknown.
 *
 * Note: written out here rather than with date-fns' `intervalToDuration`, which splits a span
 * from the epoch into calendar months and so said "9 days" for 40; and so the command line
 * does not load date-fns for a progress line.
 */
export function formatEta(seconds: number | null): string | null {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return null;
  if (seconds < 60) return 'less than a minute left';
  const minutes = Math.round(seconds / 60);
  const parts: Array<[number, string]> = [
    [Math.floor(minutes / 1440), 'day'],
    [Math.floor((minutes % 1440) / 60), 'hour'],
    [minutes % 60, 'minute'],
  ];
  const text = parts
    .filter(([count]) => count > 0)
    .map(([count, unit]) => `${count} ${unit}${count === 1 ? '' : 's'}`)
    .join(' ');
  return `${text} left`;
}
