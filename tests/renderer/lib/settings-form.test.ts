import { describe, expect, it } from 'vitest';
import {
  BYTES_PER_GB,
  bytesToGb,
  changedFields,
  checkSettingsForm,
  gbToBytes,
  issuesFromDetails,
  openAtLoginChoice,
  openAtLoginSetting,
  rebaseForm,
  sameForm,
  settingsFieldPaths,
  settingsToForm,
  type OpenAtLoginChoice,
  type SettingsField,
  type SettingsForm,
} from '../../../src-renderer/src/lib/settings-form';
import {
  defaultSettings,
  SettingsSchema,
  type Settings,
} from '../../../src-shared/models/settings';

const numberFields: ReadonlyArray<SettingsField> = [
  'retentionDaily',
  'retentionWeekly',
  'retentionMonthly',
  'logRetentionDays',
  'cacheCapGb',
  'cacheMaxAgeDays',
  'freeSpaceMinGb',
  'weeklyGrowthFactor',
  'batteryMinPercent',
  'warnAfterHours',
];

function customSettings(): Settings {
  const base = defaultSettings();
  return {
    ...base,
    backup: {
      destination: '/mnt/backups',
      retention: { daily: 3, weekly: 0, monthly: 240 },
      schedules: { critical: '15 2 * * *', weeklyFull: '0 4 * * 1', monthlyFull: '0 5 2 * *' },
      unreadableFiles: 'warn',
      repository: null,
    },
    cleanup: {
      ...base.cleanup,
      logRetentionDays: 14,
      cacheCapBytes: 512 * 1024 ** 2,
      cacheMaxAgeDays: 0,
    },
    alerts: { freeSpaceMinBytes: 20 * BYTES_PER_GB, weeklyGrowthFactor: 1.5 },
    app: { openAtLogin: false },
    unattended: { batteryMinPercent: 0, warnAfterHours: 72 },
  };
}

function check(changes: Partial<SettingsForm>, base: Settings = defaultSettings()) {
  return checkSettingsForm({ ...settingsToForm(base), ...changes }, base);
}

/** The message the schema itself gives for one value at a path. */
function schemaMessage(path: string, value: unknown): string {
  const settings = structuredClone(defaultSettings()) as unknown as Record<
    string,
    Record<string, unknown>
  >;
  const keys = path.split('.');
  let node: Record<string, unknown> = settings;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[keys.at(-1) as string] = value;
  const parsed = SettingsSchema.safeParse(settings);
  if (parsed.success) throw new Error(`${path}=${String(value)} is valid`);
  return parsed.error.issues[0]?.message ?? '';
}

describe('GB and bytes', () => {
  it.each<[number, number]>([
    [1, 1024 ** 3],
    [5, 5 * 1024 ** 3],
    [0.5, 512 * 1024 ** 2],
    [0, 0],
    [1.0000000001, 1024 ** 3],
  ])('%s GB is %s bytes', (gb, bytes) => {
    expect(gbToBytes(gb)).toBe(bytes);
    expect(Number.isInteger(gbToBytes(gb))).toBe(true);
  });

  it.each<[number, number]>([
    [1024 ** 3, 1],
    [5 * 1024 ** 3, 5],
    [512 * 1024 ** 2, 0.5],
    [0, 0],
    [1, 0],
    [1234567890, 1.15],
    [1.5 * 1024 ** 4, 1536],
  ])('%s bytes shows as %s GB', (bytes, gb) => {
    expect(bytesToGb(bytes)).toBe(gb);
  });
});

