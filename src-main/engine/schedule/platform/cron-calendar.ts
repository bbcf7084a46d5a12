/**
 * A five-field cron expression as explicit sets of minutes, hours, days, months and weekdays,
 * so each platform's scheduler (systemd's OnCalendar, launchd's StartCalendarInterval, Task
 * Scheduler's calendar triggers) can be given the same times croner runs.
 */

/** One cron expression, expanded. A field left as `*` is null (any). */
export interface CronCalendar {
  readonly minutes: ReadonlyArray<number>;
  readonly hours: ReadonlyArray<number>;
  readonly days: ReadonlyArray<number> | null;
  readonly months: ReadonlyArray<number> | null;
  /** 0 = Sunday … 6 = Saturday. */
  readonly weekdays: ReadonlyArray<number> | null;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

function value(text: string, min: number, names: ReadonlyArray<string> | null): number | null {
  const named = names?.indexOf(text.toLowerCase()) ?? -1;
  if (named >= 0) return named + min;
  if (!/^\d+$/.test(text)) return null;
  return Number(text);
}

/** The values a field allows, or null (any) for `*`, or undefined when it cannot be read. */
function field(
  text: string,
  min: number,
  max: number,
  names: ReadonlyArray<string> | null = null,
): number[] | null | undefined {
  if (text === '*' || text === '?') return null;
  const picked = new Set<number>();
  for (const part of text.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!range || !Number.isInteger(step) || step < 1) return undefined;
    let from: number | null;
    let to: number | null;
    if (range === '*') [from, to] = [min, max];
    else if (range.includes('-')) {
      const [a, b] = range.split('-');
      [from, to] = [value(a ?? '', min, names), value(b ?? '', min, names)];
    } else {
      from = value(range, min, names);
      // `5/15` runs from 5 to the end of the range, as cron and croner read it.
      to = stepText === undefined ? from : max;
    }
    if (from === null || to === null || from < min || to > max || from > to) return undefined;
    for (let at = from; at <= to; at += step) picked.add(at);
  }
  return [...picked].sort((a, b) => a - b);
}

/**
 * Expands a five-field cron expression; null for what the platforms cannot be told exactly
 * (a sixth field, `L`, `W`, `#`), which then run `tend run-due` hourly instead.
 */
export function cronCalendar(expression: string): CronCalendar | null {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5) return null;
  const [m, h, dom, mon, dow] = parts as [string, string, string, string, string];
  const minutes = field(m, 0, 59);
  const hours = field(h, 0, 23);
  const days = field(dom, 1, 31);
  const months = field(mon, 1, 12, MONTHS);
  // Cron allows 7 for Sunday too.
  const weekdaysRaw = field(dow, 0, 7, WEEKDAYS);
  if (
    minutes === undefined ||
    hours === undefined ||
    days === undefined ||
    months === undefined ||
    weekdaysRaw === undefined
  ) {
    return null;
  }
  const weekdays =
    weekdaysRaw === null
      ? null
      : [...new Set(weekdaysRaw.map((day) => day % 7))].sort((a, b) => a - b);
  return {
    minutes: minutes ?? range(0, 59),
    hours: hours ?? range(0, 23),
    days,
    months,
    weekdays,
  };
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, index) => from + index);
}

/**
 * The day rules of a calendar as the platforms want them, one per alternative: cron runs on
 * a day that matches the day of month OR the weekday when both are given (croner's default,
 * as Vixie cron), which the platforms can only say as two rules.
 */
export function dayRules(
  calendar: CronCalendar,
): ReadonlyArray<Pick<CronCalendar, 'days' | 'months' | 'weekdays'>> {
  const { days, months, weekdays } = calendar;
  if (days !== null && weekdays !== null) {
    return [
      { days, months, weekdays: null },
      { days: null, months, weekdays },
    ];
  }
  return [{ days, months, weekdays }];
}
