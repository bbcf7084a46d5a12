/**
 * A named point where the fault tests kill the process (SIGKILL, as a power cut would).
 *
 * Only when TEND_FAULT_POINT names this point and TEND_FAULT_SKIP (default 0) earlier passes
 * are used up; otherwise it costs one environment lookup. The crash tests run the real CLI in
 * a child process with these set, then check that the data is as before or as after.
 */
let passes = 0;

/** Kills this process here if the fault tests asked for it. */
export function faultPoint(name: string): void {
  if (process.env.TEND_FAULT_POINT !== name) return;
  const skip = Number(process.env.TEND_FAULT_SKIP ?? '0');
  if (passes++ < skip) return;
  process.kill(process.pid, 'SIGKILL');
}
