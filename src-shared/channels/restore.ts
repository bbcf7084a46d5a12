/**
 * The restore domain's channels. (Filled in by the restore issue.)
 */

/** Invoke channels of the restore domain. */
export const restoreChannels = {} as const;

/** Event channels of the restore domain. */
export const restoreEvents = {} as const;
