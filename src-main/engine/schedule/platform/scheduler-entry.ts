/**
 * `tend schedule install|uninstall|status` on each platform: a systemd user timer on Linux, a
 * launchd agent on macOS, a Task Scheduler task on Windows, each running `tend run-due` for
 * one data folder on the folder's schedules.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { TendFailure } from '../../../../src-shared/errors';
import { removeFileDurably, writeFileDurably } from '../../fs/durable';
import {
  calendarEntries,
  launchdLabel,
  launchdPlist,
  xmlText,
  xmlUnescaped,
} from './launchd-plist';
import { entryName, WRITTEN_BY_TEND, type SchedulerEntrySpec } from './run-due-command';
import {
  installSystemd,
  systemdStatus,
  systemdUserDir,
  uninstallSystemd,
  type SystemdContext,
} from './systemd-install';
import { onCalendarLines, systemdQuote } from './systemd-units';
import { windowsTaskName, windowsTaskXml, windowsTriggers } from './windows-task';

/** The system's own scheduler Tend writes an entry for. */
export type SchedulerKind = 'systemd' | 'launchd' | 'task-scheduler';

/** Linux (and other Unix with systemd) gets a timer, macOS an agent, Windows a task. */
export function schedulerKindFor(platform: NodeJS.Platform): SchedulerKind {
  if (platform === 'darwin') return 'launchd';
  if (platform === 'win32') return 'task-scheduler';
  return 'systemd';
}

/** Where the entry goes and how to talk to the scheduler; tests fake the runner and paths. */
export interface SchedulerEntryContext extends SystemdContext {
  readonly platform: NodeJS.Platform;
  /** Tend's own state folder (the Task Scheduler XML is kept there). */
  readonly stateDir: string;
  /** The user's numeric id (launchd's gui/<uid> domain). */
  readonly uid: number;
}

/** One folder's entry in the system's scheduler, as `tend schedule status` shows it. */
export interface SchedulerEntryState {
  readonly kind: SchedulerKind;
  readonly name: string;
  readonly installed: boolean;
  readonly upToDate: boolean;
  readonly enabled: boolean | null;
  readonly lastTriggeredAt: string | null;
  readonly lingering: boolean | null;
  readonly files: ReadonlyArray<string>;
  /** When it runs, in the scheduler's own terms. */
  readonly when: ReadonlyArray<string>;
  readonly problem: string | null;
}

function launchdFile(root: string, context: SchedulerEntryContext): string {
  return path.join(context.home, 'Library', 'LaunchAgents', `${launchdLabel(root)}.plist`);
}

function launchdText(spec: SchedulerEntrySpec, context: SchedulerEntryContext): string {
  return launchdPlist(spec, path.join(context.home, 'Library', 'Logs', 'Tend'));
}

function launchdWhen(crons: ReadonlyArray<string>): string[] {
  const entries = calendarEntries(crons);
  return entries ? entries.map((entry) => JSON.stringify(entry)) : ['every hour'];
}

function taskFile(root: string, context: SchedulerEntryContext): string {
  return path.join(context.stateDir, `${entryName(root)}.task.xml`);
}

/** Task Scheduler reads the XML as UTF-16 (as its declaration says), with a byte order mark. */
function utf16(text: string): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
}

/** A file's text, read as UTF-16 when it starts with that byte order mark; null when absent. */
async function readText(file: string): Promise<string | null> {
  const bytes = await fs.readFile(file).catch(() => null);
  if (bytes === null) return null;
  return bytes[0] === 0xff && bytes[1] === 0xfe
    ? bytes.subarray(2).toString('utf16le')
    : bytes.toString('utf8');
}

/**
 * The passphrase file (TEND_PASSWORD_FILE) that the folder's installed entry names, or null.
 * `tend schedule install` and `status` run without TEND_PASSWORD_FILE keep it: else status
 * called the entry out of date, and the install it asked for wrote the entry again without the
 * file, after which every scheduled backup into the repository failed. A value is taken only
 * when the entry holds it exactly as Tend writes it.
 */
