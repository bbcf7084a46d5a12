/**
 * Installs, removes and reports the systemd user timer of one data folder (Linux): the unit
 * files in `$XDG_CONFIG_HOME/systemd/user`, then `systemctl --user` to load and start them.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { TendFailure } from '../../../../src-shared/errors';
import type { CommandRunner } from './command-runner';
import { readTextOrNull, removeFileDurably, writeFileDurably } from '../../fs/durable';
import { entryName, WRITTEN_BY_TEND, type SchedulerEntrySpec } from './run-due-command';
import { onCalendarLines, systemdUnits } from './systemd-units';

/** Where this user's systemd and its lingering flags are; tests point them at a temp folder. */
export interface SystemdContext {
  readonly env: NodeJS.ProcessEnv;
  readonly home: string;
  readonly user: string;
  readonly run: CommandRunner;
  /** Where logind keeps one file per user whose services outlive their sessions. */
  readonly lingerDir?: string;
}

/** What the timer of a folder looks like on this machine. */
export interface SystemdEntryState {
  readonly unitDir: string;
  readonly files: ReadonlyArray<string>;
  /** Both unit files are there. */
  readonly installed: boolean;
  /** They are what `install` would write now (the schedules did not change since). */
  readonly upToDate: boolean;
  /** `systemctl --user is-enabled`/`is-active` of the timer; null when systemctl cannot answer. */
  readonly enabled: boolean | null;
  readonly active: boolean | null;
  /** When the timer last started run-due, as systemd says; null when unknown or never. */
  readonly lastTriggeredAt: string | null;
  /** Whether this user's timers run without anyone logged in (`loginctl enable-linger`). */
  readonly lingering: boolean | null;
  /** When the timer fires, as written. */
  readonly onCalendar: ReadonlyArray<string>;
  /** What is wrong or still to do, in words; null when nothing. */
  readonly problem: string | null;
}

/** The user unit folder: `$XDG_CONFIG_HOME/systemd/user`, else `~/.config/systemd/user`. */
export function systemdUserDir(env: NodeJS.ProcessEnv, home: string): string {
  // The XDG spec says a relative XDG_CONFIG_HOME is to be ignored.
  const config =
    env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME)
      ? env.XDG_CONFIG_HOME
      : path.join(home, '.config');
  return path.join(config, 'systemd', 'user');
}

/** Whether the user's services outlive their sessions: logind's answer, else its flag file. */
async function lingering(context: SystemdContext): Promise<boolean | null> {
  const answer = await context.run('loginctl', [
    'show-user',
    context.user,
    '-p',
    'Linger',
    '--value',
  ]);
  if (answer.code === 0 && /^(yes|no)$/.test(answer.stdout.trim())) {
    return answer.stdout.trim() === 'yes';
  }
  const folder = context.lingerDir ?? '/var/lib/systemd/linger';
  if (await fs.stat(path.join(folder, context.user)).catch(() => null)) return true;
  return (await fs.stat(folder).catch(() => null)) ? false : null;
}

function lingerAdvice(user: string): string {
  return `Timers of ${user} run only while ${user} is logged in. On a server, run \`loginctl enable-linger ${user}\` so they run without a session.`;
}

async function systemctl(context: SystemdContext, args: ReadonlyArray<string>) {
  return context.run('systemctl', ['--user', ...args]);
}

/** Refuses to replace a file of the same name that Tend did not write. */
async function checkOwn(file: string): Promise<void> {
  const text = await readTextOrNull(file);
  if (text !== null && !text.includes(WRITTEN_BY_TEND)) {
    throw new TendFailure(
      'INVALID_INPUT',
      `${file} exists and was not written by Tend; not replacing it. Move it away and run tend schedule install again.`,
      { file },
    );
  }
}

/**
 * Writes the service and timer (durably) and asks systemd to load and start the timer. When
 * `systemctl --user` cannot be reached (no user session bus: a container, an SSH session
 * without one), the files stay and the problem says what to run.
 */
