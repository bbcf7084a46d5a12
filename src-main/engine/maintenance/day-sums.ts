/**
 * Sums of interactions by day, as the dashboard's daily figures are built from them, for the
 * native tiers (daily-figures.ts) and for an analytics folder's (analytics-daily.ts).
 */
import type { DailyFigure } from '../../../src-shared/models/maintenance';

/** One day's sums, and the tier that answered for it. */
export interface DaySums {
  interactions: number;
  successes: number;
  responseMsSum: number;
  ratings: number;
  ratingSum: number;
  tier: DailyFigure['tier'];
}

/** `day` (YYYY-MM-DD) moved by `days`. */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Counts one archived row into its day's sums (a day first seen here is a cold one). */
export function countColdRow(
  byDay: Map<string, DaySums>,
  day: string,
  row: { success: boolean; responseMs: number; rating: number | null },
): void {
  let sums = byDay.get(day);
  if (!sums) {
    sums = {
      interactions: 0,
      successes: 0,
      responseMsSum: 0,
      ratings: 0,
      ratingSum: 0,
      tier: 'cold',
    };
    byDay.set(day, sums);
  }
  sums.interactions++;
  sums.successes += row.success ? 1 : 0;
  sums.responseMsSum += row.responseMs;
  if (row.rating !== null) {
    sums.ratings++;
    sums.ratingSum += row.rating;
  }
}

/** A day's figure from its sums (none: a day without interactions). */
export function dailyFigureOf(
  day: string,
  sums: DaySums | undefined,
  tier: DailyFigure['tier'],
): DailyFigure {
  return {
    day,
    interactions: sums?.interactions ?? 0,
    successes: sums?.successes ?? 0,
    meanResponseMs: sums && sums.interactions > 0 ? sums.responseMsSum / sums.interactions : null,
    ratings: sums?.ratings ?? 0,
    meanRating: sums && sums.ratings > 0 ? sums.ratingSum / sums.ratings : null,
    tier,
  };
}
