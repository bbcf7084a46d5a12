import { describe, expect, it } from 'vitest';
import { analyticsTotals } from '../../../../src-renderer/src/ui/overview/analytics-figures';
import type { DailyFigure } from '../../../../src-shared/models/maintenance';

function day(
  date: string,
  tier: DailyFigure['tier'],
  interactions: number,
  successes: number,
  meanResponseMs: number | null,
  ratings = 0,
  meanRating: number | null = null,
): DailyFigure {
  return { day: date, tier, interactions, successes, meanResponseMs, ratings, meanRating };
}

describe('analyticsTotals', () => {
  it('sums the days and weights each mean by its own count, across the tiers', () => {
    const totals = analyticsTotals([
      day('2025-01-01', 'cold', 10, 9, 1000, 2, 5),
      day('2025-06-01', 'warm', 30, 30, 2000, 6, 3),
      day('2025-06-02', 'warm', 0, 0, null),
      day('2026-11-30', 'hot', 60, 51, 500, 0, null),
    ]);
    expect(totals).toEqual({
      interactions: 100,
      successRate: 90,
      // (10 × 1000 + 30 × 2000 + 60 × 500) / 100, not the mean of the daily means.
      meanResponseMs: 1000,
      // (2 × 5 + 6 × 3) / 8
      meanRating: 3.5,
      daysByTier: { hot: 1, warm: 2, cold: 1 },
      interactionsByTier: { hot: 60, warm: 30, cold: 10 },
    });
  });

  it('has no rates or means without interactions', () => {
    expect(analyticsTotals([day('2026-11-30', 'hot', 0, 0, null)])).toMatchObject({
      interactions: 0,
      successRate: null,
      meanResponseMs: null,
      meanRating: null,
    });
  });
});
