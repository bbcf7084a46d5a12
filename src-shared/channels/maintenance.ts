/**
 * The maintenance domain's channels. (Filled in by the maintenance issue.)
 */

/** Invoke channels of the maintenance domain. */
export const maintenanceChannels = {} as const;

/** Event channels of the maintenance domain. */
export const maintenanceEvents = {} as const;
