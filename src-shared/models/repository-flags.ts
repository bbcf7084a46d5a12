import { z } from 'zod';

/**
 * The flags of `tend repo …` (issue 12), parsed at the CLI's door. The address is read by the
 * engine (repository/destination-address.ts); here only its presence is checked.
 */

/** Flags every `tend repo` verb takes: where the repository is and how to open it. */
export const RepoAccessFlagsSchema = z.object({
  to: z.string({ message: 'Say where the repository is: --to DEST' }).min(1),
  /** A file whose first line is the passphrase (else TEND_PASSWORD). */
  passwordFile: z.string().min(1).optional(),
  /** Read the passphrase from the OS keyring (kept there by `tend repo key remember`). */
  passwordKeyring: z.boolean().optional(),
  /** An SSH private key file for sftp: addresses (else ssh-agent). */
  identity: z.string().min(1).optional(),
});
export type RepoAccessFlags = z.infer<typeof RepoAccessFlagsSchema>;

/** `tend repo restore`: a new folder to restore into, and optionally one path. */
export const RepoRestoreFlagsSchema = RepoAccessFlagsSchema.extend({
  target: z.string({ message: 'Say where to restore to: --target DIR (a new folder)' }).min(1),
  include: z.string().min(1).optional(),
});
export type RepoRestoreFlags = z.infer<typeof RepoRestoreFlagsSchema>;

/** `tend repo check`: quick by default, every blob decrypted and hashed with --read-data. */
export const RepoCheckFlagsSchema = RepoAccessFlagsSchema.extend({
  readData: z.boolean().optional(),
});
export type RepoCheckFlags = z.infer<typeof RepoCheckFlagsSchema>;

const count = z.coerce
  .number({ message: 'must be a whole number' })
  .int('must be a whole number')
  .min(0, 'must be 0 or more');

/** `tend repo forget`: grandfather-father-son (7 daily, 4 weekly, 12 monthly), then prune. */
export const RepoForgetFlagsSchema = RepoAccessFlagsSchema.extend({
  daily: count.default(7),
  weekly: count.default(4),
  monthly: count.default(12),
  dryRun: z.boolean().optional(),
});
export type RepoForgetFlags = z.infer<typeof RepoForgetFlagsSchema>;

/** `tend repo init`: --remember keeps the new repository's passphrase in the OS keyring. */
export const RepoInitFlagsSchema = RepoAccessFlagsSchema.extend({
  remember: z.boolean().optional(),
});
export type RepoInitFlags = z.infer<typeof RepoInitFlagsSchema>;

/** `tend repo key add`: the new key's passphrase from a file (else TEND_NEW_PASSWORD, else generated). */
export const RepoKeyAddFlagsSchema = RepoAccessFlagsSchema.extend({
  newPasswordFile: z.string().min(1).optional(),
});
export type RepoKeyAddFlags = z.infer<typeof RepoKeyAddFlagsSchema>;
