/**
 * The rules a save of the settings must pass, as one pure function the Settings page and the
 * engine both run, so the page never accepts what the engine refuses. What needs the disk (a
 * destination reached through a link or a bind mount, whether it can be written) the engine
 * checks on top, in engine/root/destination-rules.ts.
 */
import { Cron } from 'croner';
import { describeZodError } from '../errors';
import { SettingsSchema, type Settings } from './settings';

/** One thing wrong with the settings: the field (dotted path) and what to do about it. */
export interface SettingsIssue {
  readonly path: string;
  readonly message: string;
}

/** The schedules, by their settings path, in the order the page shows them. */
export const schedulePaths = [
  'backup.schedules.critical',
  'backup.schedules.weeklyFull',
  'backup.schedules.monthlyFull',
] as const;

const cronFields: Readonly<Record<string, { name: string; range: string }>> = {
  minute: { name: 'minute', range: 'from 0 to 59' },
  hour: { name: 'hour', range: 'from 0 to 23' },
  day: { name: 'day of the month', range: 'from 1 to 31' },
  month: { name: 'month', range: 'from 1 to 12 (or JAN to DEC)' },
  dayOfWeek: { name: 'day of the week', range: 'from 0 to 7 (0 and 7 are Sunday, or SUN to SAT)' },
};

const fieldOrder = ['minute', 'hour', 'day', 'month', 'dayOfWeek'] as const;

/**
 * What is wrong with a cron expression, in words, or null when croner (the parser the
 * scheduler runs) accepts it and it comes due at least once.
 *
 * croner's own messages name its internals ("Invalid value for day: 31" for a typed 32), so
 * the ones a person meets are said again here with the field's real range.
 */
export function scheduleProblem(expression: string): string | null {
  const fields = expression.trim().split(/\s+/);
  try {
    const cron = new Cron(expression, { paused: true });
    if (cron.nextRun() === null) {
      return 'This schedule never comes due (a day that does not exist, such as the 31st of February).';
    }
    return null;
  } catch (error) {
    const text = ((error as Error)?.message ?? String(error)).replace(/^CronPattern:\s*/, '');
    const invalid = /Invalid value for (\w+)/.exec(text);
    const field = invalid ? cronFields[invalid[1]!] : undefined;
    if (invalid && field) {
      const index = fieldOrder.indexOf(invalid[1] as (typeof fieldOrder)[number]);
      const typed = index >= 0 && fields.length === 5 ? ` (“${fields[index]}” was typed)` : '';
      return `The ${field.name} must be ${field.range}${typed}.`;
    }
    if (/illegal stepping/i.test(text)) return 'A step such as */15 must be 1 or more.';
    if (/larger than to value/i.test(text)) {
      return 'A range must go from the lower number to the higher one, such as 1-5.';
    }
    if (/illegal characters/i.test(text)) {
      const entry = /entry (\d+) \(([^)]*)\)/.exec(text);
      const where = entry ? `“${entry[2]}” (field ${entry[1]})` : 'A field';
      return `${where} is not a number, a range, a list or *.`;
    }
    return `This schedule cannot run: ${text}.`;
  }
}

const HOUR_MS = 3_600_000;
// How far ahead the schedules are read to find their longest gap: two months holds a monthly
// run twice; the cap keeps a schedule of every minute cheap.
const GAP_HORIZON_MS = 62 * 24 * HOUR_MS;
const GAP_RUNS_CAP = 2000;

/**
 * The longest wait, in hours, between two backups the schedules start (critical, weekly and
 * monthly full, merged), over the two months from `from`; null when they come due less than
 * twice (or a schedule cannot be read: `checkSettings` says so).
 */
export function longestBackupGapHours(settings: Settings, from: Date): number | null {
  const runs: number[] = [];
  for (const expression of Object.values(settings.backup.schedules)) {
    if (scheduleProblem(expression) !== null) continue;
    for (const at of new Cron(expression, { paused: true }).nextRuns(GAP_RUNS_CAP, from)) {
      if (at.getTime() - from.getTime() > GAP_HORIZON_MS) break;
      runs.push(at.getTime());
    }
  }
  if (runs.length < 2) return null;
  runs.sort((a, b) => a - b);
  let longest = 0;
  for (let i = 1; i < runs.length; i += 1) longest = Math.max(longest, runs[i]! - runs[i - 1]!);
  return longest / HOUR_MS;
}

