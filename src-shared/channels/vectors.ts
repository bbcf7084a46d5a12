/**
 * The vectors domain's channels. (Filled in by the vectors issue.)
 */

/** Invoke channels of the vectors domain. */
export const vectorChannels = {} as const;

/** Event channels of the vectors domain. */
export const vectorEvents = {} as const;
