/**
 * "Backups have stopped": a pure function of the history, the destination and the clock, so
 * the tray, the Overview, the web host and the CLI all say the same thing, and every case is a
 * row of a table-driven test.
 */
import type { TendError } from '../../../src-shared/errors';
import type { BackupHealth } from '../../../src-shared/models/unattended';
import type { DestinationPresence } from './destination-presence';

/** What the health is judged from. */
export interface BackupHealthInput {
  readonly now: Date;
  /** Settings' `unattended.warnAfterHours` (default 48: two days). */
  readonly warnAfterHours: number;
  /** When the newest completed backup finished, or null. */
  readonly lastSuccessAt: string | null;
  /** When Tend began to look after this folder: where the count starts before any backup. */
  readonly watchedSince: string;
  /** The destination as it is now. */
  readonly destination: DestinationPresence;
  /** The error of the newest backup that failed since the last success, or null. */
  readonly lastFailure: TendError | null;
}

const HOUR_MS = 3_600_000;

/** "5 hours", "1 day", "3 days": how long, in the words of a notification. */
export function durationWords(hours: number): string {
  if (hours < 48) return `${hours} hour${hours === 1 ? '' : 's'}`;
  return `${Math.floor(hours / 24)} days`;
}

/**
 * Whether backups still happen and, when none has succeeded for longer than the set age, why:
 * no destination, the destination's disk missing (named), the last error, or simply no run
 * (nothing starts Tend).
 */
export function backupHealth(input: BackupHealthInput): BackupHealth {
  const since = input.lastSuccessAt ?? input.watchedSince;
  const hoursWithout = Math.max(0, Math.floor((input.now.getTime() - Date.parse(since)) / HOUR_MS));
  const base = {
    lastSuccessAt: input.lastSuccessAt,
    since,
    hoursWithout,
    warnAfterHours: input.warnAfterHours,
  };
  if (hoursWithout < input.warnAfterHours) {
    return { ...base, state: 'ok', reason: null, disk: null, headline: null, detail: null };
  }
  const how = durationWords(hoursWithout);
  const lead =
    input.lastSuccessAt === null
      ? `No backup in the ${how} Tend has looked after this folder`
      : `No backup for ${how}`;
  const stopped = (
    reason: NonNullable<BackupHealth['reason']>,
    why: string,
    detail: string,
    disk: string | null = null,
  ): BackupHealth => ({
    ...base,
    state: 'stopped',
    reason,
    disk,
    headline: `${lead}: ${why}.`,
    detail,
  });
  const { destination } = input;
  if (destination.state === 'none') {
    return stopped(
      'no-destination',
      'no backup destination is chosen',
      'Choose a folder on another disk (an external drive is best) in Settings → Backups.',
    );
  }
  if (destination.state === 'missing') {
    const what =
      destination.disk === destination.path
        ? `the backup folder ${destination.path} is missing`
        : `the backup disk “${destination.disk}” is not plugged in`;
    return stopped('destination-missing', what, destination.message, destination.disk);
  }
  if (input.lastFailure) {
    return stopped('last-error', 'the last backup failed', input.lastFailure.message);
  }
  return stopped(
    'not-run',
    'no backup has run',
    'Backups run while Tend is open or when the system starts them: turn on "Open at login" in Settings, or run `tend schedule install` on a machine without a desktop.',
  );
}
