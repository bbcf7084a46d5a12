/**
 * The channels of a root's encrypted repository (issue 12): where it is, the test of a place,
 * creating it with a passphrase (given, or generated and shown once with a recovery sheet), the
 * passphrase for this session, its keys, its snapshots, and backups, retention and verify as
 * jobs. Secrets cross these channels only inward (a passphrase, S3 keys typed once), except
 * the passphrase an init or a key-add generates, answered once.
 */
import { z } from 'zod';
import { BackupKindSchema } from '../models/backup-manifest';
import { JobRecordSchema } from '../models/jobs';
import {
  DestinationTestSchema,
  PassphraseSchema,
  RepositoryCreatedSchema,
  RepositoryDestinationSchema,
  RepositoryKeySchema,
  RepositorySnapshotSchema,
  RepositoryStatusSchema,
  S3KeysSchema,
  SftpPasswordSchema,
} from '../models/repository';
import { empty } from './common';

/** The repository channels. */
export const repositoryChannels = {
  /** The destination in settings, and whether Tend knows its passphrase (and S3 keys). */
  'repository:status': { input: empty, output: RepositoryStatusSchema },
  /**
   * Sets where encrypted backups go (null: off; scheduled backups then write archives). S3
   * keys and an SFTP password given here are kept as secrets (the keychain on the desktop),
   * never in settings.
   */
  'repository:set': {
    input: z
      .object({
        destination: RepositoryDestinationSchema.nullable(),
        s3Keys: S3KeysSchema.optional(),
        sftpPassword: SftpPasswordSchema.optional(),
      })
      .strict(),
    output: RepositoryStatusSchema,
  },
  /** Tests a place: reach, write, read back, delete, free space; each step reported. */
  'repository:test': {
    input: z
      .object({
        destination: RepositoryDestinationSchema,
        s3Keys: S3KeysSchema.optional(),
        sftpPassword: SftpPasswordSchema.optional(),
      })
      .strict(),
    output: DestinationTestSchema,
  },
  /**
   * Makes the repository at the destination in settings. Without a passphrase Tend generates
   * one and answers it once, with the recovery sheet: a lost passphrase is lost backups.
   */
  'repository:init': {
    input: z.object({ passphrase: PassphraseSchema.nullable().default(null) }).strict(),
    output: RepositoryCreatedSchema,
  },
  /** Checks a passphrase against the repository and keeps it (keychain, or this session). */
  'repository:unlock': {
    input: z.object({ passphrase: PassphraseSchema }).strict(),
    output: RepositoryStatusSchema,
  },
  /** Forgets the kept passphrase; the repository is untouched. */
  'repository:lock': { input: empty, output: RepositoryStatusSchema },
  /** Forgets the kept SFTP login password; the destination and the repository stay. */
  'repository:forget-sftp-password': { input: empty, output: RepositoryStatusSchema },
  /** The repository's keys (several passphrases open one repository). */
  'repository:keys': {
    input: empty,
    output: z.object({ keys: z.array(RepositoryKeySchema).readonly() }),
  },
  /**
   * Adds a key: the passphrase given, or a new one answered once, with a recovery sheet for
   * it. No data is rewritten.
   */
  'repository:key-add': {
    input: z.object({ passphrase: PassphraseSchema.nullable().default(null) }).strict(),
    output: z.object({
      id: z.string(),
      generatedPassphrase: z.string().nullable(),
      recoverySheet: z.string(),
    }),
  },
  /**
   * Removes a key (an id, or its first characters when they name one key only); the one in
   * use is refused, so the last key never goes.
   */
  'repository:key-remove': {
    input: z.object({ id: z.string().regex(/^[0-9a-f]{4,64}$/, 'Give a key id') }).strict(),
    output: z.object({
      keys: z.array(RepositoryKeySchema).readonly(),
      /**
       * The passphrase Tend remembered for this repository in the OS keyring (`tend repo key
       * remember`) opened the removed key only, so it was forgotten there too.
       */
      keyringForgotten: z.boolean(),
    }),
  },
  /** The repository's snapshots, newest first. */
  'repository:snapshots': {
    input: empty,
    output: z.object({ snapshots: z.array(RepositorySnapshotSchema).readonly() }),
  },
  /** Backs the data folder up into the repository now (a job). */
  'repository:backup': {
    input: z
      .object({ kind: BackupKindSchema.extract(['critical', 'full']).default('critical') })
      .strict(),
    output: JobRecordSchema,
  },
  /** Verifies the repository (a job): quick (packs there, sizes) or full (every blob). */
  'repository:verify': {
    input: z.object({ mode: z.enum(['quick', 'full']).default('quick') }).strict(),
    output: JobRecordSchema,
  },
  /** Forgets snapshots past the retention in settings (7/4/12), then prunes (a job). */
  'repository:forget': { input: empty, output: JobRecordSchema },
} as const;

/** The repository events: none (jobs report through job:progress). */
export const repositoryEvents = {} as const;
