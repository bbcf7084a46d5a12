import { z } from 'zod';
import { pathField } from './paths';

// Five cron fields (minute hour day month weekday), each of digits, *, /, -, or commas.
const cronField = String.raw`[\d*/,\-A-Za-z?LW#]+`;
const cronPattern = new RegExp(`^\\s*${cronField}(\\s+${cronField}){4}\\s*$`);

/** A five-field cron expression, checked again by croner in the engine. */
export const CronSchema = z
  .string()
  .regex(cronPattern, 'Use five cron fields: minute hour day-of-month month day-of-week');

const days = (max: number) =>
  z.number().int('Use a whole number').min(0, 'Use 0 or more').max(max, `Use at most ${max}`);

/** Tend's settings for one root, stored in `<root>/.tend/settings.json`. */
export const SettingsSchema = z.object({
  version: z.literal(1).default(1),
  backup: z
    .object({
      /** Folder outside the root that receives archives; null until the user picks one. */
      destination: pathField('destination').nullable().default(null),
      retention: z
        .object({
          daily: days(365).default(7),
          weekly: days(520).default(4),
          monthly: days(240).default(12),
        })
        .prefault({}),
      schedules: z
        .object({
          critical: CronSchema.default('0 3 * * *'),
          weeklyFull: CronSchema.default('0 4 * * 0'),
          monthlyFull: CronSchema.default('0 5 1 * *'),
        })
        .prefault({}),
      /** What a file that cannot be read does to a backup. */
      unreadableFiles: z.enum(['fail', 'warn']).default('fail'),
    })
    .prefault({}),
  cleanup: z
    .object({
      logRetentionDays: days(3650).default(30),
      cacheCapBytes: z
        .number()
        .int()
        .min(0)
        .default(1024 ** 3),
      cacheMaxAgeDays: days(3650).default(90),
      /** A cleanup that would remove more than this share of the data folder asks again. */
      confirmAboveShare: z.number().min(0).max(1).default(0.5),
      /** A cleanup that would touch more files than this asks again. */
      confirmAboveFiles: z.number().int().min(0).default(10_000),
    })
    .prefault({}),
  alerts: z
    .object({
      /** Warn when free disk space falls under this many bytes. */
      freeSpaceMinBytes: z
        .number()
        .int()
        .min(0)
        .default(5 * 1024 ** 3),
      /** Warn when a category grows by more than this factor in a week. */
      weeklyGrowthFactor: z.number().min(1).max(100).default(2),
    })
    .prefault({}),
  /** The desktop app itself (issue 15). */
  app: z
    .object({
      /** Open at login, hidden in the tray. Null (unset): on once a destination is chosen. */
      openAtLogin: z.boolean().nullable().default(null),
    })
    .prefault({}),
  /** Backups that run without anyone opening Tend (issue 15). */
  unattended: z
    .object({
      /** On battery under this charge, scheduled backups wait for power (0: never wait). */
      batteryMinPercent: z.number().int().min(0).max(100).default(30),
      /** Warn when no backup has succeeded for this many hours (default two days). */
      warnAfterHours: z.number().int().min(1).max(8760, 'Use at most 8760 (a year)').default(48),
    })
    .prefault({}),
});
export type Settings = z.infer<typeof SettingsSchema>;

/** The settings a new root starts with. */
export function defaultSettings(): Settings {
  return SettingsSchema.parse({});
}
