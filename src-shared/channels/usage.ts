/**
 * The usage domain's channels. (Filled in by the usage issue.)
 */

/** Invoke channels of the usage domain. */
export const usageChannels = {} as const;

/** Event channels of the usage domain. */
export const usageEvents = {} as const;
