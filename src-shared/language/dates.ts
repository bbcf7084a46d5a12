import { formatDistance } from 'date-fns';

// One format for a moment and one for a day, in the app and on the command line, local time,
// 24-hour clock as the schedules are written ("Daily at 03:00"). Each is made on first use:
// the first Intl object loads the locale data, which `tend --help` should not wait for.
let moment: Intl.DateTimeFormat | undefined;
let day: Intl.DateTimeFormat | undefined;

function parse(iso: string): Date | null {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** A moment: "Nov 30, 2026, 10:18". */
export function formatDateTime(iso: string): string {
  const date = parse(iso);
  if (!date) return iso;
  moment ??= new Intl.DateTimeFormat('en-US', {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  return moment.format(date);
}

/** A day: "Nov 30, 2026" (from a moment, or a YYYY-MM-DD day read as that day). */
export function formatDay(iso: string): string {
  const date = parse(/^\d{4}-\d{2}-\d{2}$/.test(iso) ? `${iso}T12:00:00` : iso);
  if (!date) return iso;
  day ??= new Intl.DateTimeFormat('en-US', { year: 'numeric', month: 'short', day: 'numeric' });
  return day.format(date);
}

/** How long ago, or how soon: "3 hours ago", "in 2 days". */
export function formatAgo(iso: string, now: Date = new Date()): string {
  const date = parse(iso);
  return date ? formatDistance(date, now, { addSuffix: true }) : iso;
}
