import { describe, expect, it } from 'vitest';
import {
  BYTES_PER_GB,
  bytesToGb,
  checkSettingsForm,
  gbToBytes,
  sameForm,
  settingsFieldPaths,
  settingsToForm,
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
    },
    cleanup: {
      ...base.cleanup,
      logRetentionDays: 14,
      cacheCapBytes: 512 * 1024 ** 2,
      cacheMaxAgeDays: 0,
    },
    alerts: { freeSpaceMinBytes: 20 * BYTES_PER_GB, weeklyGrowthFactor: 1.5 },
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
  ])('round-trips %s unchanged', (_name, settings) => {
    expect(checkSettingsForm(settingsToForm(settings), settings)).toEqual({ ok: true, settings });
  });

  it('shows sizes in GB and counts as typed numbers', () => {
    const form = settingsToForm(customSettings());
    expect(form).toMatchObject({
      destination: '/mnt/backups',
      retentionDaily: '3',
      retentionWeekly: '0',
      cacheCapGb: '0.5',
      freeSpaceMinGb: '20',
      weeklyGrowthFactor: '1.5',
      unreadableFiles: 'warn',
    });
    expect(settingsToForm(defaultSettings())).toMatchObject({
      destination: '',
      cacheCapGb: '1',
      freeSpaceMinGb: '5',
    });
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
    expect(result.issues).toEqual({ [field]: 'Enter a number' });
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
    expect(result.issues.retentionDaily).toBe('Enter a number');
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
    const base = customSettings();
    const result = checkSettingsForm(settingsToForm(base), base);
    expect(result.ok && result.settings.version).toBe(1);
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
        [field]: field === 'unreadableFiles' ? 'warn' : `${form[field]}0`,
      };
      expect(sameForm(form, changed)).toBe(false);
    }
    // Text, not value: "7" and "7.0" are different forms.
    expect(sameForm(form, { ...form, retentionDaily: '7.0' })).toBe(false);
  });
});