/**
 * A word about the warning age, or null: at or under the longest wait between two scheduled
 * backups, "backups have stopped" would be said between two runs that both succeed. Not a
 * refusal (the person may want it), a note beside the field.
 */
export function warnAgeNote(settings: Settings, from: Date = new Date()): string | null {
  const gap = longestBackupGapHours(settings, from);
  const hours = settings.unattended.warnAfterHours;
  if (gap === null || hours > gap) return null;
  const apart = Math.ceil(gap);
  return `The scheduled backups are up to ${apart} hours apart, so a warning after ${hours} hours would come between two good ones. Use more than ${apart}; ${apart * 2} leaves room for one missed run.`;
}

/** Whether a folder path is absolute on any of the systems Tend runs on. */
export function isAbsoluteFolder(folder: string): boolean {
  return folder.startsWith('/') || /^[A-Za-z]:[\\/]/.test(folder) || folder.startsWith('\\\\');
}

/** A path with one kind of separator, `.` and `..` worked out, and no trailing separator. */
function normalizeFolder(folder: string): string {
  const windows = !folder.startsWith('/');
  const parts: string[] = [];
  for (const part of folder.split(/[\\/]+/)) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(windows ? part.toLowerCase() : part);
  }
  return `/${parts.join('/')}`;
}

/** Whether `child` is `parent` or lies below it, by their text alone (no links followed). */
export function folderWithin(parent: string, child: string): boolean {
  const a = normalizeFolder(parent);
  const b = normalizeFolder(child);
  return b === a || b.startsWith(a.endsWith('/') ? a : `${a}/`);
}

/**
 * What is wrong with a backup folder, judged by its text: it must be a full path, and not the
 * data folder, inside it, or around it. The engine follows links and bind mounts on top.
 */
export function destinationProblem(destination: string, root: string | null): string | null {
  if (destination.trim() !== destination) {
    return 'Remove the spaces at the start or end of the folder path.';
  }
  if (!isAbsoluteFolder(destination)) {
    return `Use a full path from the top of the disk, such as /media/usb/tend-backups, not “${destination}”.`;
  }
  if (root === null) return null;
  if (folderWithin(destination, root)) {
    return folderWithin(root, destination)
      ? 'That is the data folder itself. Backups must go to a folder outside it, best on another drive.'
      : `That folder holds the data folder (${root}). Choose a folder beside it or on another drive.`;
  }
  if (folderWithin(root, destination)) {
    return `That folder is inside the data folder (${root}): a backup there would be lost with the data. Choose a folder outside it, best on another drive.`;
  }
  return null;
}

/** What checking settings gives: the settings to save, or every issue with its field. */
export type SettingsCheck =
  | { readonly ok: true; readonly settings: Settings }
  | { readonly ok: false; readonly issues: ReadonlyArray<SettingsIssue> };

/**
 * Checks settings about to be saved: the schema (with its messages), every schedule with
 * croner, and the backup folder's text against the data folder.
 *
 * `root` is the open data folder, when known. `destinationChanged` false leaves the folder
 * alone: a save of the log days must not fail because the backup drive is unplugged.
 */
export function checkSettings(
  candidate: unknown,
  options: { root: string | null; destinationChanged?: boolean },
): SettingsCheck {
  const parsed = SettingsSchema.safeParse(candidate);
  const issues: SettingsIssue[] = parsed.success ? [] : [...describeZodError(parsed.error).issues];
  const flagged = new Set(issues.map((issue) => issue.path));
  // The rules below run on the values the schema let through, so one save names every
  // field that is wrong, not only the first kind of problem.
  const backup = (parsed.success ? parsed.data : candidate) as
    { backup?: { destination?: unknown; schedules?: Record<string, unknown> } } | undefined;
  const destination = backup?.backup?.destination;
  if (
    typeof destination === 'string' &&
    options.destinationChanged !== false &&
    !flagged.has('backup.destination')
  ) {
    const problem = destinationProblem(destination, options.root);
    if (problem) issues.push({ path: 'backup.destination', message: problem });
  }
  for (const path of schedulePaths) {
    const expression = backup?.backup?.schedules?.[path.split('.').at(-1)!];
    if (typeof expression !== 'string' || flagged.has(path)) continue;
    const problem = scheduleProblem(expression);
    if (problem) issues.push({ path, message: problem });
  }
  if (issues.length > 0 || !parsed.success) return { ok: false, issues };
  return { ok: true, settings: parsed.data };
}
