/**
 * A Task Scheduler task (Windows) that runs `tend run-due` for one data folder on the
 * folder's schedules; `schtasks /Create /XML` reads it. StartWhenAvailable runs a start the
 * machine slept through when it wakes.
 */
import { cronCalendar, dayRules, type CronCalendar } from './cron-calendar';
import { xmlText } from './launchd-plist';
import { entryName, WRITTEN_BY_TEND, type SchedulerEntrySpec } from './run-due-command';

/** Task Scheduler takes at most 48 triggers a task; past that the task runs hourly. */
export const MAX_TRIGGERS = 48;

const DAY_ELEMENTS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTH_ELEMENTS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** The task's name in Task Scheduler's library, under a Tend folder. */
export function windowsTaskName(root: string): string {
  return `\\Tend\\${entryName(root)}`;
}

/**
 * One argument for a Windows command line, quoted so CommandLineToArgvW (and Node) read it
 * back whole: in double quotes, a `"` escaped with a backslash, and the backslashes before a
 * quote (or the closing quote) doubled.
 */
export function windowsArg(arg: string): string {
  if (arg !== '' && !/[\s"]/.test(arg)) return arg;
  let quoted = '"';
  let slashes = 0;
  for (const char of arg) {
    if (char === '\\') {
      slashes += 1;
      continue;
    }
    if (char === '"') quoted += `${'\\'.repeat(slashes * 2 + 1)}"`;
    else quoted += `${'\\'.repeat(slashes)}${char}`;
    slashes = 0;
  }
  return `${quoted}${'\\'.repeat(slashes * 2)}"`;
}

function two(value: number): string {
  return String(value).padStart(2, '0');
}

function months(values: ReadonlyArray<number> | null): string {
  const all = values ?? [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  return `<Months>${all.map((month) => `<${MONTH_ELEMENTS[month - 1]} />`).join('')}</Months>`;
}

/** The schedule part of one calendar trigger for one day rule. */
function scheduleOf(rule: Pick<CronCalendar, 'days' | 'months' | 'weekdays'>): string {
  const weekdays = (values: ReadonlyArray<number>) =>
    `<DaysOfWeek>${values.map((day) => `<${DAY_ELEMENTS[day]} />`).join('')}</DaysOfWeek>`;
  if (rule.days !== null) {
    const days = rule.days.map((day) => `<Day>${day}</Day>`).join('');
    return `<ScheduleByMonth><DaysOfMonth>${days}</DaysOfMonth>${months(rule.months)}</ScheduleByMonth>`;
  }
  if (rule.weekdays !== null && rule.months !== null) {
    return `<ScheduleByMonthDayOfWeek><Weeks><Week>1</Week><Week>2</Week><Week>3</Week><Week>4</Week><Week>Last</Week></Weeks>${weekdays(rule.weekdays)}${months(rule.months)}</ScheduleByMonthDayOfWeek>`;
  }
  if (rule.weekdays !== null) {
    return `<ScheduleByWeek><WeeksInterval>1</WeeksInterval>${weekdays(rule.weekdays)}</ScheduleByWeek>`;
  }
  if (rule.months !== null) {
    const all = Array.from({ length: 31 }, (_, index) => `<Day>${index + 1}</Day>`).join('');
    return `<ScheduleByMonth><DaysOfMonth>${all}</DaysOfMonth>${months(rule.months)}</ScheduleByMonth>`;
  }
  return '<ScheduleByDay><DaysInterval>1</DaysInterval></ScheduleByDay>';
}

function trigger(hour: number, minute: number, schedule: string, repeatHourly = false): string {
  const repetition = repeatHourly
    ? '<Repetition><Interval>PT1H</Interval><Duration>P1D</Duration></Repetition>'
    : '';
  // A start boundary in the past, without a zone: the local time of day, every day it applies.
  return `    <CalendarTrigger>${repetition}<StartBoundary>2000-01-01T${two(hour)}:${two(minute)}:00</StartBoundary><Enabled>true</Enabled>${schedule}</CalendarTrigger>`;
}

/** The task's triggers for the schedules; hourly when they do not fit Task Scheduler's limit. */
export function windowsTriggers(crons: ReadonlyArray<string>): string[] {
  const triggers = new Set<string>();
  for (const cron of crons) {
    const calendar = cronCalendar(cron);
    if (!calendar)
      return [trigger(0, 0, scheduleOf({ days: null, months: null, weekdays: null }), true)];
    for (const rule of dayRules(calendar)) {
      for (const hour of calendar.hours) {
        for (const minute of calendar.minutes) {
          triggers.add(trigger(hour, minute, scheduleOf(rule)));
          if (triggers.size > MAX_TRIGGERS) {
            return [trigger(0, 0, scheduleOf({ days: null, months: null, weekdays: null }), true)];
          }
        }
      }
    }
  }
  return [...triggers];
}

/**
 * The task's XML for one data folder. Environment variables cannot be set on a task, so
 * TEND_STATE_DIR (when set) goes through `cmd /c set … &&`.
 */
export function windowsTaskXml(spec: SchedulerEntrySpec): string {
  const env = Object.entries(spec.command.env);
  const commandLine = spec.command.args.map(windowsArg).join(' ');
  const [command, args] =
    env.length === 0
      ? [spec.command.program, commandLine]
      : [
          'cmd.exe',
          `/d /s /c "${env.map(([key, value]) => `set "${key}=${value}"`).join(' && ')} && ${windowsArg(spec.command.program)} ${commandLine}"`,
        ];
  return `<?xml version="1.0" encoding="UTF-16"?>
<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">
  <RegistrationInfo>
    <Description>${xmlText(`${WRITTEN_BY_TEND} (tend schedule install): runs the schedules of ${spec.root} while the desktop app is not open.`)}</Description>
    <URI>${xmlText(windowsTaskName(spec.root))}</URI>
  </RegistrationInfo>
  <Triggers>
${windowsTriggers(spec.crons).join('\n')}
  </Triggers>
  <Principals>
    <Principal id="Author">
      <LogonType>InteractiveToken</LogonType>
      <RunLevel>LeastPrivilege</RunLevel>
    </Principal>
  </Principals>
  <Settings>
    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>
    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>
    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>
    <StartWhenAvailable>true</StartWhenAvailable>
    <RunOnlyIfNetworkAvailable>false</RunOnlyIfNetworkAvailable>
    <IdleSettings><StopOnIdleEnd>false</StopOnIdleEnd><RestartOnIdle>false</RestartOnIdle></IdleSettings>
    <Enabled>true</Enabled>
    <Hidden>false</Hidden>
    <ExecutionTimeLimit>PT0S</ExecutionTimeLimit>
    <Priority>7</Priority>
  </Settings>
  <Actions Context="Author">
    <Exec>
      <Command>${xmlText(command)}</Command>
      <Arguments>${xmlText(args)}</Arguments>
    </Exec>
  </Actions>
</Task>
`;
}
