/**
 * How long the database's name took no connections during a swap, in the words the page uses:
 * "24 ms" under a second, "1.3 s" above.
 */
export function formatSwapWindow(ms: number): string {
  return ms < 1000 ? `${Math.max(0, Math.round(ms))} ms` : `${(ms / 1000).toFixed(1)} s`;
}
