import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Cron } from 'croner';
import { describe, expect, it } from 'vitest';
import { cronCalendar } from '../../../../../src-main/engine/schedule/platform/cron-calendar';
import {
  calendarEntries,
  launchdPlist,
} from '../../../../../src-main/engine/schedule/platform/launchd-plist';
import {
  entryName,
  runDueCommand,
  type SchedulerEntrySpec,
} from '../../../../../src-main/engine/schedule/platform/run-due-command';
import {
  onCalendarLines,
  systemdQuote,
  systemdUnits,
} from '../../../../../src-main/engine/schedule/platform/systemd-units';
import {
  windowsArg,
  windowsTaskXml,
  windowsTriggers,
} from '../../../../../src-main/engine/schedule/platform/windows-task';
import { tempDir } from '../../../../support/temp-dir';

const DEFAULT_CRONS = ['0 3 * * *', '0 4 * * 0', '0 5 1 * *', '0 6 * * 3', '30 6 * * *'];

function spec(root = '/home/ana/My Assistant', crons = DEFAULT_CRONS): SchedulerEntrySpec {
  return {
    root,
    command: runDueCommand({
      root,
      node: process.execPath,
      tendScript: '/opt/tend/bin/tend.mjs',
    }),
    crons,
  };
}

describe('cronCalendar', () => {
  it.each([
    ['0 3 * * *', { minutes: [0], hours: [3], days: null, months: null, weekdays: null }],
    [
      '*/20 1-2 * * SUN',
      { minutes: [0, 20, 40], hours: [1, 2], days: null, months: null, weekdays: [0] },
    ],
    [
      '5/20 3 1,15 JAN-FEB 7',
      { minutes: [5, 25, 45], hours: [3], days: [1, 15], months: [1, 2], weekdays: [0] },
    ],
    ['0 3 L * *', null],
    ['0 3 * * 1#2', null],
    ['0 0 3 * * *', null],
    ['0 25 * * *', null],
  ])('%s', (cron, expected) => {
    const calendar = cronCalendar(cron);
    if (expected === null) expect(calendar).toBeNull();
    else expect(calendar).toMatchObject(expected);
  });
});