export async function installSystemd(
  spec: SchedulerEntrySpec,
  context: SystemdContext,
): Promise<SystemdEntryState> {
  const unitDir = systemdUserDir(context.env, context.home);
  const { service, timer } = systemdUnits(spec);
  const files = [path.join(unitDir, service.name), path.join(unitDir, timer.name)];
  for (const file of files) await checkOwn(file);
  // The service first: a timer never points at a unit that is not there.
  await writeFileDurably(files[0]!, service.text);
  await writeFileDurably(files[1]!, timer.text);
  let problem: string | null = null;
  const reload = await systemctl(context, ['daemon-reload']);
  const enable =
    reload.code === 0 ? await systemctl(context, ['enable', '--now', timer.name]) : reload;
  if (enable.code !== 0) {
    problem = `The timer is written but systemd did not start it (${enable.stderr.trim() || `exit ${enable.code}`}). In a session of ${context.user}, run: systemctl --user daemon-reload && systemctl --user enable --now ${timer.name}`;
  }
  const linger = await lingering(context);
  if (problem === null && linger === false) problem = lingerAdvice(context.user);
  return {
    unitDir,
    files,
    installed: true,
    upToDate: true,
    enabled: enable.code === 0 ? true : null,
    active: enable.code === 0 ? true : null,
    lastTriggeredAt: null,
    lingering: linger,
    onCalendar: onCalendarLines(spec.crons),
    problem,
  };
}

/** Stops and removes the timer and service of a folder (only files Tend wrote). */
export async function uninstallSystemd(
  root: string,
  context: SystemdContext,
): Promise<{ removed: ReadonlyArray<string>; problem: string | null }> {
  const unitDir = systemdUserDir(context.env, context.home);
  const name = entryName(root);
  const files = [path.join(unitDir, `${name}.timer`), path.join(unitDir, `${name}.service`)];
  for (const file of files) await checkOwn(file);
  const disable = await systemctl(context, ['disable', '--now', `${name}.timer`]);
  const removed: string[] = [];
  for (const file of files) if (await removeFileDurably(file)) removed.push(file);
  const reload = await systemctl(context, ['daemon-reload']);
  const problem =
    removed.length > 0 && (disable.code !== 0 || reload.code !== 0)
      ? `The unit files are removed; systemd could not be told (${(disable.stderr || reload.stderr).trim()}). It forgets them at the next login, or run: systemctl --user daemon-reload`
      : null;
  return { removed, problem };
}

/** Parses `systemctl show -p LastTriggerUSec --value`: a date, or empty / "n/a" when never. */
export function parseLastTrigger(value: string): string | null {
  const text = value.trim();
  if (text === '' || text === 'n/a' || text === '0') return null;
  const parsed = Date.parse(text.replace(/^[A-Za-z]{3} /, '').replace(/ ([A-Z]{2,5})$/, ''));
  return Number.isNaN(parsed) ? text : new Date(parsed).toISOString();
}

/** What is installed for a folder, whether it matches the schedules now, and when it last ran. */
export async function systemdStatus(
  spec: SchedulerEntrySpec,
  context: SystemdContext,
): Promise<SystemdEntryState> {
  const unitDir = systemdUserDir(context.env, context.home);
  const { service, timer } = systemdUnits(spec);
  const files = [path.join(unitDir, service.name), path.join(unitDir, timer.name)];
  const [serviceText, timerText] = await Promise.all(files.map(readTextOrNull));
  const installed = serviceText !== null && timerText !== null;
  const upToDate = serviceText === service.text && timerText === timer.text;
  const ask = async (args: ReadonlyArray<string>) => {
    const result = await systemctl(context, args);
    // is-enabled/is-active answer with words and exit 1 for "no"; no bus is another failure.
    const word = result.stdout.trim();
    return word === '' ? null : word;
  };
  const enabledWord = installed ? await ask(['is-enabled', timer.name]) : null;
  const activeWord = installed ? await ask(['is-active', timer.name]) : null;
  const last = installed
    ? await systemctl(context, ['show', '-p', 'LastTriggerUSec', '--value', timer.name])
    : null;
  const linger = await lingering(context);
  let problem: string | null = null;
  if (!installed) problem = 'No timer is installed for this folder: run tend schedule install.';
  else if (!upToDate) {
    problem = 'The schedules changed since the timer was written: run tend schedule install again.';
  } else if (enabledWord === null) {
    problem = `systemctl --user cannot be reached here; whether the timer runs is unknown. In a session of ${context.user}, run: systemctl --user status ${timer.name}`;
  } else if (enabledWord !== 'enabled') {
    problem = `The timer is ${enabledWord}: run systemctl --user enable --now ${timer.name}`;
  } else if (linger === false) problem = lingerAdvice(context.user);
  return {
    unitDir,
    files: files.filter((_, index) => [serviceText, timerText][index] !== null),
    installed,
    upToDate: installed && upToDate,
    enabled: enabledWord === null ? null : enabledWord === 'enabled',
    active: activeWord === null ? null : activeWord === 'active',
    lastTriggeredAt: last && last.code === 0 ? parseLastTrigger(last.stdout) : null,
    lingering: linger,
    onCalendar: onCalendarLines(spec.crons),
    problem,
  };
}
