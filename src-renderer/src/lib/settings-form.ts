import {
  mergeSettings,
  type Settings,
  type SettingsPatch,
} from '../../../src-shared/models/settings';
import { checkSettings } from '../../../src-shared/models/settings-rules';

/** Bytes in one GiB as the settings form counts them (binary, like the defaults: 1 and 5 GiB). */
export const BYTES_PER_GB = 1024 ** 3;

/** Whole bytes from a number of GiB. */
export function gbToBytes(gb: number): number {
  return Math.round(gb * BYTES_PER_GB);
}

/** GiB from bytes, rounded to at most three decimals for the field. */
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
  openAtLogin: OpenAtLoginChoice;
  batteryMinPercent: string;
  warnAfterHours: string;
  logRetentionDays: string;
  cacheCapGb: string;
  cacheMaxAgeDays: string;
  freeSpaceMinGb: string;
  weeklyGrowthFactor: string;
}

export type SettingsField = keyof SettingsForm;

/**
 * Open at login as the page offers it: `auto` follows Tend's rule (on once a backup folder is
 * chosen; `app.openAtLogin` null), `on` and `off` are the person's choice.
 */
export type OpenAtLoginChoice = 'auto' | 'on' | 'off';

/** The setting for a choice of the open-at-login field. */
export function openAtLoginSetting(choice: OpenAtLoginChoice): boolean | null {
  return choice === 'auto' ? null : choice === 'on';
}

/** The choice of the open-at-login field for a setting. */
export function openAtLoginChoice(setting: boolean | null): OpenAtLoginChoice {
  return setting === null ? 'auto' : setting ? 'on' : 'off';
}

/** A message under a field, by field. */
export type FieldIssues = Partial<Record<SettingsField, string>>;

/**
 * Where each form field lives in the settings, so an issue lands under its field. The order
 * is the page's, top to bottom: the first field with an issue takes the focus.
 */
export const settingsFieldPaths: Readonly<Record<SettingsField, string>> = {
  destination: 'backup.destination',
  retentionDaily: 'backup.retention.daily',
  retentionWeekly: 'backup.retention.weekly',
  retentionMonthly: 'backup.retention.monthly',
  unreadableFiles: 'backup.unreadableFiles',
  scheduleCritical: 'backup.schedules.critical',
  scheduleWeeklyFull: 'backup.schedules.weeklyFull',
  scheduleMonthlyFull: 'backup.schedules.monthlyFull',
  openAtLogin: 'app.openAtLogin',
  batteryMinPercent: 'unattended.batteryMinPercent',
  warnAfterHours: 'unattended.warnAfterHours',
  logRetentionDays: 'cleanup.logRetentionDays',
  cacheCapGb: 'cleanup.cacheCapBytes',
  cacheMaxAgeDays: 'cleanup.cacheMaxAgeDays',
  freeSpaceMinGb: 'alerts.freeSpaceMinBytes',
  weeklyGrowthFactor: 'alerts.weeklyGrowthFactor',
};

/** The form's fields in the page's order. */
export const settingsFields = Object.keys(settingsFieldPaths) as ReadonlyArray<SettingsField>;

const fieldByPath = new Map(
  Object.entries(settingsFieldPaths).map(([field, path]) => [path, field as SettingsField]),
);

/** The form field an issue's settings path is about, if the form has one. */
export function fieldOfPath(path: string): SettingsField | null {
  return fieldByPath.get(path) ?? null;
}

