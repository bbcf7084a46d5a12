/**
 * An encrypted repository as the app sees it (issue 12): where it is, how a test of the place
 * went, its keys and its snapshots. No secret is ever part of these types except the one
 * passphrase an init generates, which is shown once and kept nowhere in settings.
 */
import { z } from 'zod';
import { pathField } from './paths';

const text = (what: string) => z.string().trim().min(1, `Type ${what}`).max(1024);

/** A repository on a folder (usually an external disk). */
export const LocalRepositorySchema = z
  .object({
    kind: z.literal('local'),
    folder: pathField('destination', 'Type the folder that holds (or will hold) the repository'),
  })
  .strict();

/** A repository on an SFTP server; the host key is pinned at the first connection. */
export const SftpRepositorySchema = z
  .object({
    kind: z.literal('sftp'),
    host: text('the server name'),
    port: z
      .number({ error: 'Type a port number' })
      .int('Type a whole port number')
      .min(1, 'Type a port from 1 to 65535')
      .max(65535, 'Type a port from 1 to 65535')
      .default(22),
    username: text('the user name on the server'),
    /** The folder on the server; without a leading slash it is under the login folder. */
    path: text('the folder on the server'),
    /** An SSH private key file; left out, ssh-agent's keys. */
    identityFile: pathField('read-file').nullable().default(null),
  })
  .strict();

/** A repository under a prefix of an S3-compatible bucket; the keys are kept as secrets. */
export const S3RepositorySchema = z
  .object({
    kind: z.literal('s3'),
    /** The server, as a URL (`https://s3.eu-central-1.amazonaws.com`, `http://127.0.0.1:9000`). */
    endpoint: z
      .string()
      .trim()
      .regex(/^https?:\/\/[^/\s]+\/?$/, 'Type the server as https://host (or http://host:port)'),
    bucket: text('the bucket'),
    prefix: z.string().trim().max(1024).default(''),
    region: z.string().trim().max(64).nullable().default(null),
  })
  .strict();

/** Where a root's repository is: a folder, an SFTP server or an S3-compatible bucket. */
export const RepositoryDestinationSchema = z.discriminatedUnion('kind', [
  LocalRepositorySchema,
  SftpRepositorySchema,
  S3RepositorySchema,
]);
export type RepositoryDestination = z.infer<typeof RepositoryDestinationSchema>;
export type RepositoryDestinationKind = RepositoryDestination['kind'];

/** S3 access keys, given once and kept in the secret store, never in settings or logs. */
export const S3KeysSchema = z
  .object({
    accessKeyId: text('the access key id'),
    secretAccessKey: text('the secret access key'),
  })
  .strict();
export type S3Keys = z.infer<typeof S3KeysSchema>;

/** An SFTP login password, given once and kept in the secret store, never in settings or logs. */
export const SftpPasswordSchema = z
  .string({ error: 'Type the password' })
  .min(1, 'Type the password')
  .max(4096, 'A password of at most 4096 characters');

/** A repository passphrase a person types: restic allows any non-empty text. */
export const PassphraseSchema = z
  .string({ error: 'Type a passphrase' })
  .min(1, 'Type a passphrase')
  .max(4096, 'A passphrase of at most 4096 characters');

/** The steps of a destination test, in order. */
export const destinationSteps = ['reach', 'write', 'read-back', 'delete', 'free-space'] as const;

/** How one step of a destination test went. */
export const DestinationStepSchema = z.object({
  step: z.enum(destinationSteps),
  status: z.enum(['passed', 'failed', 'skipped']),
  detail: z.string(),
  code: z.string().optional(),
});
export type DestinationStepReport = z.infer<typeof DestinationStepSchema>;

/** A destination test: each step, whether a repository is there, the free space. */
export const DestinationTestSchema = z.object({
  location: z.string(),
  ok: z.boolean(),
  repositoryPresent: z.boolean().nullable(),
  freeBytes: z.number().nullable(),
  steps: z.array(DestinationStepSchema).readonly(),
});
export type DestinationTest = z.infer<typeof DestinationTestSchema>;

