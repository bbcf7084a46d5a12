import { describeZodError } from '../../../src-shared/errors';
import { SettingsSchema, type Settings } from '../../../src-shared/models/settings';

/** Bytes in one GB as the settings form counts them (binary, like the defaults: 1 and 5 GB). */
export const BYTES_PER_GB = 1024 ** 3;

/** Whole bytes from a number of GB. */
export function gbToBytes(gb: number): number {
  return Math.round(gb * BYTES_PER_GB);
}

/** GB from bytes, rounded to at most three decimals for the field. */
export function bytesToGb(bytes: number): number {
  return Math.round((bytes / BYTES_PER_GB) * 1000) / 1000;
}

/**
 * Every field of the settings form, as the text the user edits.
 *
 * Text, not numbers: a half-typed "1." or an empty field must stay on screen as typed, with its
 * message underneath, instead of snapping back to a number.
 */
export interface SettingsForm {
  destination: string;
  retentionDaily: string;
  retentionWeekly: string;
  retentionMonthly: string;
  scheduleCritical: string;
  scheduleWeeklyFull: string;
  scheduleMonthlyFull: string;
  unreadableFiles: Settings['backup']['unreadableFiles'];
  logRetentionDays: string;
  cacheCapGb: string;
  cacheMaxAgeDays: string;
  freeSpaceMinGb: string;
  weeklyGrowthFactor: string;
}

export type SettingsField = keyof SettingsForm;

/** A message under a field, by field. */
export type FieldIssues = Partial<Record<SettingsField, string>>;

/** Where each form field lives in the settings, so a schema issue lands under its field. */
export const settingsFieldPaths: Readonly<Record<SettingsField, string>> = {
  destination: 'backup.destination',
  retentionDaily: 'backup.retention.daily',
  retentionWeekly: 'backup.retention.weekly',
  retentionMonthly: 'backup.retention.monthly',
  scheduleCritical: 'backup.schedules.critical',
  scheduleWeeklyFull: 'backup.schedules.weeklyFull',
  scheduleMonthlyFull: 'backup.schedules.monthlyFull',
  unreadableFiles: 'backup.unreadableFiles',
  logRetentionDays: 'cleanup.logRetentionDays',
  cacheCapGb: 'cleanup.cacheCapBytes',
  cacheMaxAgeDays: 'cleanup.cacheMaxAgeDays',
  freeSpaceMinGb: 'alerts.freeSpaceMinBytes',
  weeklyGrowthFactor: 'alerts.weeklyGrowthFactor',
};

const fieldByPath = new Map(
  Object.entries(settingsFieldPaths).map(([field, path]) => [path, field as SettingsField]),
);

/** Shows a number without trailing noise: 1, 0.5, 2.25. */
function numberText(value: number): string {
  return String(value);
}

/** The form for some settings. */
export function settingsToForm(settings: Settings): SettingsForm {
  const { backup, cleanup, alerts } = settings;
  return {
    destination: backup.destination ?? '',
    retentionDaily: numberText(backup.retention.daily),
    retentionWeekly: numberText(backup.retention.weekly),
    retentionMonthly: numberText(backup.retention.monthly),
    scheduleCritical: backup.schedules.critical,
    scheduleWeeklyFull: backup.schedules.weeklyFull,
    scheduleMonthlyFull: backup.schedules.monthlyFull,
    unreadableFiles: backup.unreadableFiles,
    logRetentionDays: numberText(cleanup.logRetentionDays),
    cacheCapGb: numberText(bytesToGb(cleanup.cacheCapBytes)),
    cacheMaxAgeDays: numberText(cleanup.cacheMaxAgeDays),
    freeSpaceMinGb: numberText(bytesToGb(alerts.freeSpaceMinBytes)),
    weeklyGrowthFactor: numberText(alerts.weeklyGrowthFactor),
  };
}

/**
 * Reads a number field. An empty or non-numeric field is an error here, because the schema
 * would otherwise fill in its default and quietly save something the user did not type.
 */
function readNumber(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === '' || !/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(trimmed)) return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : null;
}

/** What checking the form gives: settings ready to save, or a message per field. */
export type FormCheck =
  | { readonly ok: true; readonly settings: Settings }
  | {
      readonly ok: false;
      readonly issues: FieldIssues;
      /** Issues no field of the form is about (a newer schema, say). */
      readonly general: ReadonlyArray<string>;
    };

/**
 * Turns the form into settings and validates them with `SettingsSchema`.
 *
 * Sizes are typed in GB and stored in bytes. Each schema issue is shown under the field it is
 * about; an issue the form has no field for is returned as a general one.
 */
export function checkSettingsForm(form: SettingsForm, base: Settings): FormCheck {
  const issues: FieldIssues = {};
  const number = (field: SettingsField, scale = 1): number => {
    const value = readNumber(form[field]);
    if (value === null) {
      issues[field] = 'Enter a number';
      return Number.NaN;
    }
    return scale === 1 ? value : Math.round(value * scale);
  };

  const candidate = {
    ...base,
    backup: {
      ...base.backup,
      destination: form.destination.trim() === '' ? null : form.destination.trim(),
      retention: {
        daily: number('retentionDaily'),
        weekly: number('retentionWeekly'),
        monthly: number('retentionMonthly'),
      },
      schedules: {
        critical: form.scheduleCritical,
        weeklyFull: form.scheduleWeeklyFull,
        monthlyFull: form.scheduleMonthlyFull,
      },
      unreadableFiles: form.unreadableFiles,
    },
    cleanup: {
      ...base.cleanup,
      logRetentionDays: number('logRetentionDays'),
      cacheCapBytes: number('cacheCapGb', BYTES_PER_GB),
      cacheMaxAgeDays: number('cacheMaxAgeDays'),
    },
    alerts: {
      ...base.alerts,
      freeSpaceMinBytes: number('freeSpaceMinGb', BYTES_PER_GB),
      weeklyGrowthFactor: number('weeklyGrowthFactor'),
    },
  };

  const parsed = SettingsSchema.safeParse(candidate);
  if (parsed.success && Object.keys(issues).length === 0) {
    return { ok: true, settings: parsed.data };
  }
  const general: string[] = [];
  if (!parsed.success) {
    for (const issue of describeZodError(parsed.error).issues) {
      const field = fieldByPath.get(issue.path);
      // The "Enter a number" of a field that could not be read says more than NaN's issue.
      if (field) issues[field] ??= issue.message;
      else general.push(issue.path ? `${issue.path}: ${issue.message}` : issue.message);
    }
  }
  return { ok: false, issues, general };
}

/** Whether two forms hold the same text in every field. */
export function sameForm(a: SettingsForm, b: SettingsForm): boolean {
  return (Object.keys(a) as SettingsField[]).every((field) => a[field] === b[field]);
}
