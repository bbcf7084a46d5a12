/**
 * The foundation's channels: the data root, settings, jobs and the demo generator.
 */
import { z } from 'zod';
import { DemoSizeSchema } from '../models/demo';
import { JobKindSchema, JobRecordSchema } from '../models/jobs';
import { FolderFindingsSchema, RootInfoSchema, UsageSummarySchema } from '../models/root';
import { SettingsPatchSchema, SettingsSchema } from '../models/settings';
import { PickedPathSchema, pathField } from '../models/paths';
import { ProfileIdSchema } from '../models/profiles';
import { empty } from './common';

/** The foundation's invoke channels. */
export const coreChannels = {
  /** The open root, or NO_ROOT when none has been chosen yet. */
  'root:info': { input: empty, output: RootInfoSchema },
  /**
   * Opens an existing root; it becomes the one Tend manages. A folder where no profile is
   * detected is refused (ROOT_NOT_ASSISTANT, with the findings) unless `adopt` says the person
   * saw them and chose it, or `profile` names the profile they chose (PROFILE_UNKNOWN for an
   * id Tend does not know); a folder that can never be a root is always refused
   * (ROOT_NOT_ALLOWED).
   */
  'root:open': {
    input: z
      .object({
        path: pathField('root'),
        adopt: z.boolean().default(false),
        profile: ProfileIdSchema.optional(),
      })
      .strict(),
    output: RootInfoSchema,
  },
  /** What Tend finds in a folder, without writing anything: shown before it is adopted. */
  'root:inspect': {
    input: z.object({ path: pathField('root') }).strict(),
    output: FolderFindingsSchema,
  },
  /** Creates a new, empty root with a profile's layout (native unless told) and opens it. */
  'root:create': {
    input: z.object({ path: pathField('new-root'), profile: ProfileIdSchema.optional() }).strict(),
    output: RootInfoSchema,
  },
  /** The roots used before, newest first, for the first-run picker. */
  'root:recent': { input: empty, output: z.object({ paths: z.array(z.string()).readonly() }) },
  /**
   * Asks the desktop shell for a folder; only the Electron transport can answer. The answer's
   * handle stands for the chosen folder, for the purpose it was chosen for: the desktop app
   * passes it back in a path field, and Tend uses no other typed path there.
   */
  'root:pick-folder': {
    input: z
      .object({
        purpose: z.enum(['open', 'create', 'destination', 'export-folder', 'import-folder']),
      })
      .strict(),
    output: PickedPathSchema,
  },
  /** Asks the desktop shell for a file to import or export; only the Electron transport can. */
  'root:pick-file': {
    input: z
      .object({
        purpose: z.enum(['import-file', 'export-file']),
        /** What the file holds, for the dialog's title and filters. */
        holds: z.enum(['records', 'vectors', 'backup']),
        /** The name an export dialog proposes. */
        defaultName: z.string().max(255).optional(),
      })
      .strict(),
    output: PickedPathSchema,
  },

  /** The root's settings, with defaults filled in. */
  'settings:get': { input: empty, output: SettingsSchema },
  /**
   * Saves a change of the root's settings: only the fields given change. With `revision`,
   * refused (SETTINGS_CONFLICT) when the file was saved by someone else since that revision;
   * a value that breaks a rule is refused (SETTINGS_INVALID, `details.issues` per field).
   */
  'settings:set': {
    input: z.object({ settings: SettingsPatchSchema }).strict(),
    output: SettingsSchema,
  },

  /** Apparent size of the root by category. */
  'usage:summary': { input: empty, output: UsageSummarySchema },

  /** Recent jobs, newest first. */
  'jobs:list': {
    input: z
      .object({
        limit: z.number().int().min(1).max(1000).default(50),
        kind: JobKindSchema.optional(),
      })
      .strict(),
    output: z.object({ jobs: z.array(JobRecordSchema).readonly() }),
  },
  /** One job. */
  'jobs:get': { input: z.object({ id: z.string().min(1) }).strict(), output: JobRecordSchema },
  /** Asks a running job to stop; it ends as cancelled and leaves nothing half-written. */
  'jobs:cancel': { input: z.object({ id: z.string().min(1) }).strict(), output: JobRecordSchema },

  /** Writes a realistic, deterministic demo root of a profile (native unless told) at `path` (a job). */
  'demo:generate': {
    input: z
      .object({
        path: pathField('new-root'),
        profile: ProfileIdSchema.default('native'),
        size: DemoSizeSchema.default('small'),
        seed: z
          .number()
          .int()
          .min(0)
          .max(2 ** 31)
          .default(1),
      })
      .strict(),
    output: JobRecordSchema,
  },
} as const;

/** The foundation's event channels. */
export const coreEvents = {
  /** A job moved: new state or new progress. */
  'job:progress': JobRecordSchema,
  /** A job ended: succeeded, failed, cancelled or interrupted. */
  'job:finished': JobRecordSchema,
  /** The settings of the open root changed. */
  'settings:changed': SettingsSchema,
  /** Another root was opened. */
  'root:changed': RootInfoSchema,
} as const;
