import { formatDistance } from 'date-fns';

// One format for a moment and one for a day, in the app and on the command line, local time,
// 24-hour clock as the schedules are written ("Daily at 03:00").
const moment = new Intl.DateTimeFormat('en-US', {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
const day = new Intl.DateTimeFormat('en-US', { year: 'numeric', month: 'short', day: 'numeric' });

function parse(iso: string): Date | null {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** A moment: "Nov 30, 2026, 10:18". */
export function formatDateTime(iso: string): string {
  const date = parse(iso);
  return date ? moment.format(date) : iso;
}

/** A day: "Nov 30, 2026" (from a moment, or a YYYY-MM-DD day read as that day). */
export function formatDay(iso: string): string {
  const date = parse(/^\d{4}-\d{2}-\d{2}$/.test(iso) ? `${iso}T12:00:00` : iso);
  return date ? day.format(date) : iso;
}

/** How long ago, or how soon: "3 hours ago", "in 2 days". */
export function formatAgo(iso: string, now: Date = new Date()): string {
  const date = parse(iso);
  return date ? formatDistance(date, now, { addSuffix: true }) : iso;
}
