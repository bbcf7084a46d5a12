import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  applyAutostart,
  autostartEntry,
  autostartFile,
  desktopExecArg,
  hasBackupDestination,
  HIDDEN_FLAG,
  loginItemPlan,
  openAtLoginWanted,
  startsHidden,
  type RunningApp,
} from '../../../src-main/electron/login-item';
import { tempDir } from '../../support/temp-dir';

const running = (patch: Partial<RunningApp>): RunningApp => ({
  platform: 'linux',
  isPackaged: true,
  execPath: '/opt/Tend/tend',
  env: {},
  home: '/home/ana',
  ...patch,
});

describe('openAtLoginWanted', () => {
  it.each([
    [null, false, false],
    // Unset: on once the first destination is set.
    [null, true, true],
    [false, true, false],
    [true, false, true],
  ])('setting %s, destination %s → %s', (setting, destination, wanted) => {
    expect(openAtLoginWanted(setting, destination)).toBe(wanted);
  });
});

describe('hasBackupDestination', () => {
  const repository = { kind: 'local', folder: '/media/usb/tend' };
  it.each([
    ['no archive folder, no repository', null, null, false],
    ['an archive folder', '/media/usb/archives', null, true],
    // Encrypted backups alone: the schedules send them there, so Tend must run at login.
    ['an encrypted repository alone', null, repository, true],
    ['both', '/media/usb/archives', repository, true],
  ])('%s → %s', (_, destination, repo, expected) => {
    expect(hasBackupDestination({ backup: { destination, repository: repo } })).toBe(expected);
  });
});

describe('loginItemPlan', () => {
  it('gives macOS a login item that opens hidden', () => {
    expect(loginItemPlan(running({ platform: 'darwin' }), null, true)).toEqual({
      action: 'login-item',
      options: { openAtLogin: true, openAsHidden: true },
    });
  });

  it('gives Windows the program and --hidden in the Run key', () => {
    expect(
      loginItemPlan(running({ platform: 'win32', execPath: 'C:\\Tend\\Tend.exe' }), true, false),
    ).toEqual({
      action: 'login-item',
      options: { openAtLogin: true, path: 'C:\\Tend\\Tend.exe', args: ['--hidden'] },
    });
    expect(loginItemPlan(running({ platform: 'win32' }), false, true)).toMatchObject({
      options: { openAtLogin: false },
    });
  });

  it('gives Linux an autostart entry under $XDG_CONFIG_HOME, started through the AppImage file', () => {
    const plan = loginItemPlan(
      running({
        env: { XDG_CONFIG_HOME: '/home/ana/cfg', APPIMAGE: '/home/ana/Apps/Tend.AppImage' },
        execPath: '/tmp/.mount_TendX1/tend',
      }),
      null,
      true,
    );
    expect(plan).toMatchObject({
      action: 'autostart',
      file: '/home/ana/cfg/autostart/dev.tend.app.desktop',
    });
    expect(plan.action === 'autostart' && plan.content).toContain(
      'Exec=/home/ana/Apps/Tend.AppImage --hidden\n',
    );
    expect(loginItemPlan(running({}), false, true)).toMatchObject({
      action: 'autostart',
      content: null,
    });
  });

  it('never registers a development build', () => {
    expect(loginItemPlan(running({ isPackaged: false }), true, true).action).toBe('none');
  });

  it('finds the autostart folder as the XDG spec says', () => {
    expect(autostartFile({}, '/home/ana')).toBe('/home/ana/.config/autostart/dev.tend.app.desktop');
    expect(autostartFile({ XDG_CONFIG_HOME: 'rel' }, '/home/ana')).toBe(
      '/home/ana/.config/autostart/dev.tend.app.desktop',
    );
  });
});

describe('the autostart entry', () => {
  it.each([
    ['/opt/Tend/tend', '/opt/Tend/tend'],
    ['/home/ana/My Apps/Tend', '"/home/ana/My Apps/Tend"'],
    ['50%', '50%%'],
    ['a"b$c', '"a\\\\"b\\\\$c"'],
    ['back\\slash', '"back\\\\\\\\slash"'],
  ])('quotes %j as %s', (arg, quoted) => expect(desktopExecArg(arg)).toBe(quoted));

  it('is written durably, replaced when it changes, and removed only when it is ours', async () => {
    const file = path.join(tempDir(), 'autostart', 'dev.tend.app.desktop');
    const entry = autostartEntry(['/opt/Tend/tend', HIDDEN_FLAG]);
    expect(entry).toContain('X-GNOME-Autostart-enabled=true');
    expect(await applyAutostart(file, entry)).toBe('written');
    expect(fs.readFileSync(file, 'utf8')).toBe(entry);
    expect(await applyAutostart(file, entry)).toBe('unchanged');
    expect(await applyAutostart(file, null)).toBe('removed');
    expect(fs.existsSync(file)).toBe(false);
    expect(await applyAutostart(file, null)).toBe('unchanged');
    // A file of that name someone else wrote stays as it is.
    fs.writeFileSync(file, '[Desktop Entry]\nExec=other\n');
    expect(await applyAutostart(file, null)).toBe('not-ours');
    expect(await applyAutostart(file, entry)).toBe('not-ours');
    expect(fs.readFileSync(file, 'utf8')).toBe('[Desktop Entry]\nExec=other\n');
  });

  const validator = spawnSync('desktop-file-validate', ['--help']).status === 0;
  it.skipIf(!validator)('passes desktop-file-validate (skipped without desktop-file-utils)', () => {
    const file = path.join(tempDir(), 'dev.tend.app.desktop');
    fs.writeFileSync(file, autostartEntry(['/home/ana/My Apps/Tend "1"', HIDDEN_FLAG]));
    const result = spawnSync('desktop-file-validate', [file], { encoding: 'utf8' });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  const gio = spawnSync('gio', ['help', 'launch']).status === 0;
  it.skipIf(!gio)(
    'starts the program with its arguments whole when a desktop launches it (gio launch; skipped without gio)',
    async () => {
      const dir = tempDir();
      const out = path.join(dir, 'argv.json');
      const script = path.join(dir, 'print argv.cjs');
      fs.writeFileSync(
        script,
        `require('fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify(process.argv.slice(2)));\n`,
      );
      const args = ['x\\y "q" $HOME 50%', HIDDEN_FLAG];
      const file = path.join(dir, 'dev.tend.app.desktop');
      fs.writeFileSync(file, autostartEntry([process.execPath, script, ...args]));
      expect(spawnSync('gio', ['launch', file]).status).toBe(0);
      while (!fs.existsSync(out)) await new Promise((resolve) => setTimeout(resolve, 50));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(JSON.parse(fs.readFileSync(out, 'utf8'))).toEqual(args);
    },
  );
});

describe('startsHidden', () => {
  it.each([
    [['/opt/Tend/tend'], {}, false],
    [['/opt/Tend/tend', '--hidden'], {}, true],
    [['/Applications/Tend.app/Contents/MacOS/Tend'], { wasOpenedAtLogin: true }, true],
    [['/Applications/Tend.app/Contents/MacOS/Tend'], { wasOpenedAsHidden: true }, true],
  ])('%j %j → %s', (argv, login, hidden) => expect(startsHidden(argv, login)).toBe(hidden));
});
