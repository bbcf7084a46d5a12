import { z } from 'zod';

/** Why backups stopped, in the order Tend looks: nowhere to go, the disk gone, a failure. */
export const BackupStopReasonSchema = z.enum([
  /** No destination is chosen. */
  'no-destination',
  /** The destination's disk is not plugged in (or its folder is gone). */
  'destination-missing',
  /** The last backup failed. */
  'last-error',
  /** Nothing failed: no backup ran (Tend was not open, no system scheduler starts it). */
  'not-run',
]);
export type BackupStopReason = z.infer<typeof BackupStopReasonSchema>;

/** Whether backups still happen: how long since the last good one, and why none came since. */
export const BackupHealthSchema = z.object({
  /** `stopped`: no backup has succeeded for longer than `warnAfterHours`. */
  state: z.enum(['ok', 'stopped']),
  /** When the newest backup completed; null when none ever did. */
  lastSuccessAt: z.string().nullable(),
  /** Where the count starts: the last good backup, else when Tend began to look after the folder. */
  since: z.string(),
  /** Whole hours since then. */
  hoursWithout: z.number(),
  warnAfterHours: z.number(),
  /** Why, when stopped. */
  reason: BackupStopReasonSchema.nullable(),
  /** The disk to plug in (a label, a drive letter, or the folder), when it is missing. */
  disk: z.string().nullable(),
  /** One line a person reads, when stopped: "No backup for 3 days: the backup disk “USB” is not plugged in." */
  headline: z.string().nullable(),
  /** What to do about it, when stopped. */
  detail: z.string().nullable(),
});
export type BackupHealth = z.infer<typeof BackupHealthSchema>;

/** A scheduled run that waits (for power, for the running backup to end), and why. */
export const WaitingRunSchema = z.object({
  id: z.string(),
  cause: z.enum(['power', 'backup-running']),
  reason: z.string(),
});
export type WaitingRun = z.infer<typeof WaitingRunSchema>;

/** Backups that run without anyone: their health, and the scheduled runs that wait. */
export const UnattendedStatusSchema = z.object({
  backup: BackupHealthSchema,
  waiting: z.array(WaitingRunSchema).readonly(),
  checkedAt: z.string(),
});
export type UnattendedStatus = z.infer<typeof UnattendedStatusSchema>;
