/**
 * A systemd user timer and its service that run `tend run-due` for one data folder on the
 * folder's schedules (Linux without the desktop app: a server, a headless box).
 */
import { cronCalendar, dayRules, type CronCalendar } from './cron-calendar';
import { entryName, WRITTEN_BY_TEND, type SchedulerEntrySpec } from './run-due-command';

const WEEKDAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** One unit file: its name (in the user unit folder) and its text. */
export interface UnitFile {
  readonly name: string;
  readonly text: string;
}

/**
 * One argument of ExecStart=, quoted as systemd reads it: in double quotes, with `\` and `"`
 * escaped, `%` doubled (a specifier otherwise) and `$` doubled (a variable otherwise).
 */
export function systemdQuote(arg: string): string {
  const escaped = arg
    .replaceAll('\\', '\\\\')
    .replaceAll('"', '\\"')
    .replaceAll('%', '%%')
    .replaceAll('$', '$$$$');
  return `"${escaped}"`;
}

/** Text in a unit's Description= or a comment: specifiers doubled, on one line. */
function unitText(text: string): string {
  return text.replaceAll('%', '%%');
}

function list(values: ReadonlyArray<number> | null, full: number, pad = 2): string {
  if (values === null || values.length === full) return '*';
  return values.map((value) => String(value).padStart(pad, '0')).join(',');
}

/** The OnCalendar= values for one expanded cron expression (two when both day fields are set). */
export function onCalendarOf(calendar: CronCalendar): string[] {
  const time = `${list(calendar.hours, 24)}:${list(calendar.minutes, 60)}:00`;
  return dayRules(calendar).map((rule) => {
    const weekdays = rule.weekdays
      ? `${rule.weekdays.map((day) => WEEKDAY_NAMES[day]).join(',')} `
      : '';
    return `${weekdays}*-${list(rule.months, 12)}-${list(rule.days, 31)} ${time}`;
  });
}

/**
 * Every OnCalendar= line for the schedules. An expression systemd cannot be told exactly
 * makes the timer fire hourly instead: run-due then finds what is owed, as the app would.
 */
export function onCalendarLines(crons: ReadonlyArray<string>): string[] {
  const lines = new Set<string>();
  for (const cron of crons) {
    const calendar = cronCalendar(cron);
    if (!calendar) return ['hourly'];
    for (const line of onCalendarOf(calendar)) lines.add(line);
  }
  return [...lines];
}

/** The service and the timer for one data folder. */
export function systemdUnits(spec: SchedulerEntrySpec): { service: UnitFile; timer: UnitFile } {
  const name = entryName(spec.root);
  const exec = [spec.command.program, ...spec.command.args].map(systemdQuote).join(' ');
  const environment = Object.entries(spec.command.env).map(
    ([key, value]) => `Environment=${systemdQuote(`${key}=${value}`)}`,
  );
  const header = [
    `# ${WRITTEN_BY_TEND} (tend schedule install); tend schedule uninstall removes it.`,
    `# Runs the schedules of ${unitText(spec.root)} while the desktop app is not open.`,
  ];
  const service = [
    ...header,
    '[Unit]',
    `Description=Tend: run what is due for ${unitText(spec.root)}`,
    '',
    '[Service]',
    'Type=oneshot',
    `ExecStart=${exec}`,
    ...environment,
    // Exit 4 is "another Tend holds the folder": what is due stays due for the next tick.
    'SuccessExitStatus=4',
    // A backup in the background should not slow the person down.
    'Nice=10',
    'IOSchedulingClass=best-effort',
    'IOSchedulingPriority=7',
    '',
  ].join('\n');
  const timer = [
    ...header,
    '[Unit]',
    `Description=Tend: when the schedules of ${unitText(spec.root)} are due`,
    '',
    '[Timer]',
    ...onCalendarLines(spec.crons).map((line) => `OnCalendar=${line}`),
    // Missed while the machine was off: run once at the next boot, as the app catches up.
    'Persistent=true',
    'AccuracySec=1min',
    `Unit=${name}.service`,
    '',
    '[Install]',
    'WantedBy=timers.target',
    '',
  ].join('\n');
  return {
    service: { name: `${name}.service`, text: service },
    timer: { name: `${name}.timer`, text: timer },
  };
}
