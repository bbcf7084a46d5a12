/**
 * The analytics chart's sums over a range of days, and what each tier is called: plain
 * functions of `analytics:daily`'s days, tested without a page.
 */
import type { DailyFigure } from '../../../../src-shared/models/maintenance';

/** The analytics tiers, newest data first. */
export const tiers = ['hot', 'warm', 'cold'] as const;
/** One analytics tier. */
export type Tier = (typeof tiers)[number];

/** What a person reads for each tier, and its colour in the chart. */
export const tierInfo: Readonly<Record<Tier, { label: string; holds: string; colour: string }>> = {
  hot: { label: 'Hot', holds: 'every interaction in full', colour: '#c2410c' },
  warm: { label: 'Warm', holds: 'daily sums', colour: '#ca8a04' },
  cold: { label: 'Cold', holds: 'compressed monthly archives', colour: '#0369a1' },
};

/** A day of the chart: its figures, and its interactions again under its tier's key. */
export type ChartDay = DailyFigure & Readonly<Record<Tier, number>>;

/** The range's sums: interactions, their success and mean response, and how the tiers split. */
export interface AnalyticsTotals {
  readonly interactions: number;
  /** Successful interactions in percent, one decimal; null without interactions. */
  readonly successRate: number | null;
  /** Mean response time over every interaction (not a mean of daily means); null without any. */
  readonly meanResponseMs: number | null;
  /** Mean of every rating given; null without any. */
  readonly meanRating: number | null;
  readonly daysByTier: Readonly<Record<Tier, number>>;
  readonly interactionsByTier: Readonly<Record<Tier, number>>;
}

/**
 * Sums a range of daily figures. Means are weighted back by their counts (a day's mean response
 * by its interactions, its mean rating by its ratings), so the range's mean is the mean of all
 * its interactions, as one query over the rows would give.
 */
export function analyticsTotals(days: ReadonlyArray<DailyFigure>): AnalyticsTotals {
  let interactions = 0;
  let successes = 0;
  let responseSum = 0;
  let responded = 0;
  let ratingSum = 0;
  let ratings = 0;
  const daysByTier: Record<Tier, number> = { hot: 0, warm: 0, cold: 0 };
  const interactionsByTier: Record<Tier, number> = { hot: 0, warm: 0, cold: 0 };
  for (const day of days) {
    interactions += day.interactions;
    successes += day.successes;
    if (day.meanResponseMs !== null) {
      responseSum += day.meanResponseMs * day.interactions;
      responded += day.interactions;
    }
    if (day.meanRating !== null) {
      ratingSum += day.meanRating * day.ratings;
      ratings += day.ratings;
    }
    daysByTier[day.tier] += 1;
    interactionsByTier[day.tier] += day.interactions;
  }
  return {
    interactions,
    successRate: interactions > 0 ? Math.round((successes / interactions) * 1000) / 10 : null,
    meanResponseMs: responded > 0 ? responseSum / responded : null,
    meanRating: ratings > 0 ? ratingSum / ratings : null,
    daysByTier,
    interactionsByTier,
  };
}
