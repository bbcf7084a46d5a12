import type { HealthFigures } from '../../../src-shared/models/health';

const MIB = 1024 * 1024;

/**
 * Health figures of a month with one missed run: 11 of 12 backups good, the last verified one
 * two days old, the folder grown by a tenth with the logs over the goal.
 */
export const healthFigures: HealthFigures = {
  backupSuccess: {
    windowDays: 30,
    from: '2026-11-01T00:00:00.000Z',
    runs: 12,
    succeeded: 11,
    failed: 0,
    missed: 1,
    interrupted: 0,
    cancelled: 0,
    running: 0,
    scheduled: 10,
    manual: 2,
    rate: 11 / 12,
    goal: 1,
    daysWatched: 12,
    daysWithBackup: 11,
    lastFailure: {
      at: '2026-11-28T03:00:00.000Z',
      title: 'Scheduled backup (daily critical) missed: disk not plugged in',
      outcome: 'missed',
      error: {
        code: 'DESTINATION_UNAVAILABLE',
        message: 'The backup disk “USB” is not plugged in.',
      },
    },
  },
  verification: {
    last: {
      id: 'tend-20261128-030000-full',
      kind: 'full',
      finishedAt: '2026-11-28T03:05:00.000Z',
      verifiedAt: '2026-11-28T06:10:00.000Z',
      ageHours: 56,
      problem: null,
    },
    newerUnverified: 2,
  },
  growth: {
    month: '2026-11-01',
    fromAt: '2026-10-31T18:30:00.000Z',
    toAt: '2026-11-30T06:30:00.000Z',
    wholeMonth: true,
    categories: [
      {
        category: 'irreplaceable',
        fromBytes: 100 * MIB,
        toBytes: 110 * MIB,
        deltaBytes: 10 * MIB,
        ratio: 0.1,
      },
      { category: 'rebuildable', fromBytes: 40 * MIB, toBytes: 40 * MIB, deltaBytes: 0, ratio: 0 },
      { category: 'redownloadable', fromBytes: 0, toBytes: 0, deltaBytes: 0, ratio: null },
      {
        category: 'disposable',
        fromBytes: 10 * MIB,
        toBytes: 20 * MIB,
        deltaBytes: 10 * MIB,
        ratio: 1,
      },
    ],
    total: { fromBytes: 150 * MIB, toBytes: 170 * MIB, deltaBytes: 20 * MIB, ratio: 20 / 150 },
    goalRatio: 0.5,
  },
  checkedAt: '2026-11-30T12:00:00.000Z',
  durationMs: 12.5,
};
