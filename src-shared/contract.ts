/**
 * The single list of what the UI can ask and hear.
 *
 * Every transport (Electron IPC, the web host, the CLI) is generic over this map; nothing
 * about a channel is written twice. Later issues add their channels here.
 */
import { z } from 'zod';
import { DemoSizeSchema } from './models/demo';
import { JobKindSchema, JobRecordSchema } from './models/jobs';
import { RootInfoSchema, UsageSummarySchema } from './models/root';
import { SettingsSchema } from './models/settings';

const empty = z.object({}).strict();
const absolutePath = z.string().min(1, 'A folder path is required').max(4096);

/** Invoke channels, named `domain:verb`, each with its input and output schema. */
export const invokeChannels = {
  /** The open root, or NO_ROOT when none has been chosen yet. */
  'root:info': { input: empty, output: RootInfoSchema },
  /** Opens an existing root; it becomes the one Tend manages. */
  'root:open': { input: z.object({ path: absolutePath }).strict(), output: RootInfoSchema },
  /** Creates a new, empty root with the default layout and opens it. */
  'root:create': { input: z.object({ path: absolutePath }).strict(), output: RootInfoSchema },
  /** The roots used before, newest first, for the first-run picker. */
  'root:recent': { input: empty, output: z.object({ paths: z.array(z.string()).readonly() }) },
  /** Asks the desktop shell for a folder; only the Electron transport can answer. */
  'root:pick-folder': {
    input: z.object({ purpose: z.enum(['open', 'create', 'destination']) }).strict(),
    output: z.object({ path: z.string().nullable() }),
  },

  /** The root's settings, with defaults filled in. */
  'settings:get': { input: empty, output: SettingsSchema },
  /** Replaces the root's settings after validating them. */
  'settings:set': {
    input: z.object({ settings: SettingsSchema }).strict(),
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

  /** Writes a realistic, deterministic demo root at `path` (a job). */
  'demo:generate': {
    input: z
      .object({
        path: absolutePath,
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

/** Event channels and their payloads. */
export const eventChannels = {
  /** A job moved: new state or new progress. */
  'job:progress': JobRecordSchema,
  /** A job ended: succeeded, failed, cancelled or interrupted. */
  'job:finished': JobRecordSchema,
  /** The settings of the open root changed. */
  'settings:changed': SettingsSchema,
  /** Another root was opened. */
  'root:changed': RootInfoSchema,
} as const;

export type Channel = keyof typeof invokeChannels;
export type EventName = keyof typeof eventChannels;

/** What a caller passes to a channel (defaults may be left out). */
export type InputOf<C extends Channel> = z.input<(typeof invokeChannels)[C]['input']>;
/** What a handler receives, after parsing. */
export type ParsedInputOf<C extends Channel> = z.output<(typeof invokeChannels)[C]['input']>;
/** What a channel answers. */
export type OutputOf<C extends Channel> = z.output<(typeof invokeChannels)[C]['output']>;
/** What an event carries. */
export type PayloadOf<E extends EventName> = z.output<(typeof eventChannels)[E]>;

/** Whether a string names an invoke channel. */
export function isChannel(name: string): name is Channel {
  return Object.hasOwn(invokeChannels, name);
}

/** Whether a string names an event channel. */
export function isEventName(name: string): name is EventName {
  return Object.hasOwn(eventChannels, name);
}

/** Every event channel's name, for transports that forward them all. */
export const eventNames = Object.keys(eventChannels) as ReadonlyArray<EventName>;
