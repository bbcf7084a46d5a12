import { describe, expect, it } from 'vitest';
import {
  backupSuccess,
  runOutcome,
  type BackupRun,
} from '../../../../src-main/engine/health/backup-success';
import type { TendError } from '../../../../src-shared/errors';

const NOW = new Date('2026-11-30T12:00:00.000Z');

const missed: TendError = {
  code: 'DESTINATION_UNAVAILABLE',
  message: 'The backup disk “USB” is not plugged in.',
  details: { missed: true, disk: 'USB' },
};
const full: TendError = { code: 'NO_SPACE', message: 'The destination is full.' };

let serial = 0;
/** A backup run: `at` a day and time, a state, and how it started. */
function run(
  at: string,
  state: BackupRun['state'],
  how: 'schedule' | 'catch-up' | 'run-now' | 'person' | 'old-scheduled' = 'schedule',
  error: TendError | null = state === 'failed' ? full : null,
): BackupRun {
  serial += 1;
  return {
    jobId: `job-${serial}`,
    title: how === 'person' ? 'Back up (critical)' : 'Scheduled backup (critical)',
    state,
    createdAt: `${at}.000Z`,
    finishedAt: null,
    trigger:
      how === 'run-now' ? 'manual' : how === 'person' || how === 'old-scheduled' ? null : how,
    error,
  };
}

describe('runOutcome', () => {
  it.each([
    ['succeeded', null, 'succeeded'],
    ['failed', full, 'failed'],
    ['failed', missed, 'missed'],
    ['interrupted', null, 'interrupted'],
    ['cancelled', null, 'cancelled'],
    ['queued', null, 'running'],
    ['running', null, 'running'],
  ] as const)('a %s job (%j) is %s', (state, error, outcome) => {
    expect(runOutcome({ state, error })).toBe(outcome);
  });
});

describe('backupSuccess over the last 30 days', () => {
  const window = { now: NOW, days: 30, watchedFrom: '2026-01-01T00:00:00.000Z' };

  it('has no rate before any run ended, and counts none of the running or cancelled', () => {
    const figure = backupSuccess(
      [run('2026-11-30T11:00:00', 'running'), run('2026-11-29T03:00:00', 'cancelled', 'person')],
      window,
    );
    expect(figure).toMatchObject({
      runs: 0,
      rate: null,
      running: 1,
      cancelled: 1,
      scheduled: 0,
      manual: 0,
      goal: 1,
      lastFailure: null,
    });
  });

  it('counts successes over scheduled and manual runs, missed and cut-off runs as failures', () => {
    const runs = [
      run('2026-11-27T03:00:00', 'succeeded'),
      run('2026-11-28T03:00:00', 'failed', 'schedule', missed),
      run('2026-11-29T03:00:00', 'interrupted'),
      run('2026-11-29T03:40:00', 'succeeded', 'catch-up'),
      run('2026-11-29T14:00:00', 'succeeded', 'person'),
      run('2026-11-30T03:00:00', 'succeeded', 'run-now'),
      run('2026-11-30T04:00:00', 'failed', 'old-scheduled'),
    ];
    const figure = backupSuccess(runs, window);
    expect(figure).toMatchObject({
      runs: 7,
      succeeded: 4,
      failed: 1,
      missed: 1,
      interrupted: 1,
      scheduled: 5,
      manual: 2,
      rate: 4 / 7,
    });
    expect(figure.lastFailure).toMatchObject({
      at: '2026-11-30T04:00:00.000Z',
      outcome: 'failed',
      error: { code: 'NO_SPACE' },
    });
  });

  it('names a missed run as the last failure when it is the newest', () => {
    const figure = backupSuccess(
      [
        run('2026-11-28T03:00:00', 'failed'),
        run('2026-11-29T03:00:00', 'failed', 'schedule', missed),
      ],
      window,
    );
    expect(figure.lastFailure).toMatchObject({
      outcome: 'missed',
      error: { code: 'DESTINATION_UNAVAILABLE' },
    });
    expect(figure.rate).toBe(0);
  });

  it('starts the window at 00:00 UTC of its first day, 29 days before today', () => {
    const figure = backupSuccess(
      [
        run('2026-10-31T23:59:59', 'failed'),
        run('2026-11-01T00:00:00', 'succeeded'),
        run('2026-11-15T03:00:00', 'succeeded'),
      ],
      window,
    );
    expect(figure.from).toBe('2026-11-01T00:00:00.000Z');
    expect(figure).toMatchObject({ runs: 2, succeeded: 2, failed: 0, rate: 1 });
  });

  it.each([
    // watched since, good backups on (days), days watched, days with a backup
    ['2026-11-27T09:00:00.000Z', ['2026-11-27', '2026-11-29'], 3, 2],
    ['2026-11-27T09:00:00.000Z', ['2026-11-27', '2026-11-28', '2026-11-29', '2026-11-30'], 4, 4],
    ['2026-11-30T08:00:00.000Z', [], 0, 0],
    ['2026-11-30T08:00:00.000Z', ['2026-11-30'], 1, 1],
    ['2025-01-01T00:00:00.000Z', ['2026-11-10'], 29, 1],
    ['2025-01-01T00:00:00.000Z', ['2026-11-30'], 30, 1],
  ] as const)(
    'watched since %s with backups on %j: %i days watched, %i with a backup',
    (watchedFrom, goodDays, watched, withBackup) => {
      const runs = goodDays.map((day) => run(`${day}T03:00:00`, 'succeeded'));
      // A failed run on a day does not make it a day with a backup.
      runs.push(run('2026-11-28T05:00:00', 'failed'));
      const figure = backupSuccess(runs, { ...window, watchedFrom });
      expect([figure.daysWatched, figure.daysWithBackup]).toEqual([watched, withBackup]);
    },
  );

  it('counts today from now when Tend has no job yet', () => {
    const figure = backupSuccess([], { ...window, watchedFrom: null });
    expect([figure.daysWatched, figure.daysWithBackup]).toEqual([0, 0]);
  });
});