describe('settingsToForm and checkSettingsForm', () => {
  it.each([
    ['the defaults', defaultSettings()],
    ['settings with every field changed', customSettings()],
  ])('round-trips %s unchanged, with a patch of nothing but the revision', (_name, settings) => {
    expect(checkSettingsForm(settingsToForm(settings), settings)).toEqual({
      ok: true,
      settings,
      patch: { revision: settings.revision },
    });
  });

  it('the patch holds only the fields that changed, and the revision they were changed from', () => {
    const saved = { ...customSettings(), revision: 7 };
    const form = { ...settingsToForm(saved), logRetentionDays: '21', cacheCapGb: '2' };
    expect(changedFields(form, saved)).toEqual(['logRetentionDays', 'cacheCapGb']);
    const result = checkSettingsForm(form, saved);
    expect(result.ok && result.patch).toEqual({
      revision: 7,
      cleanup: { logRetentionDays: 21, cacheCapBytes: 2 * BYTES_PER_GB },
    });
  });

  it("checks the backup folder and schedules with the engine's rules", () => {
    const result = checkSettingsForm(
      {
        ...settingsToForm(defaultSettings()),
        destination: '/data/root/backups',
        scheduleCritical: '61 3 * * *',
      },
      defaultSettings(),
      '/data/root',
    );
    expect(result).toEqual({
      ok: false,
      general: [],
      issues: {
        destination: expect.stringContaining('inside the data folder'),
        scheduleCritical: 'The minute must be from 0 to 59 (“61” was typed).',
      },
    });
  });

  it('shows sizes in GB and counts as typed numbers', () => {
    const form = settingsToForm(customSettings());
    expect(form).toMatchObject({
      openAtLogin: 'off',
      batteryMinPercent: '0',
      warnAfterHours: '72',
      destination: '/mnt/backups',
      retentionDaily: '3',
      retentionWeekly: '0',
      cacheCapGb: '0.5',
      freeSpaceMinGb: '20',
      weeklyGrowthFactor: '1.5',
      unreadableFiles: 'warn',
    });
    expect(settingsToForm(defaultSettings())).toMatchObject({
      openAtLogin: 'auto',
      batteryMinPercent: '30',
      warnAfterHours: '48',
      destination: '',
      cacheCapGb: '1',
      freeSpaceMinGb: '5',
    });
  });

  it.each<[OpenAtLoginChoice, boolean | null]>([
    ['auto', null],
    ['on', true],
    ['off', false],
  ])('open at login “%s” saves %s', (choice, setting) => {
    expect(openAtLoginSetting(choice)).toBe(setting);
    expect(openAtLoginChoice(setting)).toBe(choice);
    const saved = { ...defaultSettings(), app: { openAtLogin: setting === null ? true : null } };
    const result = checkSettingsForm({ ...settingsToForm(saved), openAtLogin: choice }, saved);
    expect(result.ok && result.patch).toEqual({ revision: 0, app: { openAtLogin: setting } });
  });

  it('saves the battery level and the warning age as whole numbers, in their sections', () => {
    const result = check({ batteryMinPercent: '45', warnAfterHours: ' 72 ' });
    expect(result.ok && result.patch).toEqual({
      revision: 0,
      unattended: { batteryMinPercent: 45, warnAfterHours: 72 },
    });
  });

  it.each<[Partial<SettingsForm>, Partial<Record<SettingsField, string>>]>([
    [{ batteryMinPercent: '150' }, { batteryMinPercent: 'Type a number from 0 to 100' }],
    [{ batteryMinPercent: '-5' }, { batteryMinPercent: 'Type a number from 0 to 100' }],
    [{ batteryMinPercent: '30.5' }, { batteryMinPercent: 'Type a whole number' }],
    [{ warnAfterHours: '0' }, { warnAfterHours: 'Type a number of hours from 1 to 8760 (a year)' }],
    [
      { warnAfterHours: '1e4' },
      { warnAfterHours: 'Type a number of hours from 1 to 8760 (a year)' },
    ],
    [{ warnAfterHours: '36.5' }, { warnAfterHours: 'Type a whole number of hours' }],
  ])('%j is refused in words: %j', (typed, issues) => {
    expect(check(typed)).toEqual({ ok: false, issues, general: [] });
  });

  it('reads GB fields into whole bytes', () => {
    const result = check({ cacheCapGb: '2.5', freeSpaceMinGb: ' 0.25 ' });
    expect(result.ok && result.settings.cleanup.cacheCapBytes).toBe(2.5 * BYTES_PER_GB);
    expect(result.ok && result.settings.alerts.freeSpaceMinBytes).toBe(BYTES_PER_GB / 4);
  });

  it.each(['1e1', '+4', '1.5', '7.', ' 12 ', '2E0'])('reads %j as a number', (text) => {
    const result = check({ weeklyGrowthFactor: text });
    expect(result.ok && result.settings.alerts.weeklyGrowthFactor).toBe(Number(text));
  });

  it('reads a size with no leading zero', () => {
    const result = check({ cacheCapGb: '.5' });
    expect(result.ok && result.settings.cleanup.cacheCapBytes).toBe(BYTES_PER_GB / 2);
  });

  it('an empty destination means none chosen; one with spaces is trimmed', () => {
    const none = check({ destination: '   ' }, customSettings());
    expect(none.ok && none.settings.backup.destination).toBeNull();
    const trimmed = check({ destination: '  /mnt/x  ' });
    expect(trimmed.ok && trimmed.settings.backup.destination).toBe('/mnt/x');
  });

  it.each(
    numberFields.flatMap((field) =>
      ['', '   ', 'abc', '1,5', '0x10', 'Infinity', '1e999', 'NaN', '1 2'].map(
        (text) => [field, text] as const,
      ),
    ),
  )('%s: %j asks for a number instead of saving a default', (field, text) => {
    const result = check({ [field]: text });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toEqual({ [field]: 'Type a number' });
    expect(result.general).toEqual([]);
  });

  it.each<[SettingsField, string, string, unknown]>([
    ['retentionDaily', '1.5', 'backup.retention.daily', 1.5],
    ['retentionWeekly', '-1', 'backup.retention.weekly', -1],
    ['retentionMonthly', '241', 'backup.retention.monthly', 241],
    ['logRetentionDays', '5000', 'cleanup.logRetentionDays', 5000],
    ['cacheMaxAgeDays', '-3', 'cleanup.cacheMaxAgeDays', -3],
    ['cacheCapGb', '-1', 'cleanup.cacheCapBytes', -BYTES_PER_GB],
    ['freeSpaceMinGb', '-0.5', 'alerts.freeSpaceMinBytes', -BYTES_PER_GB / 2],
    ['weeklyGrowthFactor', '0.5', 'alerts.weeklyGrowthFactor', 0.5],
    ['weeklyGrowthFactor', '101', 'alerts.weeklyGrowthFactor', 101],
    ['scheduleCritical', 'every night', 'backup.schedules.critical', 'every night'],
    ['scheduleWeeklyFull', '0 4 * *', 'backup.schedules.weeklyFull', '0 4 * *'],
    ['scheduleMonthlyFull', '', 'backup.schedules.monthlyFull', ''],
    ['batteryMinPercent', '101', 'unattended.batteryMinPercent', 101],
    ['batteryMinPercent', '12.5', 'unattended.batteryMinPercent', 12.5],
    ['warnAfterHours', '0', 'unattended.warnAfterHours', 0],
    ['warnAfterHours', '9000', 'unattended.warnAfterHours', 9000],
    ['warnAfterHours', '1.5', 'unattended.warnAfterHours', 1.5],
  ])('%s = %j: the schema issue lands under its field', (field, text, schemaPath, value) => {
    expect(settingsFieldPaths[field]).toBe(schemaPath);
    const result = check({ [field]: text });
    expect(result).toEqual({
      ok: false,
      issues: { [field]: schemaMessage(schemaPath, value) },
      general: [],
    });
  });

  it('gives each broken field its own message at once', () => {
    const result = check({ retentionDaily: 'x', retentionWeekly: '-1', scheduleCritical: 'bad' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.issues).sort()).toEqual([
      'retentionDaily',
      'retentionWeekly',
      'scheduleCritical',
    ]);
    expect(result.issues.retentionDaily).toBe('Type a number');
  });

  it('an issue no field is about is general, with its path', () => {
    const base = { ...defaultSettings(), version: 2 } as unknown as Settings;
    const result = checkSettingsForm(settingsToForm(defaultSettings()), base);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toEqual({});
    expect(result.general).toHaveLength(1);
    expect(result.general[0]).toMatch(/^version: /);
  });

  it('keeps settings the form has no field for', () => {
    const base = { ...customSettings(), revision: 3 };
    const result = checkSettingsForm({ ...settingsToForm(base), retentionDaily: '4' }, base);
    expect(result.ok && result.settings.version).toBe(1);
    expect(result.ok && result.settings.revision).toBe(3);
  });

  it('every form field maps to a distinct settings path', () => {
    const paths = Object.values(settingsFieldPaths);
    expect(new Set(paths).size).toBe(paths.length);
    expect(Object.keys(settingsFieldPaths).sort()).toEqual(
      Object.keys(settingsToForm(defaultSettings())).sort(),
    );
  });
});

