/**
 * What the system's scheduler runs for one data folder, and the names its entries get: shared
 * by the systemd, launchd and Task Scheduler generators.
 */
import { createHash } from 'node:crypto';
import { TendFailure } from '../../../../src-shared/errors';

/** A command line: the program and its arguments, each kept whole (never split on spaces). */
export interface RunDueCommand {
  readonly program: string;
  readonly args: ReadonlyArray<string>;
  /** Variables the command needs (TEND_STATE_DIR when Tend's state is kept elsewhere). */
  readonly env: Readonly<Record<string, string>>;
}

/** What every generator gets: the folder, the command, and the cron expressions to follow. */
export interface SchedulerEntrySpec {
  readonly root: string;
  readonly command: RunDueCommand;
  /** The folder's schedules (paused ones left out), as croner runs them. */
  readonly crons: ReadonlyArray<string>;
}

/** The marker on every file Tend writes for the system's scheduler; only those are replaced or removed. */
export const WRITTEN_BY_TEND = 'Written by Tend';

/**
 * The name of one folder's entry: `tend-run-due-` and 12 hex digits of the folder's path, so
 * two folders get two entries and the same folder always the same one.
 */
export function entryName(root: string): string {
  return `tend-run-due-${createHash('sha256').update(root).digest('hex').slice(0, 12)}`;
}

/**
 * `node …/bin/tend.mjs run-due --root ROOT`, with absolute paths: the system's scheduler has
 * neither the shell's PATH nor its current folder.
 */
export function runDueCommand(options: {
  root: string;
  node: string;
  tendScript: string;
  stateDir?: string | undefined;
  /**
   * The file that holds the encrypted repository's passphrase (TEND_PASSWORD_FILE), for the
   * scheduled backups that go there: its path, never the secret, is what the entry holds.
   */
  passwordFile?: string | undefined;
}): RunDueCommand {
  for (const value of [
    options.root,
    options.node,
    options.tendScript,
    options.stateDir ?? '',
    options.passwordFile ?? '',
  ]) {
    // A line break would end the unit file's line, or the plist's string, early.
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f]/.test(value)) {
      throw new TendFailure(
        'INVALID_INPUT',
        `The path ${JSON.stringify(value)} holds a control character; the system's scheduler cannot be given it.`,
      );
    }
  }
  return {
    program: options.node,
    args: [options.tendScript, 'run-due', '--root', options.root],
    env: {
      ...(options.stateDir ? { TEND_STATE_DIR: options.stateDir } : {}),
      ...(options.passwordFile ? { TEND_PASSWORD_FILE: options.passwordFile } : {}),
    },
  };
}

/** The distinct cron expressions of the schedules that are not paused, in a stable order. */
export function cronsToFollow(
  schedules: ReadonlyArray<{ cron: string; paused: boolean }>,
): string[] {
  return [...new Set(schedules.filter((item) => !item.paused).map((item) => item.cron))].sort();
}