/** The open root's repository as Settings shows it. */
export const RepositoryStatusSchema = z.object({
  /** The destination in settings, or null when encrypted backups are off. */
  destination: RepositoryDestinationSchema.nullable(),
  /** The destination as restic writes it (`restic -r <location>`), or null. */
  location: z.string().nullable(),
  /** Whether Tend holds the passphrase (secret store, memory or TEND_PASSWORD). */
  passphraseKnown: z.boolean(),
  /** Whether the passphrase outlives this run (the desktop's keychain) or only this process. */
  passphraseKept: z.enum(['keychain', 'memory', 'environment', 'none']),
  /** Whether S3 keys are known (S3 only; null for other kinds). */
  s3KeysKnown: z.boolean().nullable(),
  /** Whether an SFTP login password is kept as a secret (SFTP only; null for other kinds). */
  sftpPasswordKept: z.boolean().nullable(),
});
export type RepositoryStatus = z.infer<typeof RepositoryStatusSchema>;

/** What `repository:init` answers: the passphrase only when Tend made it, shown once. */
export const RepositoryCreatedSchema = z.object({
  location: z.string(),
  repositoryId: z.string(),
  /** The generated passphrase, or null when the person gave one. */
  generatedPassphrase: z.string().nullable(),
  /** A printable recovery sheet (plain text): where the repository is, how to open it. */
  recoverySheet: z.string(),
});
export type RepositoryCreated = z.infer<typeof RepositoryCreatedSchema>;

/** One key (passphrase slot) of a repository. */
export const RepositoryKeySchema = z.object({
  id: z.string(),
  current: z.boolean(),
  username: z.string().nullable(),
  hostname: z.string().nullable(),
  created: z.string().nullable(),
});
export type RepositoryKey = z.infer<typeof RepositoryKeySchema>;

/**
 * What the retention in settings does to a snapshot when the snapshots are next thinned out
 * (after a scheduled backup, or `repository:forget`): kept, or forgotten, and why.
 */
export const SnapshotRetentionSchema = z.object({
  action: z.enum(['keep', 'forget']),
  reason: z.string(),
});
export type SnapshotRetention = z.infer<typeof SnapshotRetentionSchema>;

/** One snapshot of a repository, as the Backups page lists it. */
export const RepositorySnapshotSchema = z.object({
  id: z.string(),
  shortId: z.string(),
  time: z.string(),
  kind: z.string(),
  hostname: z.string().nullable(),
  tags: z.array(z.string()).readonly(),
  retention: SnapshotRetentionSchema,
});
export type RepositorySnapshot = z.infer<typeof RepositorySnapshotSchema>;

/** What a backup into the repository (a `backup` job) gives back. */
export const RepositoryBackupResultSchema = z.looseObject({
  snapshotId: z.string(),
  parent: z.string().nullable(),
  files: z.object({ new: z.number(), changed: z.number(), unchanged: z.number() }),
  bytesTotal: z.number(),
  bytesStored: z.number(),
  skipped: z.array(z.object({ path: z.string(), reason: z.string() })),
  /** Where the repository is, as a person reads it. */
  location: z.string(),
  /** critical or full (jobs before this field say it in their title). */
  kind: z.string().optional(),
});
export type RepositoryBackupResult = z.infer<typeof RepositoryBackupResultSchema>;

/** What a verify of the repository (a `verify` job) gives back. */
export const RepositoryVerifyResultSchema = z.looseObject({
  mode: z.enum(['quick', 'full']),
  ok: z.boolean(),
  snapshots: z.number(),
  packs: z.number(),
  problems: z.array(z.string()),
});
export type RepositoryVerifyResult = z.infer<typeof RepositoryVerifyResultSchema>;

/** What retention on the snapshots (forget, then prune: a `prune` job) gives back. */
export const RepositoryRetentionResultSchema = z.object({
  removed: z.array(z.string()),
  kept: z.array(z.string()),
  packsRemoved: z.number(),
  packsRepacked: z.number(),
});
export type RepositoryRetentionResult = z.infer<typeof RepositoryRetentionResultSchema>;
