import { describe, expect, it } from 'vitest';
import {
  backupHealth,
  durationWords,
  type BackupHealthInput,
} from '../../../../src-main/engine/schedule/backup-health';

const now = new Date('2026-11-30T12:00:00Z');
const input = (patch: Partial<BackupHealthInput>): BackupHealthInput => ({
  now,
  warnAfterHours: 48,
  lastSuccessAt: '2026-11-29T03:10:00Z',
  watchedSince: '2026-10-01T00:00:00Z',
  destination: { state: 'present', path: '/media/ana/USB/tend' },
  lastFailure: null,
  ...patch,
});

describe('backupHealth', () => {
  it.each([
    ['a backup last night', input({}), 'ok', null, null],
    ['47 hours without', input({ lastSuccessAt: '2026-11-28T13:00:00Z' }), 'ok', null, null],
    [
      'three days, the disk unplugged',
      input({
        lastSuccessAt: '2026-11-27T03:00:00Z',
        destination: {
          state: 'missing',
          path: '/media/ana/USB/tend',
          disk: 'USB',
          message: 'The backup disk “USB” is not plugged in …',
        },
      }),
      'stopped',
      'destination-missing',
      'No backup for 3 days: the backup disk “USB” is not plugged in.',
    ],
    [
      'three days, the last one failed',
      input({
        lastSuccessAt: '2026-11-27T03:00:00Z',
        lastFailure: { code: 'NO_SPACE', message: 'Not enough space at the backup destination.' },
      }),
      'stopped',
      'last-error',
      'No backup for 3 days: the last backup failed.',
    ],
    [
      'never any, no destination, watched for a week',
      input({
        lastSuccessAt: null,
        watchedSince: '2026-11-23T12:00:00Z',
        destination: { state: 'none' },
      }),
      'stopped',
      'no-destination',
      'No backup in the 7 days Tend has looked after this folder: no backup destination is chosen.',
    ],
    [
      'never any, watched for a day',
      input({
        lastSuccessAt: null,
        watchedSince: '2026-11-29T12:00:00Z',
        destination: { state: 'none' },
      }),
      'ok',
      null,
      null,
    ],
    [
      'nothing failed, nothing ran for 50 hours',
      input({ lastSuccessAt: '2026-11-28T10:00:00Z' }),
      'stopped',
      'not-run',
      'No backup for 2 days: no backup has run.',
    ],
    [
      'a folder destination gone',
      input({
        lastSuccessAt: '2026-11-20T10:00:00Z',
        destination: { state: 'missing', path: '/srv/b', disk: '/srv/b', message: 'missing' },
      }),
      'stopped',
      'destination-missing',
      'No backup for 10 days: the backup folder /srv/b is missing.',
    ],
  ])('%s', (_name, given, state, reason, headline) => {
    const health = backupHealth(given);
    expect(health.state).toBe(state);
    expect(health.reason).toBe(reason);
    expect(health.headline).toBe(headline);
  });

  it('uses the age set in settings', () => {
    const health = backupHealth(
      input({ warnAfterHours: 24, lastSuccessAt: '2026-11-29T10:00:00Z' }),
    );
    expect(health).toMatchObject({ state: 'stopped', hoursWithout: 26, warnAfterHours: 24 });
  });

  it.each([
    [1, '1 hour'],
    [47, '47 hours'],
    [48, '2 days'],
    [73, '3 days'],
  ])('%i hours → %s', (hours, words) => expect(durationWords(hours)).toBe(words));
});
