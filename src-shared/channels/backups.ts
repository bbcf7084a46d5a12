/**
 * The backups domain's channels: create, history, verify, delete, retention, destination.
 */
import { z } from 'zod';
import { BackupKindSchema } from '../models/backup-manifest';
import {
  AppBackupImportSchema,
  AppBackupListSchema,
  BackupRecordSchema,
  DestinationInfoSchema,
  PrunePlanSchema,
  RetentionPolicySchema,
  UnavailableBackupSchema,
  VerifyDepthSchema,
} from '../models/backups';
import { CategorySchema } from '../models/categories';
import { JobRecordSchema } from '../models/jobs';
import { pathField } from '../models/paths';
import { empty } from './common';

const backupRef = z.string().min(1, 'Give a backup id or archive file name').max(4096);

/** Invoke channels of the backups domain. */
export const backupChannels = {
  /**
   * Every backup in the history, newest first, with the running one's job if any, and the
   * completed ones that cannot be restored now (archive missing, cut short, failed to verify).
   */
  'backups:list': {
    input: empty,
    output: z.object({
      backups: z.array(BackupRecordSchema).readonly(),
      runningJob: JobRecordSchema.nullable(),
      unavailable: z.array(UnavailableBackupSchema).readonly(),
    }),
  },
  /** Starts a backup job; refused with BACKUP_RUNNING while another backup runs. */
  'backups:create': {
    input: z
      .object({
        kind: BackupKindSchema.extract(['critical', 'full', 'custom']).default('critical'),
        categories: z.array(CategorySchema).min(1).optional(),
        /** A destination for this backup only. */
        destination: pathField('destination').optional(),
      })
      .strict(),
    output: JobRecordSchema,
  },
  /** Verifies one backup as a job: quick (size and archive hash) or full (every file). */
  'backups:verify': {
    input: z.object({ id: backupRef, depth: VerifyDepthSchema.default('full') }).strict(),
    output: JobRecordSchema,
  },
  /** Deletes one backup's archive, sidecar and record. */
  'backups:delete': { input: z.object({ id: backupRef }).strict(), output: BackupRecordSchema },
  /**
   * What retention would delete now, and why each backup stays or goes; with `policy`, under
   * numbers not saved yet (the preview beside the retention fields). Each kind has its own
   * slots; only restorable backups fill them.
   */
  'backups:prune-plan': {
    input: z.object({ policy: RetentionPolicySchema.optional() }).strict(),
    output: PrunePlanSchema,
  },
  /** Deletes what retention says goes; answers the plan it carried out. */
  'backups:prune': { input: empty, output: PrunePlanSchema },
  /** Reads the sidecars in a folder (default: the destination) back into the history. */
  'backups:import': {
    input: z.object({ path: pathField('read-folder').optional() }).strict(),
    output: z.object({ added: z.number() }),
  },
  /**
   * The backups the app made itself (the memory system's `memory_backup_*.tar.gz`), newest
   * first, each with the history's backup it was imported as.
   */
  'backups:app-list': { input: empty, output: AppBackupListSchema },
  /**
   * Imports one of the app's backups into the history as a Tend backup (checksummed, with its
   * manifest) in a job whose result is its record; the same file again gives the same record.
   * `dryRun` reads it and says what an import would do, without a job.
   */
  'backups:app-import': {
    input: z
      .object({
        file: z.string().min(1, 'Give the file name of the app’s backup').max(255),
        dryRun: z.boolean().default(false),
      })
      .strict(),
    output: z.object({ plan: AppBackupImportSchema.nullable(), job: JobRecordSchema.nullable() }),
  },
  /** The destination in settings: free space, same disk as the data, problems. */
  'backups:destination': { input: empty, output: DestinationInfoSchema },
} as const;

/** Event channels of the backups domain. */
export const backupEvents = {
  /** The history changed: a backup started, ended, was verified, deleted or imported. */
  'backups:changed': z.object({ at: z.string() }),
} as const;
