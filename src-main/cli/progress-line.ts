import type { CliIo } from './cli-context';

/** How often a progress line is written when stderr is a file or a pipe (a cron log). */
const pipedEveryMs = 5_000;

/** How often the one progress line is redrawn on a terminal. */
const terminalEveryMs = 100;

/**
 * Draws progress on stderr: one redrawn line on a terminal (at most ten times a second), into
 * a file or pipe the first line at once and then a line every 5 s, for as long as the job runs.
 *
 * Note: the time of the last line written is what spaces them, not the time of the last
 * update heard; a job that reports more often than every 5 s would otherwise never get a
 * second line into a log.
 */
export function progressLine(io: CliIo): { update(line: string): void; done(): void } {
  let last: number | null = null;
  return {
    update(line) {
      const now = (io.now ?? Date.now)();
      if (last !== null && now - last < (io.isTty ? terminalEveryMs : pipedEveryMs)) return;
      io.stderr(io.isTty ? `\r\x1b[2K${line}` : `${line}\n`);
      last = now;
    },
    done() {
      if (io.isTty) io.stderr('\r\x1b[2K');
    },
  };
}
