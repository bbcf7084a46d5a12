import prettyBytes from 'pretty-bytes';

/**
 * A byte count for people, the same in the app and on the command line: binary units (KiB,
 * MiB, GiB), as the settings' limits are binary (1 GiB cache cap, 5 GiB free-space alert), so
 * a size and a limit read in the same units. One decimal at most: 7.6 MiB.
 */
export function formatBytes(bytes: number): string {
  return prettyBytes(bytes, { binary: true, maximumFractionDigits: 1 });
}
