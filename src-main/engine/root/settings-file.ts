import fs from 'node:fs/promises';
import { Cron } from 'croner';
import writeFileAtomic from 'write-file-atomic';
import { describeZodError, TendFailure } from '../../../src-shared/errors';
import {
  defaultSettings,
  SettingsSchema,
  type Settings,
} from '../../../src-shared/models/settings';

/**
 * Reads a root's settings; a missing file gives the defaults.
 *
 * A file that is not JSON or breaks the schema is an error with its code, never silently
 * replaced: the user may have edited it by hand.
 */
export async function readSettings(file: string): Promise<Settings> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return defaultSettings();
    throw new TendFailure(
      'SETTINGS_UNREADABLE',
      `Cannot read ${file}: ${(error as Error).message}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new TendFailure(
      'SETTINGS_UNREADABLE',
      `${file} is not valid JSON (${(error as Error).message}). Fix it, or save the settings again to replace it.`,
    );
  }
  const parsed = SettingsSchema.safeParse(json);
  if (!parsed.success) {
    const { message, issues } = describeZodError(parsed.error);
    throw new TendFailure('SETTINGS_INVALID', `${file} breaks the settings schema: ${message}`, {
      issues,
    });
  }
  return parsed.data;
}

/**
 * Validates and writes settings atomically (temp file, fsync, rename).
 *
 * A file that could not be read is kept beside as `settings.json.unreadable-<time>` first, so
 * saving over it loses nothing.
 */
export async function writeSettings(file: string, settings: unknown): Promise<Settings> {
  const parsed = SettingsSchema.safeParse(settings);
  if (!parsed.success) {
    const { message, issues } = describeZodError(parsed.error);
    throw new TendFailure('SETTINGS_INVALID', `Settings not saved: ${message}`, { issues });
  }
  const cronIssues = scheduleIssues(parsed.data);
  if (cronIssues.length > 0) {
    const message = cronIssues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
    throw new TendFailure('SETTINGS_INVALID', `Settings not saved: ${message}`, {
      issues: cronIssues,
    });
  }
  try {
    await readSettings(file);
  } catch (error) {
    if (error instanceof TendFailure) {
      const stamp = new Date().toISOString().replaceAll(':', '-');
      await fs.copyFile(file, `${file}.unreadable-${stamp}`).catch(() => undefined);
    }
  }
  await writeFileAtomic(file, `${JSON.stringify(parsed.data, null, 2)}\n`, { fsync: true });
  return parsed.data;
}

/**
 * Schedules the schema's pattern lets through but croner cannot run (a 31st of February, an
 * hour of 25): each with its settings path, so the form shows it under its field.
 */
export function scheduleIssues(settings: Settings): Array<{ path: string; message: string }> {
  const issues: Array<{ path: string; message: string }> = [];
  for (const [name, expression] of Object.entries(settings.backup.schedules)) {
    try {
      const cron = new Cron(expression, { paused: true });
      if (cron.nextRun() === null) throw new Error('it never runs');
    } catch (error) {
      issues.push({
        path: `backup.schedules.${name}`,
        message: `Not a schedule Tend can run: ${(error as Error).message}`,
      });
    }
  }
  return issues;
}
