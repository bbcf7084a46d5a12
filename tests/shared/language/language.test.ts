import prettyBytes from 'pretty-bytes';
import { describe, expect, it } from 'vitest';
import { formatBytes } from '../../../src-shared/language/bytes';
import { countOf, countOfTotal, formatCount, nounFor } from '../../../src-shared/language/counts';
import { formatAgo, formatDateTime, formatDay } from '../../../src-shared/language/dates';
import { backupKindName, jobStateNames } from '../../../src-shared/language/names';
import { backupKinds } from '../../../src-shared/models/backup-manifest';
import { jobStates } from '../../../src-shared/models/jobs';

describe('counts and plurals', () => {
  it.each<[number, string]>([
    [0, '0 files'],
    [1, '1 file'],
    [2, '2 files'],
    [1.5, '1.5 files'],
    [2345, '2,345 files'],
  ])('%s → %s', (count, text) => expect(countOf(count, 'file')).toBe(text));

  it.each<[number, 'backup' | 'entry' | 'schema step' | 'IP address', string]>([
    [1, 'backup', '1 backup'],
    [0, 'backup', '0 backups'],
    [3, 'entry', '3 entries'],
    [1, 'schema step', '1 schema step'],
    [2, 'IP address', '2 IP addresses'],
  ])('%s %s → %s', (count, noun, text) => expect(countOf(count, noun)).toBe(text));

  it.each<[number, number | null, string]>([
    [120, 476, '120 of 476 files'],
    [0, 1, '0 of 1 file'],
    [1, 1, '1 of 1 file'],
    [26, 4, '26 files'],
    [7, null, '7 files'],
  ])('%s of %s → %s (never more done than the total)', (done, total, text) =>
    expect(countOfTotal(done, total, 'file')).toBe(text),
  );

  it('formats numbers with separators and picks the noun alone', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(nounFor(1, 'chunk')).toBe('chunk');
    expect(nounFor(0, 'chunk')).toBe('chunks');
  });
});

describe('counts without Intl', () => {
  it('groups and picks the noun as Intl does for en-US', () => {
    const numbers = new Intl.NumberFormat('en-US');
    const plurals = new Intl.PluralRules('en-US');
    const values = [0, -0, 1, -1, 1.5, 0.5, 2, 1.0004, Number.MAX_SAFE_INTEGER, 1e21, -1e21];
    for (let power = 0; power < 16; power++) {
      for (const step of [-1, 0, 1]) values.push(10 ** power + step, -(10 ** power + step));
    }
    for (let seed = 1; seed < 2_000; seed++) values.push(Math.floor((seed * 7_919) ** 1.7));
    const differing = values.filter(
      (count) =>
        formatCount(count) !== numbers.format(count) ||
        nounFor(count, 'file') !== (plurals.select(count) === 'one' ? 'file' : 'files'),
    );
    expect(differing).toEqual([]);
  });
});

describe('bytes', () => {
  it.each<[number, string]>([
    [0, '0 B'],
    [1, '1 B'],
    [1023, '1023 B'],
    [1024, '1 KiB'],
    [1536, '1.5 KiB'],
    // Never "1024 KiB": a unit is left only at the next one's whole.
    [1024 ** 2 - 1, '1023.9 KiB'],
    [1024 ** 2, '1 MiB'],
    [7.9 * 1024 ** 2, '7.9 MiB'],
    [64 * 1024 ** 2, '64 MiB'],
    [1024 ** 3 - 1, '1023.9 MiB'],
    [5 * 1024 ** 3, '5 GiB'],
    [1024 ** 4, '1 TiB'],
    [-2048, '-2 KiB'],
  ])('%s → %s (binary units, as in the app)', (bytes, text) =>
    expect(formatBytes(bytes)).toBe(text),
  );

  it('writes what pretty-bytes writes, without its ICU formatting', () => {
    const values = [0, -0, 0.5, 1e-7, 1e21, 1e30, Number.MAX_SAFE_INTEGER];
    for (let exponent = 0; exponent < 90; exponent++) {
      for (const step of [-2, -1, 0, 1, 2])
        values.push(2 ** exponent + step, -(2 ** exponent + step));
    }
    // Tenths of each unit, and their neighbours, where a cut decimal shows.
    for (let unit = 0; unit < 6; unit++) {
      for (let tenths = 0; tenths < 10_240; tenths += 7) {
        const exact = (tenths / 10) * 1024 ** unit;
        values.push(exact, Math.floor(exact) - 1, Math.ceil(exact) + 1);
      }
    }
    const differing = values.filter(
      (bytes) =>
        formatBytes(bytes) !== prettyBytes(bytes, { binary: true, maximumFractionDigits: 1 }),
    );
    expect(differing).toEqual([]);
  });
});

describe('dates', () => {
  it('writes a moment and a day one way', () => {
    const iso = new Date(2026, 10, 30, 9, 5).toISOString();
    expect(formatDateTime(iso)).toBe('Nov 30, 2026, 09:05');
    expect(formatDay(iso)).toBe('Nov 30, 2026');
    expect(formatDay('2025-05-01')).toBe('May 1, 2025');
    expect(formatDateTime('not a date')).toBe('not a date');
  });

  it('says how long ago', () => {
    const now = new Date('2026-11-30T12:00:00Z');
    expect(formatAgo('2026-11-30T09:00:00Z', now)).toBe('about 3 hours ago');
    expect(formatAgo('2026-12-02T12:00:00Z', now)).toBe('in 2 days');
  });
});

describe('names', () => {
  it('names every kind of backup and every job state', () => {
    for (const kind of backupKinds) expect(backupKindName(kind)).toMatch(/^[A-Z]/);
    for (const state of jobStates) expect(jobStateNames[state]).toMatch(/^[A-Z]/);
    expect(backupKindName('pre-restore')).toBe('Safety snapshot');
    expect(jobStateNames.succeeded).toBe('Done');
  });
});
