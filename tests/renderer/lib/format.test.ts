import { describe, expect, it } from 'vitest';
import {
  formatAgo,
  formatBytes,
  formatCount,
  formatEta,
  formatFiles,
  formatShare,
  fractionOf,
} from '../../../src-renderer/src/lib/format';

describe('formatBytes', () => {
  it.each<[number, string]>([
    [0, '0 B'],
    [1, '1 B'],
    [1023, '1023 B'],
    [1024, '1 KiB'],
    [1536, '1.5 KiB'],
    [1024 ** 2, '1 MiB'],
    [1024 ** 3, '1 GiB'],
    [5 * 1024 ** 3, '5 GiB'],
    [1.25 * 1024 ** 3, '1.2 GiB'],
    // pretty-bytes truncates the fraction: a size is never shown bigger than it is.
    [1.29 * 1024 ** 3, '1.2 GiB'],
    [1.3 * 1024 ** 3, '1.3 GiB'],
    [2 * 1024 ** 4, '2 TiB'],
  ])('%s bytes → %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});

describe('formatCount and formatFiles', () => {
  it.each<[number, string, string]>([
    [0, '0', '0 files'],
    [1, '1', '1 file'],
    [2, '2', '2 files'],
    [2345, '2,345', '2,345 files'],
    [1234567, '1,234,567', '1,234,567 files'],
  ])('%s → %s, %s', (count, text, files) => {
    expect(formatCount(count)).toBe(text);
    expect(formatFiles(count)).toBe(files);
  });
});

describe('formatShare', () => {
  it.each<[number, number, string]>([
    [0, 100, '0%'],
    [5, 0, '0%'],
    [5, -1, '0%'],
    [-1, 100, '0%'],
    [1, 10_000, '<0.1%'],
    [1, 1000, '0.1%'],
    [55, 1000, '5.5%'],
    [999, 10_000, '10%'],
    [994, 10_000, '9.9%'],
    [1001, 10_000, '10%'],
    [9996, 10_000, '100%'],
    [1, 3, '33%'],
    [1, 1, '100%'],
  ])('%s of %s → %s', (part, whole, text) => {
    expect(formatShare(part, whole)).toBe(text);
  });
});

describe('fractionOf', () => {
  it.each<[number, number | null, number]>([
    [1, 4, 0.25],
    [0, 4, 0],
    [5, null, 0],
    [5, 0, 0],
    [5, -2, 0],
    [8, 4, 1],
    [-1, 4, 0],
  ])('%s of %s → %s', (part, whole, fraction) => {
    expect(fractionOf(part, whole)).toBe(fraction);
  });
});

describe('formatEta', () => {
  it.each<[number | null, string | null]>([
    [null, null],
    [-1, null],
    [Number.NaN, null],
    [Number.POSITIVE_INFINITY, null],
    [0, 'less than a minute left'],
    [59, 'less than a minute left'],
    [60, '1 minute left'],
    [89, '1 minute left'],
    [90, '2 minutes left'],
    [180, '3 minutes left'],
    [3900, '1 hour 5 minutes left'],
    [7200, '2 hours left'],
    [90_000, '1 day 1 hour left'],
    // A month and more is counted in days, not cut to what is left over a calendar month.
    [40 * 86_400, '40 days left'],
    [23_270, '6 hours 28 minutes left'],
  ])('%s seconds → %s', (seconds, text) => {
    expect(formatEta(seconds)).toBe(text);
  });
});

describe('formatAgo', () => {
  const now = new Date('2026-11-22T12:00:00.000Z');

  it.each<[string, string]>([
    ['2026-11-22T09:00:00.000Z', 'about 3 hours ago'],
    ['2026-11-22T11:59:50.000Z', 'less than a minute ago'],
    ['2026-11-20T12:00:00.000Z', '2 days ago'],
    ['2026-11-22T12:05:00.000Z', 'in 5 minutes'],
  ])('%s → %s', (iso, text) => {
    expect(formatAgo(iso, now)).toBe(text);
  });

  it('shows a time it cannot read as it came', () => {
    expect(formatAgo('not a date', now)).toBe('not a date');
  });
});