describe('sameForm', () => {
  it('is true for equal text and false when any field differs', () => {
    const form = settingsToForm(defaultSettings());
    expect(sameForm(form, { ...form })).toBe(true);
    for (const field of Object.keys(form) as SettingsField[]) {
      const changed = {
        ...form,
        [field]:
          field === 'unreadableFiles' ? 'warn' : field === 'openAtLogin' ? 'on' : `${form[field]}0`,
      };
      expect(sameForm(form, changed)).toBe(false);
    }
    // Text, not value: "7" and "7.0" are different forms.
    expect(sameForm(form, { ...form, retentionDaily: '7.0' })).toBe(false);
  });
});

describe('rebaseForm', () => {
  const before = defaultSettings();
  const after: Settings = {
    ...before,
    revision: 1,
    backup: {
      ...before.backup,
      destination: '/mnt/cli',
      retention: { ...before.backup.retention, daily: 10 },
    },
    cleanup: { ...before.cleanup, logRetentionDays: 60 },
  };

  it.each<
    [string, Partial<SettingsForm>, Partial<SettingsForm>, Partial<Record<SettingsField, string>>]
  >([
    [
      'untouched fields follow the save made elsewhere',
      {},
      { destination: '/mnt/cli', retentionDaily: '10', logRetentionDays: '60' },
      {},
    ],
    [
      'a field changed only here keeps what was typed',
      { cacheMaxAgeDays: '5' },
      { cacheMaxAgeDays: '5', retentionDaily: '10' },
      {},
    ],
    [
      'a field changed on both sides keeps what was typed and is a clash',
      { logRetentionDays: '14' },
      { logRetentionDays: '14', destination: '/mnt/cli' },
      { logRetentionDays: '60' },
    ],
    [
      'the same value typed on both sides is no clash',
      { logRetentionDays: '60' },
      { logRetentionDays: '60' },
      {},
    ],
  ])('%s', (_name, typed, expected, clashes) => {
    const form = { ...settingsToForm(before), ...typed };
    const rebased = rebaseForm(form, before, after);
    expect(rebased.form).toMatchObject(expected);
    expect(rebased.clashes).toEqual(clashes);
  });
});

describe('issuesFromDetails', () => {
  it("places the engine's issues under their fields, the rest as general ones", () => {
    expect(
      issuesFromDetails({
        issues: [
          { path: 'backup.destination', message: 'inside' },
          { path: 'settings.backup.retention.daily', message: 'too many' },
          { path: 'settings.backup', message: 'Unrecognized key: "nope"' },
        ],
      }),
    ).toEqual({
      issues: { destination: 'inside', retentionDaily: 'too many' },
      general: ['backup: Unrecognized key: "nope"'],
    });
    expect(issuesFromDetails(undefined)).toEqual({ issues: {}, general: [] });
  });
});
