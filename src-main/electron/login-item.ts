/**
 * Open at login, started hidden in the tray: what to hand `app.setLoginItemSettings` on macOS
 * and Windows, and the XDG autostart entry on Linux. Pure functions of the settings and the
 * running app, so they are tested without Electron; the shell applies the plan.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { readTextOrNull, removeFileDurably, writeFileDurably } from '../engine/fs/durable';

/** The flag the login item starts Tend with: the window stays closed, the tray watches. */
export const HIDDEN_FLAG = '--hidden';

/** The marker of the autostart entry Tend writes; only a file with it is ever removed. */
const MARKER = 'X-Tend-Autostart=true';

/**
 * Whether Tend should open at login: as the person set it, and when they did not (null), once
 * a backup destination is chosen: from then on, backups depend on Tend running.
 */
export function openAtLoginWanted(setting: boolean | null, hasDestination: boolean): boolean {
  return setting ?? hasDestination;
}

/**
 * Whether backups have somewhere to go, so that "Automatic" opens Tend at login: an archive
 * folder, or an encrypted repository (where the schedules then send them).
 *
 * Note: only the archive folder counted, so a person who set up encrypted backups alone was
 * never opened at login, and the schedules ran only while they had Tend open.
 */
export function hasBackupDestination(settings: {
  readonly backup: { readonly destination: string | null; readonly repository: unknown };
}): boolean {
  return settings.backup.destination !== null || settings.backup.repository !== null;
}

/** What `app.setLoginItemSettings` is given (the subset of Electron's Settings Tend uses). */
export interface LoginItemOptions {
  openAtLogin: boolean;
  /** macOS (before 13): start with no window. */
  openAsHidden?: boolean;
  /** Windows: the program and its arguments in the Run key. */
  path?: string;
  args?: string[];
}

/** What the shell does about the login item. */
export type LoginItemPlan =
  | { readonly action: 'none'; readonly why: string }
  | { readonly action: 'login-item'; readonly options: LoginItemOptions }
  | { readonly action: 'autostart'; readonly file: string; readonly content: string | null };

/** Where the autostart entry goes: `$XDG_CONFIG_HOME/autostart/`, else `~/.config/autostart/`. */
export function autostartFile(env: NodeJS.ProcessEnv, home: string): string {
  const config =
    env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME)
      ? env.XDG_CONFIG_HOME
      : path.join(home, '.config');
  return path.join(config, 'autostart', 'dev.tend.app.desktop');
}

/**
 * One argument of a desktop entry's Exec= key: quoted when it holds a reserved character,
 * with `"`, `` ` ``, `$` and `\` escaped inside the quotes, and then the string escape of the
 * file format applied (a backslash doubled again), as the Desktop Entry spec says. `%` is
 * doubled: a single one starts a field code.
 */
export function desktopExecArg(arg: string): string {
  const text = arg.replaceAll('%', '%%');
  if (!/[\s"'\\><~|&;$*?#()`]/.test(text)) return text;
  const quoted = `"${text.replace(/(["`$\\])/g, '\\$1')}"`;
  return quoted.replaceAll('\\', '\\\\');
}

/** The autostart entry that starts Tend hidden at login. */
export function autostartEntry(command: ReadonlyArray<string>): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Version=1.0',
    'Name=Tend',
    "Comment=Keeps the assistant's data backed up; starts in the tray",
    `Exec=${command.map(desktopExecArg).join(' ')}`,
    'Icon=tend',
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    MARKER,
    '',
  ].join('\n');
}

/** What the running app is, as the login item needs it. */
export interface RunningApp {
  readonly platform: NodeJS.Platform;
  /** Only a packaged app is registered: a development checkout never starts at login. */
  readonly isPackaged: boolean;
  readonly execPath: string;
  readonly env: NodeJS.ProcessEnv;
  readonly home: string;
}

/**
 * The plan for the login item: on macOS and Windows Electron's own login item (macOS opens
 * hidden, Windows passes --hidden), on Linux an autostart entry written or removed. An
 * AppImage is started through its own file ($APPIMAGE): the path it runs from changes at
 * every start.
 */
export function loginItemPlan(
  running: RunningApp,
  setting: boolean | null,
  hasDestination: boolean,
): LoginItemPlan {
  if (!running.isPackaged) {
    return { action: 'none', why: 'A development build is never opened at login.' };
  }
  const openAtLogin = openAtLoginWanted(setting, hasDestination);
  if (running.platform === 'darwin') {
    return { action: 'login-item', options: { openAtLogin, openAsHidden: true } };
  }
  if (running.platform === 'win32') {
    return {
      action: 'login-item',
      options: { openAtLogin, path: running.execPath, args: [HIDDEN_FLAG] },
    };
  }
  const program = running.env.APPIMAGE || running.execPath;
  return {
    action: 'autostart',
    file: autostartFile(running.env, running.home),
    content: openAtLogin ? autostartEntry([program, HIDDEN_FLAG]) : null,
  };
}

/**
 * Writes the autostart entry durably, or removes it (only one Tend wrote); says what it did.
 * A file of that name someone else wrote is left alone.
 */
export async function applyAutostart(
  file: string,
  content: string | null,
): Promise<'written' | 'removed' | 'unchanged' | 'not-ours'> {
  const current = await readTextOrNull(file);
  if (current !== null && !current.includes(MARKER)) return 'not-ours';
  if (content === null) {
    if (current === null) return 'unchanged';
    await removeFileDurably(file);
    return 'removed';
  }
  if (current === content) return 'unchanged';
  await fs.mkdir(path.dirname(file), { recursive: true });
  await writeFileDurably(file, content);
  return 'written';
}

/** What Electron says about how this start happened (macOS). */
export interface LoginStart {
  readonly wasOpenedAtLogin?: boolean;
  readonly wasOpenedAsHidden?: boolean;
}

/** Whether this start should show no window: started by the login item. */
export function startsHidden(argv: ReadonlyArray<string>, login: LoginStart): boolean {
  return (
    argv.includes(HIDDEN_FLAG) ||
    login.wasOpenedAtLogin === true ||
    login.wasOpenedAsHidden === true
  );
}
