/**
 * The two window sizes every page is checked at: a usual laptop window, and the desktop
 * app's minimum (electron main sets it), where nothing may be cut off.
 */
export const sizes = [
  { name: '1280x800', width: 1280, height: 800 },
  { name: '900x600', width: 900, height: 600 },
] as const;

/** One of the window sizes. */
export type WindowSize = (typeof sizes)[number];