export async function installedPasswordFile(
  root: string,
  context: SchedulerEntryContext,
): Promise<string | null> {
  const key = 'TEND_PASSWORD_FILE';
  const kind = schedulerKindFor(context.platform);
  let found: string | undefined;
  let written: (value: string) => string;
  let text: string | null;
  if (kind === 'systemd') {
    text = await readText(
      path.join(systemdUserDir(context.env, context.home), `${entryName(root)}.service`),
    );
    found = /^Environment="TEND_PASSWORD_FILE=((?:[^"\\]|\\.)*)"$/m
      .exec(text ?? '')?.[1]
      ?.replace(/\\(.)/g, '$1')
      .replaceAll('%%', '%')
      .replaceAll('$$', '$');
    written = (value) => `Environment=${systemdQuote(`${key}=${value}`)}`;
  } else if (kind === 'launchd') {
    text = await readText(launchdFile(root, context));
    const raw = /<key>TEND_PASSWORD_FILE<\/key>\s*<string>([^<]*)<\/string>/.exec(text ?? '')?.[1];
    found = raw === undefined ? undefined : xmlUnescaped(raw);
    written = (value) => `<key>${key}</key>\n    <string>${xmlText(value)}</string>`;
  } else {
    text = await readText(taskFile(root, context));
    found = /set "TEND_PASSWORD_FILE=([^"]*)"/.exec(xmlUnescaped(text ?? ''))?.[1];
    // Each `set` is followed by ` && ` (windowsTaskXml); a Windows path holds no `"`.
    written = (value) => xmlText(`set "${key}=${value}" && `);
  }
  if (text === null || !text.includes(WRITTEN_BY_TEND) || found === undefined) return null;
  return text.includes(written(found)) ? found : null;
}

/** Refuses to replace or remove a file of the entry's name that Tend did not write. */
async function refuseForeign(file: string): Promise<void> {
  const text = await readText(file);
  if (text !== null && !text.includes(WRITTEN_BY_TEND)) {
    throw new TendFailure(
      'INVALID_INPUT',
      `${file} exists and was not written by Tend; leaving it alone. Move it away and try again.`,
      { file },
    );
  }
}

/** Writes the folder's entry and asks the scheduler to load it. */
export async function installSchedulerEntry(
  spec: SchedulerEntrySpec,
  context: SchedulerEntryContext,
): Promise<SchedulerEntryState> {
  const kind = schedulerKindFor(context.platform);
  if (kind === 'systemd') {
    const state = await installSystemd(spec, context);
    return {
      kind,
      name: `${entryName(spec.root)}.timer`,
      installed: true,
      upToDate: true,
      enabled: state.enabled,
      lastTriggeredAt: null,
      lingering: state.lingering,
      files: state.files,
      when: state.onCalendar,
      problem: state.problem,
    };
  }
  if (kind === 'launchd') {
    const file = launchdFile(spec.root, context);
    await refuseForeign(file);
    await writeFileDurably(file, launchdText(spec, context));
    const domain = `gui/${context.uid}`;
    // A loaded older version is taken out first; bootstrap refuses a label already loaded.
    await context.run('launchctl', ['bootout', `${domain}/${launchdLabel(spec.root)}`]);
    const loaded = await context.run('launchctl', ['bootstrap', domain, file]);
    return {
      kind,
      name: launchdLabel(spec.root),
      installed: true,
      upToDate: true,
      enabled: loaded.code === 0 ? true : null,
      lastTriggeredAt: null,
      lingering: null,
      files: [file],
      when: launchdWhen(spec.crons),
      problem:
        loaded.code === 0
          ? null
          : `The agent is written but launchd did not load it (${loaded.stderr.trim() || `exit ${loaded.code}`}). Run: launchctl bootstrap ${domain} ${file}`,
    };
  }
  const file = taskFile(spec.root, context);
  await refuseForeign(file);
  await writeFileDurably(file, utf16(windowsTaskXml(spec)));
  const name = windowsTaskName(spec.root);
  const created = await context.run('schtasks', ['/Create', '/F', '/TN', name, '/XML', file]);
  return {
    kind,
    name,
    installed: true,
    upToDate: true,
    enabled: created.code === 0 ? true : null,
    lastTriggeredAt: null,
    lingering: null,
    files: [file],
    when: windowsTriggers(spec.crons),
    problem:
      created.code === 0
        ? null
        : `The task is written but Task Scheduler did not take it (${created.stderr.trim() || `exit ${created.code}`}). Run: schtasks /Create /F /TN "${name}" /XML "${file}"`,
  };
}

