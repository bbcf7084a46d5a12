import { describe, expect, it } from 'vitest';
import { defaultSettings, mergeSettings, type Settings } from '../../../src-shared/models/settings';
import {
  checkSettings,
  destinationProblem,
  folderWithin,
  longestBackupGapHours,
  scheduleProblem,
  warnAgeNote,
} from '../../../src-shared/models/settings-rules';

describe('scheduleProblem', () => {
  it.each([
    ['0 3 * * *', null],
    ['*/15 * * * 1-5', null],
    ['0 3 * * MON', null],
    ['0 3 L * *', null],
    ['61 3 * * *', 'The minute must be from 0 to 59 (“61” was typed).'],
    ['0 25 * * *', 'The hour must be from 0 to 23 (“25” was typed).'],
    ['0 3 32 * *', 'The day of the month must be from 1 to 31 (“32” was typed).'],
    ['0 3 * 13 *', 'The month must be from 1 to 12 (or JAN to DEC) (“13” was typed).'],
    ['0 3 * * 8', expect.stringContaining('The day of the week must be from 0 to 7')],
    ['0 3 31 2 *', expect.stringContaining('never comes due')],
    ['*/0 3 * * *', 'A step such as */15 must be 1 or more.'],
    ['5-3 * * * *', expect.stringContaining('from the lower number to the higher one')],
    ['a 3 * * *', '“a” (field 1) is not a number, a range, a list or *.'],
  ])('%s → %s', (expression, expected) => {
    expect(scheduleProblem(expression)).toEqual(expected);
  });
});

describe('destinationProblem', () => {
  const root = '/home/me/assistant';
  it.each([
    ['/media/usb/tend', null],
    ['/home/me/assistant-backups', null],
    ['backups', expect.stringContaining('Use a full path')],
    ['./backups', expect.stringContaining('Use a full path')],
    [' /media/usb', expect.stringContaining('Remove the spaces')],
    ['/home/me/assistant', expect.stringContaining('the data folder itself')],
    ['/home/me/assistant/', expect.stringContaining('the data folder itself')],
    ['/home/me/assistant/backups', expect.stringContaining('inside the data folder')],
    ['/home/me/other/../assistant/x', expect.stringContaining('inside the data folder')],
    ['/home/me', expect.stringContaining('holds the data folder')],
    ['C:\\Backups\\tend', null],
  ])('%s → %s', (destination, expected) => {
    expect(destinationProblem(destination, root)).toEqual(expected);
  });

  it('compares Windows paths without regard to case or slashes', () => {
    expect(folderWithin('C:\\Users\\Me\\Assistant', 'c:/users/me/assistant/backups')).toBe(true);
    expect(folderWithin('/a/b', '/a/bc')).toBe(false);
  });
});

describe('checkSettings', () => {
  const valid = (change: (s: Settings) => void) => {
    const settings = defaultSettings();
    change(settings);
    return settings;
  };

  it('accepts the defaults', () => {
    expect(checkSettings(defaultSettings(), { root: '/r' })).toEqual({
      ok: true,
      settings: defaultSettings(),
    });
  });

  it('names every field that is wrong at once, in words a person reads', () => {
    const candidate = valid((s) => {
      s.backup.destination = '/r/backups';
      s.backup.schedules.critical = '61 3 * * *';
      s.cleanup.cacheCapBytes = -1;
    });
    expect(checkSettings(candidate, { root: '/r' })).toEqual({
      ok: false,
      issues: [
        { path: 'cleanup.cacheCapBytes', message: 'Type a size of 0 or more' },
        { path: 'backup.destination', message: expect.stringContaining('inside the data folder') },
        { path: 'backup.schedules.critical', message: expect.stringContaining('minute') },
      ],
    });
  });

  it('leaves an unchanged backup folder alone', () => {
    const candidate = valid((s) => (s.backup.destination = 'relative'));
    expect(checkSettings(candidate, { root: '/r', destinationChanged: false }).ok).toBe(true);
  });

  it.each([
    [
      { backup: { retention: { daily: -3 } } },
      'backup.retention.daily',
      'Type a number from 0 to 365',
    ],
    [{ backup: { retention: { daily: 1.5 } } }, 'backup.retention.daily', 'Type a whole number'],
    [{ cleanup: { logRetentionDays: 'x' } }, 'cleanup.logRetentionDays', 'Type a number'],
    [
      { alerts: { weeklyGrowthFactor: 0.5 } },
      'alerts.weeklyGrowthFactor',
      'Type a factor from 1 to 100',
    ],
    [
      { backup: { schedules: { critical: 'often' } } },
      'backup.schedules.critical',
      expect.stringContaining('Use five cron fields'),
    ],
  ])('%j → %s: %s', (patch, path, message) => {
    const merged = mergeSettings(defaultSettings(), patch as never);
    expect(checkSettings(merged, { root: null })).toEqual({
      ok: false,
      issues: [{ path, message }],
    });
  });
});

