import { z } from 'zod';
import { pathField } from './paths';
import { RepositoryDestinationSchema } from './repository';

// Five cron fields (minute hour day month weekday), each of digits, *, /, -, or commas.
const cronField = String.raw`[\d*/,\-A-Za-z?LW#]+`;
const cronPattern = new RegExp(`^\\s*${cronField}(\\s+${cronField}){4}\\s*$`);

/** A five-field cron expression; `scheduleProblem` (settings-rules.ts) checks it with croner. */
export const CronSchema = z
  .string({ error: 'Type a schedule of five cron fields' })
  .regex(
    cronPattern,
    'Use five cron fields separated by spaces: minute, hour, day of month, month, day of week (for example 0 3 * * *)',
  );

/** A whole number from 0 to `max`, with messages a person reads. */
const wholeNumber = (max: number) =>
  z
    .number({ error: 'Type a number' })
    .int('Type a whole number')
    .min(0, `Type a number from 0 to ${max}`)
    .max(max, `Type a number from 0 to ${max}`);

/** A size in bytes, 0 or more. */
const byteSize = z
  .number({ error: 'Type a number' })
  .int('Type a whole number of bytes')
  .min(0, 'Type a size of 0 or more');

/** Tend's settings for one root, stored in its state folder (`<state>/roots/<id>/settings.json`). */
export const SettingsSchema = z.object({
  version: z.literal(1).default(1),
  /**
   * Counts the saves of this file: each save adds one. A change is sent with the revision it
   * was made from, and refused when the file has moved on meanwhile (another window, the
   * command line, the tray), so nobody's change is silently put back.
   */
  revision: z.number().int().min(0).default(0),
  backup: z
    .object({
      /** Folder outside the root that receives archives; null until the user picks one. */
      destination: pathField('destination', 'Type a folder path, or leave it empty')
        .nullable()
        .default(null),
      retention: z
        .object({
          daily: wholeNumber(365).default(7),
          weekly: wholeNumber(520).default(4),
          monthly: wholeNumber(240).default(12),
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
      unreadableFiles: z
        .enum(['fail', 'warn'], { error: 'Choose “fail” or “warn”' })
        .default('fail'),
      /** The encrypted repository scheduled backups go to (issue 12); null: archives only. */
      repository: RepositoryDestinationSchema.nullable().default(null),
    })
    .prefault({}),
  cleanup: z
    .object({
      logRetentionDays: wholeNumber(3650).default(30),
      cacheCapBytes: byteSize.default(1024 ** 3),
      cacheMaxAgeDays: wholeNumber(3650).default(90),
      /** A cleanup that would remove more than this share of the data folder asks again. */
      confirmAboveShare: z
        .number({ error: 'Type a share from 0 to 1' })
        .min(0, 'Type a share from 0 to 1')
        .max(1, 'Type a share from 0 to 1')
        .default(0.5),
      /** A cleanup that would touch more files than this asks again. */
      confirmAboveFiles: wholeNumber(10_000_000).default(10_000),
    })
    .prefault({}),
  alerts: z
    .object({
      /** Warn when free disk space falls under this many bytes. */
      freeSpaceMinBytes: byteSize.default(5 * 1024 ** 3),
      /** Warn when a category grows by more than this factor in a week. */
      weeklyGrowthFactor: z
        .number({ error: 'Type a number' })
        .min(1, 'Type a factor from 1 to 100')
        .max(100, 'Type a factor from 1 to 100')
        .default(2),
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
      batteryMinPercent: wholeNumber(100).default(30),
      /** Warn when no backup has succeeded for this many hours (default two days). */
      warnAfterHours: z
        .number({ error: 'Type a number' })
        .int('Type a whole number of hours')
        .min(1, 'Type a number of hours from 1 to 8760 (a year)')
        .max(8760, 'Type a number of hours from 1 to 8760 (a year)')
        .default(48),
    })
    .prefault({}),
});
export type Settings = z.infer<typeof SettingsSchema>;

/** The settings a new root starts with. */
export function defaultSettings(): Settings {
  return SettingsSchema.parse({});
}

// A patch names only the fields it changes. Its shape is checked at the door (an unknown
// key is a typo, refused there); its values are checked by the engine against the merged
// settings, so every problem comes back as SETTINGS_INVALID with a message per field.
const leaf = z.unknown();
const section = <T extends Record<string, z.ZodType>>(shape: T) =>
  z.object(shape).partial().strict().optional();

/** The fields a save changes, and the revision they were changed from. */
export const SettingsPatchSchema = z
  .object({
    version: leaf,
    /** The revision the change was made from; left out, the change applies to any revision. */
    revision: leaf,
    backup: section({
      // Marked as a path, so the path gate checks a destination before the engine sees it.
      destination: pathField('destination', 'Type a folder path, or leave it empty')
        .nullable()
        .optional(),
      retention: section({ daily: leaf, weekly: leaf, monthly: leaf }),
      schedules: section({ critical: leaf, weeklyFull: leaf, monthlyFull: leaf }),
      unreadableFiles: leaf,
      repository: RepositoryDestinationSchema.nullable().optional(),
    }),
    cleanup: section({
      logRetentionDays: leaf,
      cacheCapBytes: leaf,
      cacheMaxAgeDays: leaf,
      confirmAboveShare: leaf,
      confirmAboveFiles: leaf,
    }),
    alerts: section({ freeSpaceMinBytes: leaf, weeklyGrowthFactor: leaf }),
    app: section({ openAtLogin: leaf }),
    unattended: section({ batteryMinPercent: leaf, warnAfterHours: leaf }),
  })
  .partial()
  .strict();

// A member of a union (it has a `kind`) is replaced whole by a patch, never merged.
type DeepPartial<T> = {
  [K in keyof T]?: T[K] extends object | null
    ? T[K] extends null | { kind: string }
      ? T[K]
      : DeepPartial<T[K]>
    : T[K];
};

/**
 * The fields a save changes, typed as the settings are: a whole `Settings` is a patch too
 * (it changes everything, and its `revision` guards it).
 */
export type SettingsPatch = DeepPartial<Settings>;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The settings with a patch laid over them: objects merge key by key, anything else (a
 * number, a string, null) replaces. The result is not checked; `checkSettings` does that.
 */
export function mergeSettings(base: Settings, patch: SettingsPatch): unknown {
  const merge = (into: unknown, over: unknown): unknown => {
    if (!isPlainObject(into) || !isPlainObject(over)) return over === undefined ? into : over;
    // A member of a union (a repository destination) replaces the old one whole.
    if ('kind' in over) return over;
    const out: Record<string, unknown> = { ...into };
    for (const [key, value] of Object.entries(over)) {
      if (value !== undefined) out[key] = merge(into[key], value);
    }
    return out;
  };
  return merge(base, patch);
}
