import { describe, expect, it } from 'vitest';
import {
  categoryGrowth,
  historyPoints,
  periodStart,
  withLive,
  type StoredSnapshot,
} from '../../../../src-main/engine/usage/usage-history';

const at = (iso: string, disposable: number): StoredSnapshot => ({
  takenAt: new Date(iso),
  totalBytes: disposable + 10,
  freeBytes: 5,
  byCategory: { irreplaceable: 10, rebuildable: 0, redownloadable: 0, disposable },
});

describe('periodStart', () => {
  it.each([
    ['2026-11-23T12:00:00Z', 'day', '2026-11-23'],
    ['2026-11-23T12:00:00Z', 'week', '2026-11-23'],
    ['2026-11-22T23:59:00Z', 'week', '2026-11-16'],
    ['2026-11-23T12:00:00Z', 'month', '2026-11-01'],
  ] as const)('%s by %s starts %s', (iso, granularity, expected) => {
    expect(periodStart(new Date(iso), granularity)).toBe(expected);
  });
});

describe('history', () => {
  const snapshots = [
    at('2026-10-01T10:00:00Z', 1),
    at('2026-11-15T10:00:00Z', 2),
    at('2026-11-22T09:00:00Z', 3),
    at('2026-11-22T20:00:00Z', 4),
    at('2026-11-23T08:00:00Z', 9),
  ];

  it('keeps the last snapshot of each period', () => {
    expect(historyPoints(snapshots, 'day').map((p) => [p.period, p.byCategory.disposable])).toEqual(
      [
        ['2026-10-01', 1],
        ['2026-11-15', 2],
        ['2026-11-22', 4],
        ['2026-11-23', 9],
      ],
    );
    expect(historyPoints(snapshots, 'month').map((p) => p.byCategory.disposable)).toEqual([1, 9]);
  });

  it('measures growth over a day, a week and a month', () => {
    const growth = categoryGrowth(snapshots, new Date('2026-11-23T12:00:00Z'));
    expect(growth.find((g) => g.category === 'disposable')).toEqual({
      category: 'disposable',
      currentBytes: 9,
      dayDelta: 9 - 3,
      weekDelta: 9 - 2,
      monthDelta: 9 - 1,
    });
    expect(categoryGrowth([], new Date())[0]).toMatchObject({ currentBytes: 0, dayDelta: null });
  });
});

describe('withLive', () => {
  const one = (iso: string): StoredSnapshot => ({
    takenAt: new Date(iso),
    totalBytes: 1,
    freeBytes: null,
    byCategory: { irreplaceable: 1, rebuildable: 0, redownloadable: 0, disposable: 0 },
  });
  const stored = [one('2026-11-01T00:00:00Z'), one('2026-11-02T00:00:00Z')];
  const cases: Array<{ name: string; live: StoredSnapshot | null; length: number }> = [
    { name: 'no live figures: the stored ones', live: null, length: 2 },
    { name: 'newer live figures come last', live: one('2026-11-03T00:00:00Z'), length: 3 },
    {
      name: 'live figures older than a stored scan are left out',
      live: one('2026-11-01T12:00:00Z'),
      length: 2,
    },
  ];
  for (const item of cases) {
    it(item.name, () => {
      const got = withLive(stored, item.live);
      expect(got).toHaveLength(item.length);
      if (item.length === 3) expect(got.at(-1)).toBe(item.live);
    });
  }
  it('with nothing stored, the live figures alone', () => {
    expect(withLive([], one('2026-11-03T00:00:00Z'))).toHaveLength(1);
  });
});