describe('mergeSettings', () => {
  it('changes only the fields the patch names; null and numbers replace', () => {
    const base = valid();
    const merged = mergeSettings(base, {
      backup: { destination: null, retention: { weekly: 9 } },
      cleanup: { logRetentionDays: 3 },
    }) as Settings;
    expect(merged.backup.retention).toEqual({ daily: 7, weekly: 9, monthly: 12 });
    expect(merged.backup.destination).toBeNull();
    expect(merged.backup.schedules).toEqual(base.backup.schedules);
    expect(merged.cleanup).toEqual({ ...base.cleanup, logRetentionDays: 3 });
    expect(merged.alerts).toEqual(base.alerts);
  });

  function valid(): Settings {
    const settings = defaultSettings();
    settings.backup.destination = '/mnt/b';
    return settings;
  }
});

describe('the warning age against the schedules', () => {
  // A Monday at noon (UTC): the next two months hold every kind of gap below.
  const from = new Date('2026-11-30T12:00:00.000Z');
  const settingsWith = (
    schedules: Partial<Settings['backup']['schedules']>,
    warnAfterHours: number,
  ): Settings => {
    const base = defaultSettings();
    return {
      ...base,
      backup: { ...base.backup, schedules: { ...base.backup.schedules, ...schedules } },
      unattended: { ...base.unattended, warnAfterHours },
    };
  };

  it.each([
    // schedules, longest gap in hours
    [{}, 24],
    [{ critical: '0 */6 * * *' }, 6],
    // Friday 03:00 to Sunday's full backup at 04:00.
    [{ critical: '0 3 * * 1-5' }, 49],
    [{ critical: '0 3 1 * *', weeklyFull: '0 4 * * 0', monthlyFull: '0 5 1 * *' }, 7 * 24],
  ])('the schedules %j are at most %i hours apart', (schedules, hours) => {
    expect(longestBackupGapHours(settingsWith(schedules, 48), from)).toBe(hours);
  });

  it('has no gap for schedules that do not come due twice in two months', () => {
    expect(
      longestBackupGapHours(
        settingsWith(
          { critical: '0 3 29 2 *', weeklyFull: '0 4 29 2 *', monthlyFull: '0 3 1 1 *' },
          48,
        ),
        from,
      ),
    ).toBeNull();
  });

  it.each([
    [{}, 48, null],
    [{}, 25, null],
    [
      {},
      24,
      'The scheduled backups are up to 24 hours apart, so a warning after 24 hours would come between two good ones. Use more than 24; 48 leaves room for one missed run.',
    ],
    [
      { critical: '0 3 * * 1-5' },
      48,
      'The scheduled backups are up to 49 hours apart, so a warning after 48 hours would come between two good ones. Use more than 49; 98 leaves room for one missed run.',
    ],
  ])('schedules %j with a warning after %i hours: %s', (schedules, hours, note) => {
    expect(warnAgeNote(settingsWith(schedules, hours), from)).toBe(note);
  });
});