/** Removes the folder's entry: unloads it, then deletes only the files Tend wrote. */
export async function uninstallSchedulerEntry(
  root: string,
  context: SchedulerEntryContext,
): Promise<{ removed: ReadonlyArray<string>; problem: string | null }> {
  const kind = schedulerKindFor(context.platform);
  if (kind === 'systemd') return uninstallSystemd(root, context);
  if (kind === 'launchd') {
    const file = launchdFile(root, context);
    await refuseForeign(file);
    await context.run('launchctl', ['bootout', `gui/${context.uid}/${launchdLabel(root)}`]);
    return { removed: (await removeFileDurably(file)) ? [file] : [], problem: null };
  }
  const file = taskFile(root, context);
  await refuseForeign(file);
  const deleted = await context.run('schtasks', ['/Delete', '/F', '/TN', windowsTaskName(root)]);
  const removed = (await removeFileDurably(file)) ? [file] : [];
  return {
    removed,
    problem:
      deleted.code === 0 || removed.length === 0
        ? null
        : `Task Scheduler did not delete the task (${deleted.stderr.trim()}). Run: schtasks /Delete /F /TN "${windowsTaskName(root)}"`,
  };
}

/** `schtasks /Query /V /FO LIST`'s "Last Run Time", or null when it never ran. */
export function parseSchtasksLastRun(output: string): string | null {
  const line = /^Last Run Time:\s*(.+)$/m.exec(output)?.[1]?.trim() ?? null;
  if (line === null || /^N\/A$/i.test(line) || line.startsWith('11/30/1999')) return null;
  return line;
}

/** What is installed for the folder, whether it matches its schedules, when it last ran. */
export async function schedulerEntryStatus(
  spec: SchedulerEntrySpec,
  context: SchedulerEntryContext,
): Promise<SchedulerEntryState> {
  const kind = schedulerKindFor(context.platform);
  if (kind === 'systemd') {
    const state = await systemdStatus(spec, context);
    return {
      kind,
      name: `${entryName(spec.root)}.timer`,
      installed: state.installed,
      upToDate: state.upToDate,
      enabled: state.enabled,
      lastTriggeredAt: state.lastTriggeredAt,
      lingering: state.lingering,
      files: state.files,
      when: onCalendarLines(spec.crons),
      problem: state.problem,
    };
  }
  const launchd = kind === 'launchd';
  const file = launchd ? launchdFile(spec.root, context) : taskFile(spec.root, context);
  const written = await readText(file);
  const expected = launchd ? launchdText(spec, context) : windowsTaskXml(spec);
  const installed = written !== null;
  const upToDate = written === expected;
  const query = launchd
    ? await context.run('launchctl', ['print', `gui/${context.uid}/${launchdLabel(spec.root)}`])
    : await context.run('schtasks', [
        '/Query',
        '/TN',
        windowsTaskName(spec.root),
        '/V',
        '/FO',
        'LIST',
      ]);
  const enabled = installed ? query.code === 0 : false;
  return {
    kind,
    name: launchd ? launchdLabel(spec.root) : windowsTaskName(spec.root),
    installed,
    upToDate: installed && upToDate,
    enabled,
    lastTriggeredAt: !launchd && query.code === 0 ? parseSchtasksLastRun(query.stdout) : null,
    lingering: null,
    files: installed ? [file] : [],
    when: launchd ? launchdWhen(spec.crons) : windowsTriggers(spec.crons),
    problem: !installed
      ? 'Nothing is installed for this folder: run tend schedule install.'
      : !upToDate
        ? 'The schedules changed since the entry was written: run tend schedule install again.'
        : enabled
          ? null
          : `The ${launchd ? 'agent' : 'task'} is written but not loaded: run tend schedule install again.`,
  };
}