/** The form for some settings. */
export function settingsToForm(settings: Settings): SettingsForm {
  const { backup, cleanup, alerts, app, unattended } = settings;
  return {
    destination: backup.destination ?? '',
    retentionDaily: String(backup.retention.daily),
    retentionWeekly: String(backup.retention.weekly),
    retentionMonthly: String(backup.retention.monthly),
    scheduleCritical: backup.schedules.critical,
    scheduleWeeklyFull: backup.schedules.weeklyFull,
    scheduleMonthlyFull: backup.schedules.monthlyFull,
    unreadableFiles: backup.unreadableFiles,
    openAtLogin: openAtLoginChoice(app.openAtLogin),
    batteryMinPercent: String(unattended.batteryMinPercent),
    warnAfterHours: String(unattended.warnAfterHours),
    logRetentionDays: String(cleanup.logRetentionDays),
    cacheCapGb: String(bytesToGb(cleanup.cacheCapBytes)),
    cacheMaxAgeDays: String(cleanup.cacheMaxAgeDays),
    freeSpaceMinGb: String(bytesToGb(alerts.freeSpaceMinBytes)),
    weeklyGrowthFactor: String(alerts.weeklyGrowthFactor),
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

/** The fields whose text differs from the saved settings', in the page's order. */
export function changedFields(form: SettingsForm, saved: Settings): SettingsField[] {
  const savedForm = settingsToForm(saved);
  return settingsFields.filter((field) => form[field] !== savedForm[field]);
}

/** What checking the form gives: the change to save, or a message per field. */
export type FormCheck =
  | {
      readonly ok: true;
      /** Only the fields that changed, with the revision they were changed from. */
      readonly patch: SettingsPatch;
      /** The settings as they will be once saved. */
      readonly settings: Settings;
    }
  | {
      readonly ok: false;
      readonly issues: FieldIssues;
      /** Issues no field of the form is about (a newer schema, say). */
      readonly general: ReadonlyArray<string>;
    };

/** Sets `value` at a dotted path of a plain object, making the objects on the way. */
function setAt(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    node[key] ??= {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys.at(-1)!] = value;
}

/**
 * Turns the fields that changed into a patch and checks the settings it makes with the
 * engine's own rules (settings-rules.ts): the schema, croner for schedules, the backup
 * folder against the data folder `root`.
 *
 * Sizes are typed in GiB and stored in bytes. Each issue is placed under the field it is
 * about; an issue the form has no field for is returned as a general one.
 */
export function checkSettingsForm(
  form: SettingsForm,
  saved: Settings,
  root: string | null = null,
): FormCheck {
  const issues: FieldIssues = {};
  const patch: Record<string, unknown> = { revision: saved.revision };
  const number = (field: SettingsField, scale = 1): number | null => {
    const value = readNumber(form[field]);
    if (value === null) issues[field] = 'Type a number';
    return value === null ? null : scale === 1 ? value : Math.round(value * scale);
  };
  const valueOf = (field: SettingsField): unknown => {
    switch (field) {
      case 'destination':
        return form.destination.trim() === '' ? null : form.destination.trim();
      case 'cacheCapGb':
      case 'freeSpaceMinGb':
        return number(field, BYTES_PER_GB);
      case 'scheduleCritical':
      case 'scheduleWeeklyFull':
      case 'scheduleMonthlyFull':
      case 'unreadableFiles':
        return form[field];
      case 'openAtLogin':
        return openAtLoginSetting(form.openAtLogin);
      default:
        return number(field);
    }
  };
  const changed = changedFields(form, saved);
  for (const field of changed) setAt(patch, settingsFieldPaths[field], valueOf(field));

  const destinationChanged = changed.includes('destination');
  const checked = checkSettings(mergeSettings(saved, patch as SettingsPatch), {
    root,
    destinationChanged,
  });
  if (checked.ok && Object.keys(issues).length === 0) {
    return { ok: true, patch: patch as SettingsPatch, settings: checked.settings };
  }
  const general: string[] = [];
  if (!checked.ok) {
    for (const issue of checked.issues) {
      const field = fieldOfPath(issue.path);
      // The "Type a number" of a field that could not be read says more than null's issue.
      if (field) issues[field] ??= issue.message;
      else general.push(issue.path ? `${issue.path}: ${issue.message}` : issue.message);
    }
  }
  return { ok: false, issues, general };
}

/** Issues the engine returned (`details.issues`), placed under the fields they are about. */
export function issuesFromDetails(details: unknown): { issues: FieldIssues; general: string[] } {
  const list = (details as { issues?: unknown } | null | undefined)?.issues;
  const issues: FieldIssues = {};
  const general: string[] = [];
  if (!Array.isArray(list)) return { issues, general };
  for (const item of list as Array<{ path?: unknown; message?: unknown }>) {
    if (typeof item?.message !== 'string') continue;
    const path = typeof item.path === 'string' ? item.path.replace(/^settings\./, '') : '';
    const field = fieldOfPath(path);
    if (field) issues[field] ??= item.message;
    else general.push(path ? `${path}: ${item.message}` : item.message);
  }
  return { issues, general };
}

/** What following a save made elsewhere does to a form being edited. */
export interface Rebased {
  readonly form: SettingsForm;
  /** Fields the person changed that were also saved elsewhere, with the value saved there. */
  readonly clashes: Partial<Record<SettingsField, string>>;
}

/**
 * Moves a form being edited onto settings saved elsewhere (another window, the tray, the
 * command line): fields the person has not touched take the new saved values; fields they
 * changed keep what they typed. A field changed on both sides is a clash, shown beside the
 * field with the value saved elsewhere, so nothing is overwritten without being seen.
 */
export function rebaseForm(form: SettingsForm, before: Settings, after: Settings): Rebased {
  const old = settingsToForm(before);
  const next = settingsToForm(after);
  const out = { ...form } as Record<SettingsField, string>;
  const clashes: Partial<Record<SettingsField, string>> = {};
  for (const field of settingsFields) {
    if (form[field] === old[field]) out[field] = next[field];
    else if (next[field] !== old[field] && next[field] !== form[field]) {
      clashes[field] = next[field];
    }
  }
  return { form: out as unknown as SettingsForm, clashes };
}

/** Whether two forms hold the same text in every field. */
export function sameForm(a: SettingsForm, b: SettingsForm): boolean {
  return settingsFields.every((field) => a[field] === b[field]);
}
