/**
 * A launchd agent (macOS) that runs `tend run-due` for one data folder on the folder's
 * schedules. launchd runs a calendar job missed while the Mac slept when it wakes.
 */
import { cronCalendar, dayRules } from './cron-calendar';
import { entryName, WRITTEN_BY_TEND, type SchedulerEntrySpec } from './run-due-command';

/** More calendar entries than this and the agent runs hourly instead (run-due catches up). */
export const MAX_CALENDAR_ENTRIES = 256;

/** The agent's label: reverse-DNS, one per folder. */
export function launchdLabel(root: string): string {
  return `dev.tend.${entryName(root)}`;
}

/** The five XML entities, `&` first: escaped in this order, unescaped in the reverse. */
const XML_ENTITIES: ReadonlyArray<readonly [string, string]> = [
  ['&', '&amp;'],
  ['<', '&lt;'],
  ['>', '&gt;'],
  ['"', '&quot;'],
  ["'", '&apos;'],
];

/** Text inside a plist <string>: the five XML entities escaped. */
export function xmlText(text: string): string {
  return XML_ENTITIES.reduce((out, [char, entity]) => out.replaceAll(char, entity), text);
}

/** xmlText undone: the entities back to their characters (`&amp;` last). */
export function xmlUnescaped(text: string): string {
  return XML_ENTITIES.reduceRight((out, [char, entity]) => out.replaceAll(entity, char), text);
}

type CalendarEntry = Partial<Record<'Minute' | 'Hour' | 'Day' | 'Month' | 'Weekday', number>>;

/** launchd's StartCalendarInterval entries for the schedules, or null when too many. */
export function calendarEntries(crons: ReadonlyArray<string>): CalendarEntry[] | null {
  const entries = new Map<string, CalendarEntry>();
  for (const cron of crons) {
    const calendar = cronCalendar(cron);
    if (!calendar) return null;
    for (const rule of dayRules(calendar)) {
      // A field left out of an entry means "any"; each listed value needs its own entry.
      const axes: Array<[keyof CalendarEntry, ReadonlyArray<number> | null]> = [
        ['Month', rule.months],
        ['Day', rule.days],
        ['Weekday', rule.weekdays],
        ['Hour', calendar.hours.length === 24 ? null : calendar.hours],
        ['Minute', calendar.minutes.length === 60 ? null : calendar.minutes],
      ];
      let partial: CalendarEntry[] = [{}];
      for (const [key, values] of axes) {
        if (values === null) continue;
        partial = partial.flatMap((entry) => values.map((value) => ({ ...entry, [key]: value })));
        if (partial.length > MAX_CALENDAR_ENTRIES) return null;
      }
      for (const entry of partial) entries.set(JSON.stringify(entry), entry);
      if (entries.size > MAX_CALENDAR_ENTRIES) return null;
    }
  }
  return [...entries.values()];
}

function dict(entry: CalendarEntry, indent: string): string {
  const keys = Object.entries(entry)
    .map(([key, value]) => `${indent}  <key>${key}</key><integer>${value}</integer>`)
    .join('\n');
  return `${indent}<dict>\n${keys}\n${indent}</dict>`;
}

/** The agent's plist for one data folder. */
export function launchdPlist(spec: SchedulerEntrySpec, logDir: string): string {
  const label = launchdLabel(spec.root);
  const args = [spec.command.program, ...spec.command.args]
    .map((arg) => `    <string>${xmlText(arg)}</string>`)
    .join('\n');
  const calendar = calendarEntries(spec.crons);
  const when = calendar
    ? `  <key>StartCalendarInterval</key>\n  <array>\n${calendar.map((entry) => dict(entry, '    ')).join('\n')}\n  </array>`
    : '  <key>StartInterval</key>\n  <integer>3600</integer>';
  const env = Object.entries(spec.command.env);
  const environment =
    env.length === 0
      ? ''
      : `  <key>EnvironmentVariables</key>\n  <dict>\n${env
          .map(
            ([key, value]) =>
              `    <key>${xmlText(key)}</key>\n    <string>${xmlText(value)}</string>`,
          )
          .join('\n')}\n  </dict>\n`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<!-- ${WRITTEN_BY_TEND} (tend schedule install): runs the schedules of a data folder while the desktop app is not open. -->
<plist version="1.0">
<dict>
  <key>Label</key>
  <string>${xmlText(label)}</string>
  <key>ProgramArguments</key>
  <array>
${args}
  </array>
${environment}${when}
  <key>ProcessType</key>
  <string>Background</string>
  <key>LowPriorityIO</key>
  <true/>
  <key>StandardOutPath</key>
  <string>${xmlText(`${logDir}/${label}.log`)}</string>
  <key>StandardErrorPath</key>
  <string>${xmlText(`${logDir}/${label}.log`)}</string>
</dict>
</plist>
`;
}
