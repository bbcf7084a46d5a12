import { describe, expect, it } from 'vitest';
import {
  formatDelta,
  formatRate,
  formatSignedRate,
  growthText,
  overGoal,
  successText,
  verifiedText,
} from '../../../../src-renderer/src/ui/overview/health-text';
import { formatDateTime } from '../../../../src-renderer/src/lib/format';
import type { BackupSuccess } from '../../../../src-shared/models/health';
import { healthFigures } from '../../store/health-figures';

const MIB = 1024 * 1024;
const NOW = new Date('2026-11-30T12:00:00.000Z');

describe('formatRate', () => {
  it.each([
    [1, '100%'],
    [0.999, '99.9%'],
    [0.9999, '99.9%'],
    [11 / 12, '91.6%'],
    [0.5, '50%'],
    [4 / 7, '57.1%'],
    [0, '0%'],
  ])('%s reads %s', (rate, text) => {
    expect(formatRate(rate)).toBe(text);
  });
});

describe('growth in words', () => {
  it.each([
    [0.042, '+4.2%'],
    [-0.6, '−60%'],
    [0, '0%'],
    [0.00001, '0%'],
  ])('a rate of %s reads %s', (ratio, text) => {
    expect(formatSignedRate(ratio)).toBe(text);
  });

  it.each([
    [30 * MIB, '+30 MiB'],
    [-6 * MIB, '−6 MiB'],
    [0, 'no change'],
  ])('a change of %s bytes reads %s', (bytes, text) => {
    expect(formatDelta(bytes)).toBe(text);
  });

  it.each([
    [
      { fromBytes: 100 * MIB, toBytes: 130 * MIB, deltaBytes: 30 * MIB, ratio: 0.3 },
      '+30 MiB (+30%)',
      false,
    ],
    [
      { fromBytes: 10 * MIB, toBytes: 4 * MIB, deltaBytes: -6 * MIB, ratio: -0.6 },
      '−6 MiB (−60%)',
      false,
    ],
    [
      { fromBytes: 0, toBytes: 2 * MIB, deltaBytes: 2 * MIB, ratio: null },
      '+2 MiB (was empty)',
      true,
    ],
    [
      { fromBytes: 10 * MIB, toBytes: 20 * MIB, deltaBytes: 10 * MIB, ratio: 1 },
      '+10 MiB (+100%)',
      true,
    ],
    [{ fromBytes: 0, toBytes: 0, deltaBytes: 0, ratio: null }, 'no change', false],
  ])('%j reads %s; over the 50%% goal: %s', (figure, text, over) => {
    expect(growthText(figure)).toBe(text);
    expect(overGoal(figure, 0.5)).toBe(over);
  });
});

describe('successText', () => {
  const figure = healthFigures.backupSuccess;

  it('gives the rate, the runs behind it, the days, and the last failure with its reason', () => {
    expect(successText(figure)).toEqual({
      value: '91.6%',
      warning: true,
      lines: [
        '11 of 12 backups succeeded; 1 missed (the disk was not there)',
        '10 by the schedules, 2 by hand',
        'A good backup on 11 of 12 days',
        `Last failure ${formatDateTime('2026-11-28T03:00:00.000Z')}: The backup disk “USB” is not plugged in.`,
      ],
    });
  });

  it('is no warning at 100% with a backup every day, and names what it did not count', () => {
    const all: BackupSuccess = {
      ...figure,
      runs: 12,
      succeeded: 12,
      missed: 0,
      rate: 1,
      daysWithBackup: 12,
      cancelled: 1,
      running: 1,
      lastFailure: null,
    };
    expect(successText(all)).toEqual({
      value: '100%',
      warning: false,
      lines: [
        '12 of 12 backups succeeded',
        '10 by the schedules, 2 by hand',
        'A good backup on 12 of 12 days',
        'Not counted: 1 running, 1 cancelled',
      ],
    });
  });

  it('warns at 100% of the runs when days went without one', () => {
    const gaps = { ...figure, succeeded: 12, missed: 0, rate: 1, lastFailure: null };
    expect(successText(gaps)).toMatchObject({ value: '100%', warning: true });
  });

  it('says there is no run yet, and warns only when days went by without one', () => {
    const none = {
      ...figure,
      runs: 0,
      succeeded: 0,
      missed: 0,
      scheduled: 0,
      manual: 0,
      rate: null,
      daysWatched: 0,
      daysWithBackup: 0,
      lastFailure: null,
    };
    expect(successText(none)).toEqual({
      value: 'No runs yet',
      warning: false,
      lines: ['No backup has run yet: the figure starts with the first.'],
    });
    expect(successText({ ...none, daysWatched: 3 })).toEqual({
      value: 'No runs yet',
      warning: true,
      lines: ['No backup ran in these days.', 'A good backup on 0 of 3 days'],
    });
  });
});

describe('verifiedText', () => {
  it('gives the age of the verified backup, what it is and the newer ones waiting', () => {
    const text = verifiedText(healthFigures.verification, NOW);
    expect(text.value).toBe('2 days old');
    expect(text.warning).toBe(false);
    expect(text.lines).toEqual([
      `Full backup of ${formatDateTime('2026-11-28T03:05:00.000Z')}`,
      'Verified 2 days ago',
      '2 backups newer, not verified yet',
    ]);
  });

  it('warns when the verified backup cannot be restored now', () => {
    const text = verifiedText(
      {
        last: { ...healthFigures.verification.last!, problem: 'its archive is missing' },
        newerUnverified: 0,
      },
      NOW,
    );
    expect(text.warning).toBe(true);
    expect(text.lines).toContain('Cannot be restored now: its archive is missing');
  });

  it('says none is verified yet, and how to get one', () => {
    const text = verifiedText({ last: null, newerUnverified: 1 }, NOW);
    expect(text).toMatchObject({ value: 'None yet', warning: true });
    expect(text.lines[0]).toContain('Verify one on the Backups page');
    expect(text.lines[1]).toBe('1 backup newer, not verified yet');
  });
});
