import fs from 'node:fs/promises';
import lockfile from 'proper-lockfile';
import { describeZodError, TendFailure } from '../../../src-shared/errors';
import { writeFileDurably } from '../fs/durable';
import {
  defaultSettings,
  mergeSettings,
  SettingsSchema,
  type Settings,
  type SettingsPatch,
} from '../../../src-shared/models/settings';
import { checkSettings, type SettingsIssue } from '../../../src-shared/models/settings-rules';
import { destinationIssue } from './destination-rules';

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
    const { issues } = describeZodError(parsed.error);
    throw new TendFailure(
      'SETTINGS_INVALID',
      `${file} breaks the settings schema: ${issuesSentence(issues)}`,
      { issues },
    );
  }
  return parsed.data;
}

/**
 * Validates and writes whole settings durably (temp file, fsync, rename, fsync the folder); for a new root
 * and for tests. Saves from a person go through `updateSettings`, which keeps the revision.
 *
 * A file that could not be read is kept beside as `settings.json.unreadable-<time>` first, so
 * saving over it loses nothing.
 */
export async function writeSettings(file: string, settings: unknown): Promise<Settings> {
  const checked = checkSettings(settings, { root: null });
  if (!checked.ok) throw refusal(checked.issues);
  await keepUnreadable(file);
  await writeFileDurably(file, `${JSON.stringify(checked.settings, null, 2)}\n`);
  return checked.settings;
}

/** Where the settings being saved belong. */
export interface SettingsTarget {
  /** The root's `settings.json` in Tend's state folder (`<state>/roots/<id>/`). */
  readonly file: string;
  /** The data folder, for the backup folder's rules. */
  readonly root: string;
}

// Saves of one process take turns; another process is kept out by a lock folder beside
// the file, so a revision is read and raised by one writer at a time.
let turn: Promise<unknown> = Promise.resolve();

/**
 * Saves a change of the settings: only the fields in `patch` change, the revision goes up by
 * one, and the result is checked as a whole before anything is written.
 *
 * A patch that carries a `revision` other than the file's is refused with SETTINGS_CONFLICT:
 * someone else saved meanwhile, and saving now would put their change back without a word.
 * A new backup folder is checked on the disk too (links, bind mounts, writable).
 */
export async function updateSettings(
  target: SettingsTarget,
  patch: SettingsPatch,
): Promise<Settings> {
  const run = turn.then(() => withFileLock(target.file, () => update(target, patch)));
  turn = run.catch(() => undefined);
  return run;
}

async function update(target: SettingsTarget, patch: SettingsPatch): Promise<Settings> {
  // A file that cannot be read is replaced by the save (the page showed the defaults and
  // said why); the old one is kept beside it.
  const current = await readSettings(target.file).catch((error: unknown) => {
    if (error instanceof TendFailure) return defaultSettings();
    throw error;
  });
  const currentRevision = current.revision;
  if (patch.revision !== undefined && patch.revision !== currentRevision) {
    throw new TendFailure(
      'SETTINGS_CONFLICT',
      `The settings were changed elsewhere (another window, the tray or the command line) since you opened them: they are at revision ${currentRevision}, your change was made to revision ${patch.revision}. Nothing was saved. Look at the saved values and save your change again.`,
      { revision: currentRevision },
    );
  }
  const changes: SettingsPatch = { ...patch, revision: undefined };
  const merged = mergeSettings(current, changes);
  const destinationChanged =
    changes.backup?.destination !== undefined &&
    changes.backup.destination !== current.backup.destination;
  const checked = checkSettings(merged, { root: target.root, destinationChanged });
  if (!checked.ok) throw refusal(checked.issues);
  const destination = checked.settings.backup.destination;
  if (destinationChanged && destination !== null) {
    const problem = await destinationIssue(target.root, destination);
    if (problem) throw refusal([{ path: 'backup.destination', message: problem }]);
  }
  const saved: Settings = { ...checked.settings, revision: currentRevision + 1 };
  await keepUnreadable(target.file);
  await writeFileDurably(target.file, `${JSON.stringify(saved, null, 2)}\n`);
  return saved;
}

async function withFileLock<T>(file: string, work: () => Promise<T>): Promise<T> {
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(file, {
      realpath: false,
      lockfilePath: `${file}.lock`,
      stale: 10_000,
      retries: { retries: 20, minTimeout: 25, maxTimeout: 250 },
    });
  } catch {
    throw new TendFailure(
      'DATA_LOCKED',
      'Another Tend process is saving the settings right now. Try again in a moment.',
    );
  }
  try {
    return await work();
  } finally {
    await release().catch(() => undefined);
  }
}

/** A refused save: SETTINGS_INVALID with one issue per field, for the page to place. */
function refusal(issues: ReadonlyArray<SettingsIssue>): TendFailure {
  return new TendFailure('SETTINGS_INVALID', `Settings not saved. ${issuesSentence(issues)}`, {
    issues,
  });
}

/**
 * The issues as one sentence: `path: message` joined by semicolons, ended by one period (a
 * field's own message is a short hint without one, or a sentence with one).
 */
function issuesSentence(issues: ReadonlyArray<{ path: string; message: string }>): string {
  const parts = issues.map((issue) => {
    const message = issue.message.replace(/[.\s]+$/, '');
    return issue.path ? `${issue.path}: ${message}` : message;
  });
  return `${parts.join('; ')}.`;
}

/** Keeps a copy of a settings file that cannot be read before it is saved over. */
async function keepUnreadable(file: string): Promise<void> {
  try {
    await readSettings(file);
  } catch (error) {
    if (error instanceof TendFailure) {
      const stamp = new Date().toISOString().replaceAll(':', '-');
      await fs.copyFile(file, `${file}.unreadable-${stamp}`).catch(() => undefined);
    }
  }
}
