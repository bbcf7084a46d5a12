import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CommandRunner } from '../../../../../src-main/engine/schedule/platform/command-runner';
import {
  entryName,
  runDueCommand,
  type SchedulerEntrySpec,
} from '../../../../../src-main/engine/schedule/platform/run-due-command';
import {
  installedPasswordFile,
  installSchedulerEntry,
  parseSchtasksLastRun,
  schedulerEntryStatus,
  uninstallSchedulerEntry,
  type SchedulerEntryContext,
} from '../../../../../src-main/engine/schedule/platform/scheduler-entry';
import {
  parseLastTrigger,
  systemdUserDir,
} from '../../../../../src-main/engine/schedule/platform/systemd-install';
import { tempDir } from '../../../../support/temp-dir';

const root = '/srv/assistant';
const spec = (crons = ['0 3 * * *', '0 4 * * 0']): SchedulerEntrySpec => ({
  root,
  command: runDueCommand({ root, node: '/usr/bin/node', tendScript: '/opt/tend/bin/tend.mjs' }),
  crons,
});

/** A fake system: answers per command line, records every call. */
function fakeSystem(answers: Record<string, { code: number; stdout?: string; stderr?: string }>) {
  const calls: string[] = [];
  const run: CommandRunner = async (program, args) => {
    const line = [program, ...args].join(' ');
    calls.push(line);
    const key = Object.keys(answers).find((prefix) => line.startsWith(prefix));
    const answer = key ? answers[key]! : { code: 1, stderr: 'Failed to connect to bus' };
    return { code: answer.code, stdout: answer.stdout ?? '', stderr: answer.stderr ?? '' };
  };
  return { calls, run };
}

function context(
  platform: NodeJS.Platform,
  run: CommandRunner,
  patch: Partial<SchedulerEntryContext> = {},
): SchedulerEntryContext {
  const home = tempDir('tend-home-');
  return {
    platform,
    env: { XDG_CONFIG_HOME: path.join(home, 'xdg') },
    home,
    user: 'ana',
    uid: 501,
    run,
    stateDir: path.join(home, 'state'),
    lingerDir: path.join(home, 'linger'),
    ...patch,
  };
}

describe('systemdUserDir', () => {
  it.each([
    [{ XDG_CONFIG_HOME: '/x/config' }, '/x/config/systemd/user'],
    [{}, '/home/ana/.config/systemd/user'],
    // A relative XDG_CONFIG_HOME is to be ignored (XDG Base Directory spec).
    [{ XDG_CONFIG_HOME: 'config' }, '/home/ana/.config/systemd/user'],
  ])('%j → %s', (env, dir) => expect(systemdUserDir(env, '/home/ana')).toBe(dir));
});

