/**
 * Backups without anyone remembering (issue 15): what the tray, the Overview and the web host
 * read to say that backups stopped, and why.
 */
import { z } from 'zod';
import { UnattendedStatusSchema } from '../models/unattended';
import { empty } from './common';

/** Invoke channels of unattended backups. */
export const unattendedChannels = {
  /**
   * Whether backups still happen: the age of the last good backup, and, once it is older than
   * settings' `unattended.warnAfterHours`, why (no destination, the disk unplugged, the last
   * error); with the scheduled runs that wait for power.
   */
  'unattended:status': { input: empty, output: UnattendedStatusSchema },
} as const;

/** Event channels of unattended backups. */
export const unattendedEvents = {
  /** Something `unattended:status` says may have changed: a run waits or stopped waiting, a wake. */
  'unattended:changed': z.object({ at: z.string() }),
} as const;
