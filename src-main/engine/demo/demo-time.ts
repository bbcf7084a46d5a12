/** Milliseconds in a day. */
export const DAY_MS = 86_400_000;

/** The "now" of a demo unless the caller gives one: fixed, so two runs write the same bytes. */
export const DEFAULT_DEMO_NOW = new Date('2026-11-01T00:00:00.000Z');

/** `now` moved back by a number of days (fractions allowed). */
export function daysBefore(now: Date, days: number): Date {
  return new Date(now.getTime() - Math.round(days * DAY_MS));
}

/** The UTC calendar day of a date, `YYYY-MM-DD`. */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
