/**
 * What the tray and the desktop notifications say when backups stopped or wait for power:
 * pure functions of `unattended:status`, tested without Electron.
 */
import type { UnattendedStatus } from '../../src-shared/models/unattended';
import type { NotificationText } from './backup-tray';

/** What the tray shows of unattended backups. */
export interface TrayUnattendedState {
  /** "No backup for 3 days: …" while backups have stopped; the icon turns to failed. */
  readonly stopped: string | null;
  /** Why scheduled backups wait for power, while they do. */
  readonly waitingForPower: string | null;
}

/** The tray's part of the status. */
export function unattendedTrayState(status: UnattendedStatus): TrayUnattendedState {
  const power = status.waiting.find((run) => run.cause === 'power');
  return {
    stopped: status.backup.state === 'stopped' ? status.backup.headline : null,
    waitingForPower: power ? 'Backups wait for power (battery low)' : null,
  };
}

/** The last "backups have stopped" notification: when, and for which reason. */
export interface StoppedNotice {
  readonly at: string;
  readonly why: string;
}

/** The reason of a stop, as a key: the same reason on the same disk is the same news. */
export function stoppedWhy(status: UnattendedStatus): string {
  return `${status.backup.reason ?? ''}|${status.backup.disk ?? ''}`;
}

/** How often the "backups have stopped" notification comes back while nothing changes. */
export const STOPPED_NOTIFY_EVERY_MS = 24 * 3_600_000;

/**
 * The notification that backups stopped: how long and why, and what to do. Once when they
 * stop, then at most once a day while they stay stopped (the reason changing says it again);
 * nothing while they run.
 */
export function stoppedNotification(
  status: UnattendedStatus,
  last: StoppedNotice | null,
  now: Date,
): NotificationText | null {
  const { backup } = status;
  if (backup.state !== 'stopped' || backup.headline === null) return null;
  const sameAgain =
    last !== null &&
    last.why === stoppedWhy(status) &&
    now.getTime() - Date.parse(last.at) < STOPPED_NOTIFY_EVERY_MS;
  if (sameAgain) return null;
  return {
    title: 'Backups have stopped',
    body: backup.detail ? `${backup.headline} ${backup.detail}` : backup.headline,
  };
}