describe('systemd units', () => {
  it.each([
    [['0 3 * * *'], ['*-*-* 03:00:00']],
    [['0 4 * * 0'], ['Sun *-*-* 04:00:00']],
    [['0 5 1 * *'], ['*-*-01 05:00:00']],
    [
      ['*/15 9-17 * * 1-5'],
      ['Mon,Tue,Wed,Thu,Fri *-*-* 09,10,11,12,13,14,15,16,17:00,15,30,45:00'],
    ],
    // Day of month OR weekday, as cron means it: two lines.
    [['0 3 13 * 5'], ['*-*-13 03:00:00', 'Fri *-*-* 03:00:00']],
    [['0 3 L * *'], ['hourly']],
  ])('%j → %j', (crons, lines) => {
    expect(onCalendarLines(crons)).toEqual(lines);
  });

  it('quotes ExecStart arguments as systemd reads them', () => {
    expect(systemdQuote('/home/ana/My Assistant')).toBe('"/home/ana/My Assistant"');
    expect(systemdQuote('50% "off" $HOME \\x')).toBe('"50%% \\"off\\" $$HOME \\\\x"');
  });

  it('names one entry per folder', () => {
    expect(entryName('/a')).toMatch(/^tend-run-due-[0-9a-f]{12}$/);
    expect(entryName('/a')).toBe(entryName('/a'));
    expect(entryName('/a')).not.toBe(entryName('/b'));
  });

  it('gives the scheduler the passphrase file’s path, never a passphrase', () => {
    const command = runDueCommand({
      root: '/srv/assistant',
      node: '/usr/bin/node',
      tendScript: '/opt/tend/bin/tend.mjs',
      passwordFile: '/home/ana/.config/tend/passphrase',
    });
    expect(command.env).toEqual({ TEND_PASSWORD_FILE: '/home/ana/.config/tend/passphrase' });
    const { service } = systemdUnits({ root: '/srv/assistant', command, crons: DEFAULT_CRONS });
    expect(service.text).toContain(
      'Environment="TEND_PASSWORD_FILE=/home/ana/.config/tend/passphrase"',
    );
    expect(() =>
      runDueCommand({ root: '/a', node: '/n', tendScript: '/t', passwordFile: '/p\nq' }),
    ).toThrow(/control character/);
  });

  it('refuses a path with a line break in it', () => {
    expect(() => runDueCommand({ root: '/a\nb', node: '/usr/bin/node', tendScript: '/t' })).toThrow(
      /control character/,
    );
  });

  // systemd's own validator, where this machine has it (Debian: the systemd package).
  const analyze = spawnSync('systemd-analyze', ['--version']).status === 0;
  it.skipIf(!analyze)(
    'writes units that systemd-analyze verify accepts without a word (skipped without systemd-analyze)',
    () => {
      const dir = tempDir();
      const runtime = tempDir();
      const { service, timer } = systemdUnits({
        ...spec('/srv/assistant data/50% of $HOME', [
          ...DEFAULT_CRONS,
          '*/15 9-17 * * 1-5',
          '0 3 13 * 5',
        ]),
        command: {
          ...runDueCommand({
            root: '/srv/assistant data/50% of $HOME',
            node: process.execPath,
            tendScript: path.resolve('bin/tend.mjs'),
            stateDir: '/var/lib/tend state',
          }),
        },
      });
      fs.writeFileSync(path.join(dir, service.name), service.text);
      fs.writeFileSync(path.join(dir, timer.name), timer.text);
      const result = spawnSync(
        'systemd-analyze',
        ['verify', '--user', path.join(dir, timer.name), path.join(dir, service.name)],
        { encoding: 'utf8', env: { ...process.env, XDG_RUNTIME_DIR: runtime } },
      );
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      // And the validator does speak up about a broken unit, so its silence means something.
      fs.writeFileSync(
        path.join(dir, timer.name),
        timer.text.replace('OnCalendar=*-*-* 03:00:00', 'OnCalendar=*-*-* 25:00:00'),
      );
      const broken = spawnSync(
        'systemd-analyze',
        ['verify', '--user', path.join(dir, timer.name)],
        {
          encoding: 'utf8',
          env: { ...process.env, XDG_RUNTIME_DIR: runtime },
        },
      );
      expect(broken.stderr).toMatch(/Failed to parse calendar/);
    },
  );

  it.skipIf(!analyze)(
    'gives systemd the times croner runs: the next 12 of each agree (systemd-analyze calendar)',
    () => {
      const stamp = (date: Date) =>
        `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')} ${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}:00`;
      for (const cron of [
        ...DEFAULT_CRONS,
        '*/15 9-17 * * 1-5',
        '0 3 13 * 5',
        '5/20 3 1,15 JAN-FEB 7',
      ]) {
        const fromSystemd = onCalendarLines([cron])
          .flatMap((line) =>
            [
              ...execFileSync('systemd-analyze', ['calendar', '--iterations=12', line], {
                encoding: 'utf8',
              }).matchAll(/(?:Next elapse|Iter\. #\d+): \w+ (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)/g),
            ].map((match) => match[1]!),
          )
          .sort()
          .filter((value, index, all) => all.indexOf(value) === index)
          .slice(0, 12);
        const fromCroner = new Cron(cron, { paused: true }).nextRuns(12).map(stamp);
        expect(fromSystemd, cron).toEqual(fromCroner);
      }
    },
  );
});

describe('launchd agent', () => {
  it('lists each calendar time, wildcards left out', () => {
    expect(calendarEntries(['0 3 * * *', '0 4 * * 0', '0 5 1 * *'])).toEqual([
      { Hour: 3, Minute: 0 },
      { Weekday: 0, Hour: 4, Minute: 0 },
      { Day: 1, Hour: 5, Minute: 0 },
    ]);
    expect(calendarEntries(['* * * * *'])).toEqual([{}]);
    expect(calendarEntries(['*/1 */1 * * *'])).toEqual([{}]);
    expect(calendarEntries(['0 3 13 * 5'])).toEqual([
      { Day: 13, Hour: 3, Minute: 0 },
      { Weekday: 5, Hour: 3, Minute: 0 },
    ]);
    expect(calendarEntries(['0-58 0-22 * * *'])).toBeNull();
  });

  const python = spawnSync('python3', ['-c', 'import plistlib']).status === 0;
  it.skipIf(!python)(
    'writes a plist that parses, with the command whole (skipped without python3)',
    () => {
      const dir = tempDir();
      const file = path.join(dir, 'agent.plist');
      fs.writeFileSync(
        file,
        launchdPlist(spec('/Users/ana/A & B <data>'), '/Users/ana/Library/Logs/Tend'),
      );
      const parsed = JSON.parse(
        execFileSync(
          'python3',
          [
            '-c',
            'import plistlib,json,sys; print(json.dumps(plistlib.load(open(sys.argv[1],"rb"))))',
            file,
          ],
          { encoding: 'utf8' },
        ),
      );
      expect(parsed.Label).toMatch(/^dev\.tend\.tend-run-due-[0-9a-f]{12}$/);
      expect(parsed.ProgramArguments).toEqual([
        process.execPath,
        '/opt/tend/bin/tend.mjs',
        'run-due',
        '--root',
        '/Users/ana/A & B <data>',
      ]);
      expect(parsed.StartCalendarInterval).toContainEqual({ Weekday: 0, Hour: 4, Minute: 0 });
    },
  );
});

describe('Task Scheduler task', () => {
  it.each([
    ['plain', 'plain'],
    ['C:\\Program Files\\node.exe', '"C:\\Program Files\\node.exe"'],
    ['C:\\data dir\\', '"C:\\data dir\\\\"'],
    ['say "hi"', '"say \\"hi\\""'],
    ['', '""'],
  ])('quotes %j as %s', (arg, quoted) => {
    expect(windowsArg(arg)).toBe(quoted);
  });

  it('has one calendar trigger per time and day rule, and runs hourly past the limit', () => {
    const triggers = windowsTriggers(['0 3 * * *', '0 4 * * 0', '0 5 1 * *']);
    expect(triggers).toHaveLength(3);
    expect(triggers[0]).toContain('<StartBoundary>2000-01-01T03:00:00</StartBoundary>');
    expect(triggers[0]).toContain('<ScheduleByDay><DaysInterval>1</DaysInterval></ScheduleByDay>');
    expect(triggers[1]).toContain('<DaysOfWeek><Sunday /></DaysOfWeek>');
    expect(triggers[2]).toContain('<DaysOfMonth><Day>1</Day></DaysOfMonth>');
    const hourly = windowsTriggers(['*/5 * * * *']);
    expect(hourly).toHaveLength(1);
    expect(hourly[0]).toContain('<Interval>PT1H</Interval>');
  });

  const python = spawnSync('python3', ['-c', 'import xml.etree.ElementTree']).status === 0;
  it.skipIf(!python)(
    'writes well-formed XML whose command reads back whole (skipped without python3)',
    () => {
      const dir = tempDir();
      const file = path.join(dir, 'task.xml');
      const xml = windowsTaskXml({
        ...spec('C:\\Users\\Ana\\My "Assistant" & co'),
        command: {
          program: 'C:\\Program Files\\nodejs\\node.exe',
          args: [
            'C:\\tend\\bin\\tend.mjs',
            'run-due',
            '--root',
            'C:\\Users\\Ana\\My "Assistant" & co',
          ],
          env: {},
        },
      });
      fs.writeFileSync(
        file,
        Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml, 'utf16le')]),
      );
      const out = execFileSync(
        'python3',
        [
          '-c',
          'import sys,xml.etree.ElementTree as E; n={"t":"http://schemas.microsoft.com/windows/2004/02/mit/task"}; r=E.parse(sys.argv[1]).getroot(); print(r.find("t:Actions/t:Exec/t:Arguments",n).text); print(len(r.findall("t:Triggers/t:CalendarTrigger",n)))',
          file,
        ],
        { encoding: 'utf8' },
      );
      expect(out).toBe(
        'C:\\tend\\bin\\tend.mjs run-due --root "C:\\Users\\Ana\\My \\"Assistant\\" & co"\n5\n',
      );
    },
  );
});