describe('the systemd timer of a folder', () => {
  it('installs durably, enables the timer, reports, and uninstalls only its own files', async () => {
    const system = fakeSystem({
      'systemctl --user daemon-reload': { code: 0 },
      'systemctl --user enable --now': { code: 0 },
      'systemctl --user is-enabled': { code: 0, stdout: 'enabled\n' },
      'systemctl --user is-active': { code: 0, stdout: 'active\n' },
      'systemctl --user show -p LastTriggerUSec': {
        code: 0,
        stdout: 'Mon 2026-11-30 03:00:04 UTC\n',
      },
      'systemctl --user disable --now': { code: 0 },
      'loginctl show-user ana': { code: 0, stdout: 'yes\n' },
    });
    const ctx = context('linux', system.run);
    const unitDir = path.join(ctx.env.XDG_CONFIG_HOME!, 'systemd/user');
    const name = entryName(root);

    const installed = await installSchedulerEntry(spec(), ctx);
    expect(installed).toMatchObject({
      kind: 'systemd',
      name: `${name}.timer`,
      enabled: true,
      lingering: true,
      problem: null,
      when: ['*-*-* 03:00:00', 'Sun *-*-* 04:00:00'],
    });
    expect(fs.readdirSync(unitDir).sort()).toEqual([`${name}.service`, `${name}.timer`]);
    expect(system.calls).toContain(`systemctl --user enable --now ${name}.timer`);
    const service = fs.readFileSync(path.join(unitDir, `${name}.service`), 'utf8');
    expect(service).toContain(
      'ExecStart="/usr/bin/node" "/opt/tend/bin/tend.mjs" "run-due" "--root" "/srv/assistant"',
    );

    const status = await schedulerEntryStatus(spec(), ctx);
    expect(status).toMatchObject({
      installed: true,
      upToDate: true,
      enabled: true,
      lastTriggeredAt: '2026-11-30T03:00:04.000Z',
      problem: null,
    });
    // The schedules changed: status says the timer is out of date.
    const changed = await schedulerEntryStatus(spec(['0 2 * * *']), ctx);
    expect(changed).toMatchObject({ upToDate: false });
    expect(changed.problem).toMatch(/install again/);

    // Another folder's timer and a file of the person's are left alone.
    fs.writeFileSync(path.join(unitDir, 'mine.timer'), '[Timer]\n');
    const removed = await uninstallSchedulerEntry(root, ctx);
    expect(removed.removed).toHaveLength(2);
    expect(fs.readdirSync(unitDir)).toEqual(['mine.timer']);
    expect(system.calls).toContain(`systemctl --user disable --now ${name}.timer`);
    expect((await schedulerEntryStatus(spec(), ctx)).installed).toBe(false);
  });

  it('keeps the files and says what to run when systemctl --user cannot be reached, and that a server needs lingering', async () => {
    const system = fakeSystem({ 'loginctl show-user': { code: 0, stdout: 'no\n' } });
    const ctx = context('linux', system.run);
    const installed = await installSchedulerEntry(spec(), ctx);
    expect(installed.files).toHaveLength(2);
    expect(installed.enabled).toBeNull();
    expect(installed.problem).toContain(
      'systemctl --user daemon-reload && systemctl --user enable --now',
    );
    const status = await schedulerEntryStatus(spec(), ctx);
    expect(status.problem).toMatch(/cannot be reached/);

    const linked = fakeSystem({
      'systemctl --user': { code: 0, stdout: 'enabled\n' },
      'loginctl show-user': { code: 0, stdout: 'no\n' },
    });
    const again = await installSchedulerEntry(spec(), { ...ctx, run: linked.run });
    expect(again.problem).toBe(
      'Timers of ana run only while ana is logged in. On a server, run `loginctl enable-linger ana` so they run without a session.',
    );
  });

  it('refuses to replace a unit of the same name that Tend did not write', async () => {
    const ctx = context('linux', fakeSystem({}).run);
    const unitDir = path.join(ctx.env.XDG_CONFIG_HOME!, 'systemd/user');
    fs.mkdirSync(unitDir, { recursive: true });
    const foreign = path.join(unitDir, `${entryName(root)}.service`);
    fs.writeFileSync(foreign, '[Service]\nExecStart=/bin/true\n');
    await expect(installSchedulerEntry(spec(), ctx)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(uninstallSchedulerEntry(root, ctx)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    expect(fs.readFileSync(foreign, 'utf8')).toBe('[Service]\nExecStart=/bin/true\n');
  });

  it.each([
    ['Mon 2026-11-30 03:00:04 UTC', '2026-11-30T03:00:04.000Z'],
    ['n/a', null],
    ['', null],
  ])('reads LastTriggerUSec %j', (value, expected) =>
    expect(parseLastTrigger(value)).toBe(expected),
  );
});

describe('the launchd agent and the Task Scheduler task of a folder', () => {
  it('writes the agent and bootstraps it in the gui domain; removes it again', async () => {
    const system = fakeSystem({
      'launchctl bootstrap': { code: 0 },
      'launchctl print': { code: 0 },
    });
    const ctx = context('darwin', system.run);
    const installed = await installSchedulerEntry(spec(), ctx);
    const file = path.join(ctx.home, 'Library/LaunchAgents', `dev.tend.${entryName(root)}.plist`);
    expect(installed).toMatchObject({
      kind: 'launchd',
      files: [file],
      enabled: true,
      problem: null,
    });
    expect(system.calls).toContain(`launchctl bootstrap gui/501 ${file}`);
    expect(await schedulerEntryStatus(spec(), ctx)).toMatchObject({
      installed: true,
      upToDate: true,
    });
    expect((await uninstallSchedulerEntry(root, ctx)).removed).toEqual([file]);
    expect(fs.existsSync(file)).toBe(false);
  });

  it('writes the task as UTF-16 and creates it with schtasks; reads its last run', async () => {
    const system = fakeSystem({
      'schtasks /Create': { code: 0 },
      'schtasks /Query': {
        code: 0,
        stdout: 'TaskName: \\Tend\\x\nLast Run Time:   11/30/2026 3:00:02 AM\n',
      },
      'schtasks /Delete': { code: 0 },
    });
    const ctx = context('win32', system.run);
    const installed = await installSchedulerEntry(spec(), ctx);
    const file = installed.files[0]!;
    expect(fs.readFileSync(file).subarray(0, 2)).toEqual(Buffer.from([0xff, 0xfe]));
    expect(system.calls).toContain(
      `schtasks /Create /F /TN \\Tend\\${entryName(root)} /XML ${file}`,
    );
    expect(await schedulerEntryStatus(spec(), ctx)).toMatchObject({
      installed: true,
      upToDate: true,
      lastTriggeredAt: '11/30/2026 3:00:02 AM',
    });
    expect((await uninstallSchedulerEntry(root, ctx)).removed).toEqual([file]);
  });

  it.each([
    ['Last Run Time:   N/A\n', null],
    ['Last Run Time:   11/30/1999 12:00:00 AM\n', null],
    ['Folder: \\\nLast Run Time: 1/2/2026 3:04:05 AM\n', '1/2/2026 3:04:05 AM'],
  ])('reads schtasks %j', (output, expected) =>
    expect(parseSchtasksLastRun(output)).toBe(expected),
  );
});

describe('the passphrase file an installed entry names', () => {
  // Paths with each character a format escapes: systemd's \ " % $, XML's & < > ' " (a
  // Windows path cannot hold a ").
  const tricky = {
    linux: String.raw`/home/ana/keys/50% "$HOME" & <tend's> \pass`,
    darwin: String.raw`/Users/ana/keys/50% "$HOME" & <tend's> \pass`,
    win32: String.raw`C:\Users\ana\keys\50% & <tend's> pass`,
  };
  it.each(['linux', 'darwin', 'win32'] as const)(
    'is read back exactly from the entry written on %s, and is null without one',
    async (platform) => {
      const system = fakeSystem({});
      const ctx = context(platform, system.run);
      expect(await installedPasswordFile(root, ctx)).toBeNull();
      const withFile: SchedulerEntrySpec = {
        ...spec(),
        command: runDueCommand({
          root,
          node: '/usr/bin/node',
          tendScript: '/opt/tend/bin/tend.mjs',
          stateDir: '/var/lib/tend state',
          passwordFile: tricky[platform],
        }),
      };
      await installSchedulerEntry(withFile, ctx);
      expect(await installedPasswordFile(root, ctx)).toBe(tricky[platform]);
      await installSchedulerEntry(spec(), ctx);
      expect(await installedPasswordFile(root, ctx)).toBeNull();
    },
  );
});
