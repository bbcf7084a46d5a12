/**
 * The restore domain's channels (DESIGN §5): plan, apply, undo, one-click latest, export to
 * another folder and import of a backup file from elsewhere.
 */
import { z } from 'zod';
import { JobRecordSchema } from '../models/jobs';
import {
  LastRestoreSchema,
  LatestChoiceSchema,
  RestorableBackupSchema,
  RestorePlanSchema,
  RestoreScopeSchema,
} from '../models/restore';
import { pathField } from '../models/paths';
import { empty } from './common';

/** A backup named by its id (`tend-20261101-030000-full`) or by its archive's path. */
const backupRef = pathField('backup-ref', 'Say which backup');

/** Invoke channels of the restore domain. */
export const restoreChannels = {
  /** Backups a restore can start from, newest first. */
  'restore:backups': {
    input: empty,
    output: z.object({ backups: z.array(RestorableBackupSchema).readonly() }),
  },
  /** The preview of restoring `scope` from a backup, with the reasons it would be refused. */
  'restore:plan': {
    input: z
      .object({ backup: backupRef, scope: RestoreScopeSchema.default({ kind: 'everything' }) })
      .strict(),
    output: RestorePlanSchema,
  },
  /**
   * The one-click plan of everything: `latest` (the default) takes the newest restorable
   * backup, as `restore:backups` lists it first leaving out safety snapshots; `newest-verified`
   * the newest that passed a full verification. The plan's backup says which and whether it
   * was verified. With none to take, `plan` is null and `reason` says why and what to do.
   */
  'restore:latest': {
    input: z.object({ which: LatestChoiceSchema.default('latest') }).strict(),
    output: z.object({ plan: RestorePlanSchema.nullable(), reason: z.string().nullable() }),
  },
  /** Runs a restore as a job: safety snapshot, staged verified extract, swap, validation. */
  'restore:apply': {
    input: z
      .object({ backup: backupRef, scope: RestoreScopeSchema.default({ kind: 'everything' }) })
      .strict(),
    output: JobRecordSchema,
  },
  /** The last restore and whether it can still be undone. */
  'restore:last': {
    input: empty,
    output: z.object({ last: LastRestoreSchema.nullable() }),
  },
  /** Puts back what the last restore changed, from its safety snapshot (a job). */
  'restore:undo': { input: empty, output: JobRecordSchema },
  /** Writes a backup's files into another, empty folder; the data folder is not touched. */
  'restore:export': {
    input: z
      .object({
        backup: backupRef,
        target: pathField('write-folder'),
        scope: RestoreScopeSchema.default({ kind: 'everything' }),
      })
      .strict(),
    output: JobRecordSchema,
  },
  /** Verifies a backup file brought from elsewhere and copies it among this root's backups. */
  'restore:import': {
    input: z.object({ file: pathField('read-file') }).strict(),
    output: JobRecordSchema,
  },
  /** Asks the open windows to show the one-click "Restore latest backup…" confirmation. */
  'restore:request-confirm': {
    input: empty,
    output: z.object({ at: z.string() }),
  },
} as const;

/** Event channels of the restore domain. */
export const restoreEvents = {
  /** The tray asked for the one-click restore confirmation. */
  'restore:confirm-requested': z.object({ at: z.string() }),
} as const;
