import { describe, expect, it } from 'vitest';
import {
  exactSearch,
  recallOf,
  sampleRows,
  type VectorTable,
} from '../../../../src-main/engine/vectors/exact-search';

const table = (space: VectorTable['space'], rows: number[][]): VectorTable => {
  const values = new Float32Array(rows.flat());
  if (space === 'cosine') {
    for (let r = 0; r < rows.length; r++) {
      const norm = Math.hypot(...rows[r]!);
      for (let i = 0; i < 2; i++) values[r * 2 + i]! /= norm;
    }
  }
  return { dimension: 2, space, values, labels: Float64Array.from(rows.map((_, i) => i + 10)) };
};

describe('exact search', () => {
  it.each([
    ['cosine', [3, 0.1], [10, 12]],
    ['l2', [0, 1.2], [11, 10]],
    ['ip', [1, 0], [12, 10]],
  ] as const)('orders by hnswlib distance in %s space', (space, query, expected) => {
    const found = exactSearch(
      table(space, [
        [1, 0],
        [0, 1],
        [3, 1],
      ]),
      Float32Array.from(query),
      2,
    );
    expect(found.map((n) => n.label)).toEqual(expected);
  });

  it('counts ties at the k-th distance as found', () => {
    const exact = [
      { label: 1, distance: 0 },
      { label: 2, distance: 0.5 },
    ];
    expect(recallOf(exact, exact)).toBe(1);
    expect(
      recallOf(exact, [
        { label: 1, distance: 0 },
        { label: 3, distance: 0.5 },
      ]),
    ).toBe(1);
    expect(
      recallOf(exact, [
        { label: 1, distance: 0 },
        { label: 3, distance: 0.9 },
      ]),
    ).toBe(0.5);
    expect(recallOf(exact, [])).toBe(0);
    expect(recallOf([], [])).toBe(1);
  });

  it('samples distinct rows evenly', () => {
    expect(sampleRows(10, 3)).toEqual([1, 5, 8]);
    expect(sampleRows(3, 10)).toEqual([0, 1, 2]);
  });
});
