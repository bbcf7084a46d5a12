/**
 * The backups domain's channels. (Filled in by the backups issue.)
 */

/** Invoke channels of the backups domain. */
export const backupChannels = {} as const;

/** Event channels of the backups domain. */
export const backupEvents = {} as const;
