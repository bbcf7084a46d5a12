import { z } from 'zod';
import { ErrorCodeSchema } from '../errors';

/**
 * Moving a data folder to another place (issue 14): the plan a person reads before anything
 * happens, what the move did, and the old copy it keeps until told.
 */

/** How the files get there: one rename on the same filesystem, else copy and verify. */
export const MoveMethodSchema = z.enum(['rename', 'copy']);
export type MoveMethod = z.infer<typeof MoveMethodSchema>;

/**
 * One change to how the app finds its data:
 * - `env`: an environment variable Tend cannot set for the app; `line` is what to put in the
 *   compose file or service unit;
 * - `settings-file`: a key of the app's settings file, written by Tend with the old value kept
 *   (`applies` false when the file sits inside the folder and moves with it, or the key does
 *   not hold the folder's path);
 * - `link`: the app has no setting; a link left at the old path points at the new one;
 * - `tend`: Tend's own record of the data folder (history, schedules, backups follow).
 */
export const ConfigChangeSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('env'),
    variable: z.string(),
    line: z.string(),
    note: z.string(),
  }),
  z.object({
    kind: z.literal('settings-file'),
    file: z.string(),
    key: z.string(),
    from: z.string().nullable(),
    to: z.string().nullable(),
    applies: z.boolean(),
    note: z.string(),
  }),
  z.object({ kind: z.literal('link'), at: z.string(), to: z.string(), note: z.string() }),
  z.object({ kind: z.literal('tend'), from: z.string(), to: z.string(), note: z.string() }),
]);
export type ConfigChange = z.infer<typeof ConfigChangeSchema>;

/** A reason the move cannot go ahead, with its stable code. */
export const MoveRefusalSchema = z.object({ code: ErrorCodeSchema, message: z.string() });
export type MoveRefusal = z.infer<typeof MoveRefusalSchema>;

/** The checks a plan runs on the target and the app, in the order a person reads them. */
export const MoveCheckNameSchema = z.enum(['place', 'empty', 'writable', 'space', 'app', 'files']);
export type MoveCheckName = z.infer<typeof MoveCheckNameSchema>;

/**
 * One check of a plan with its result in words (numbers included): `passed`, `refused` (its
 * refusal is among the plan's), or `skipped` when an earlier refusal left nothing to check.
 */
export const MoveCheckSchema = z.object({
  name: MoveCheckNameSchema,
  title: z.string(),
  outcome: z.enum(['passed', 'refused', 'skipped']),
  detail: z.string(),
});
export type MoveCheck = z.infer<typeof MoveCheckSchema>;

/** What a move would do, shown before anything happens. */
export const MovePlanSchema = z.object({
  source: z.string(),
  /** The target as given, and as the system resolves it (links followed). */
  target: z.string(),
  resolvedTarget: z.string(),
  /** Whether the target folder exists now (empty) or will be made. */
  targetExists: z.boolean(),
  method: MoveMethodSchema,
  files: z.number().int(),
  folders: z.number().int(),
  bytes: z.number(),
  space: z.object({
    /** Bytes the move needs free at the target: everything plus a margin (0 for a rename). */
    neededBytes: z.number(),
    marginBytes: z.number(),
    freeBytes: z.number(),
  }),
  changes: z.array(ConfigChangeSchema).readonly(),
  /** Each check with its result, passed ones included. */
  checks: z.array(MoveCheckSchema).readonly(),
  refusals: z.array(MoveRefusalSchema).readonly(),
  warnings: z.array(z.string()).readonly(),
});
export type MovePlan = z.infer<typeof MovePlanSchema>;

/** The old copy a copying move keeps (renamed beside where it was) until told to remove it. */
export const OldCopySchema = z.object({
  path: z.string(),
  bytes: z.number(),
  files: z.number().int(),
});
export type OldCopy = z.infer<typeof OldCopySchema>;

/** The last move: what it changed, and what `move back` and `forget-old` can still do. */
export const MoveRecordSchema = z.object({
  id: z.string(),
  from: z.string(),
  to: z.string(),
  method: MoveMethodSchema,
  /** Whether the move made the target folder (else it was there, empty). */
  targetCreated: z.boolean(),
  files: z.number().int(),
  bytes: z.number(),
  movedAt: z.string(),
  changes: z.array(ConfigChangeSchema).readonly(),
  /** The old copy, while it exists (null after a rename, or once removed). */
  oldCopy: OldCopySchema.nullable(),
  /** Set once moved back. */
  movedBackAt: z.string().nullable(),
});
export type MoveRecord = z.infer<typeof MoveRecordSchema>;

/** What `move:status` answers: the last move (or none) and whether it can be undone. */
export const MoveStatusSchema = z.object({
  last: MoveRecordSchema.nullable(),
  /** Why `move back` cannot run now, or null when it can. */
  noBack: z.string().nullable(),
});
export type MoveStatus = z.infer<typeof MoveStatusSchema>;

/** What a finished move (or move back) job returns. */
export const MoveReportSchema = z.object({
  record: MoveRecordSchema,
  /** The profile detected at the new place, and each store's check there. */
  profile: z.string(),
  checks: z.array(z.object({ name: z.string(), ok: z.boolean(), detail: z.string() })).readonly(),
  seconds: z.number(),
});
export type MoveReport = z.infer<typeof MoveReportSchema>;

/** What removing the old copy removed, and what it left because it was not the move's. */
export const ForgetOldResultSchema = z.object({
  path: z.string(),
  removedFiles: z.number().int(),
  removedBytes: z.number(),
  /** Root-relative paths left in place: not copied by the move, or changed since. */
  left: z.array(z.string()).readonly(),
});
export type ForgetOldResult = z.infer<typeof ForgetOldResultSchema>;
