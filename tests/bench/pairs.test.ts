import { describe, expect, it, vi } from 'vitest';
import { alternate, beside, compared, pairRatios, spreadOf } from '../../bench/pairs';

describe('spreadOf', () => {
  it.each([
    { values: [5], spread: { median: 5, min: 5, max: 5 } },
    { values: [3, 1, 2], spread: { median: 2, min: 1, max: 3 } },
    { values: [4, 1, 3, 2], spread: { median: 2.5, min: 1, max: 4 } },
    { values: [0.9, 0.9, 5], spread: { median: 0.9, min: 0.9, max: 5 } },
  ])('$values', ({ values, spread }) => {
    expect(spreadOf(values)).toEqual(spread);
  });

  it('refuses no values', () => {
    expect(() => spreadOf([])).toThrow('No values');
  });
});

describe('pairRatios', () => {
  it.each([
    {
      name: 'each pair divided on its own, not the medians',
      tend: [1, 2, 6],
      standard: [2, 2, 3],
      // 0.5, 1 and 2: the medians of the sides (2 and 2) would give 1 as well, but the range
      // only shows pair by pair.
      spread: { median: 1, min: 0.5, max: 2 },
    },
    {
      name: 'a slow pair (the machine got busy) moves both sides and not the ratio',
      tend: [1, 1.1, 3],
      standard: [4, 4.4, 12],
      spread: { median: 0.25, min: 0.25, max: 0.25 },
    },
  ])('$name', ({ tend, standard, spread }) => {
    const ratios = pairRatios(tend, standard);
    expect(ratios.median).toBeCloseTo(spread.median, 10);
    expect(ratios.min).toBeCloseTo(spread.min, 10);
    expect(ratios.max).toBeCloseTo(spread.max, 10);
  });

  it('refuses sides of different lengths', () => {
    expect(() => pairRatios([1, 2], [1])).toThrow('as many runs');
  });
});

describe('compared', () => {
  it('rounds the figures and judges the median ratio against the goal', () => {
    expect(compared([0.1234, 0.2, 0.3], [1, 1, 1], 0.25)).toEqual({
      tend: { median: 0.2, min: 0.123, max: 0.3 },
      standard: { median: 1, min: 1, max: 1 },
      ratio: { median: 0.2, min: 0.123, max: 0.3 },
      pairs: 3,
      goal: 0.25,
      meetsGoal: true,
    });
    expect(compared([3, 3, 3], [1, 1, 1], 2).meetsGoal).toBe(false);
    expect(compared([1], [1])).not.toHaveProperty('goal');
  });
});

describe('beside', () => {
  it('reads a third tool pair by pair: against the standard tool, and Tend against it', () => {
    // tar 2, 4, 1 s; restic 1, 1, 1 s; Tend 0.5, 2, 0.25 s.
    expect(beside([1, 1, 1], [2, 4, 1], [0.5, 2, 0.25])).toEqual({
      runs: { median: 1, min: 1, max: 1 },
      ratio: { median: 0.5, min: 0.25, max: 1 },
      tendOverIt: { median: 0.5, min: 0.25, max: 2 },
    });
  });

  it('refuses runs that are not from the same pairs', () => {
    expect(() => beside([1, 1], [1, 1, 1], [1, 1, 1])).toThrow('as many runs');
    expect(() => beside([1, 1, 1], [1, 1, 1], [1])).toThrow('as many runs');
  });
});

describe('alternate', () => {
  it('runs the tool then Tend by turns and keeps the pairs after the warm-up', async () => {
    const order: string[] = [];
    const log = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const runs = await alternate({
        label: 'test',
        pairs: 3,
        warmups: 1,
        standard: async (run) => {
          order.push(`tool ${run}`);
          return run * 10;
        },
        tend: async (run) => {
          order.push(`tend ${run}`);
          return run;
        },
      });
      expect(order).toEqual([
        'tool 0',
        'tend 0',
        'tool 1',
        'tend 1',
        'tool 2',
        'tend 2',
        'tool 3',
        'tend 3',
      ]);
      expect(runs).toEqual({ standard: [10, 20, 30], tend: [1, 2, 3] });
    } finally {
      log.mockRestore();
    }
  });
});
