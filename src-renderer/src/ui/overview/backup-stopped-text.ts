import type { UnattendedStatus } from '../../../../src-shared/models/unattended';
import type { PageId } from '../../store/navigation-slice';

/** What the "backups have stopped" banner says, and where its button goes. */
export interface StoppedBannerText {
  readonly title: string;
  readonly detail: string | null;
  readonly action: { readonly label: string; readonly page: PageId };
}

/**
 * The banner's words for a status, or null while backups run: the headline (how long, why),
 * what to do, and the page where it is done: Settings for the destination and for a run that
 * never came (open at login is set there), Backups for a failure.
 */
export function stoppedBannerText(status: UnattendedStatus): StoppedBannerText | null {
  const { backup } = status;
  if (backup.state !== 'stopped' || backup.headline === null) return null;
  const settings = backup.reason !== 'last-error';
  return {
    title: backup.headline,
    detail: backup.detail,
    action: settings
      ? { label: 'Open Settings', page: 'settings' }
      : { label: 'Open Backups', page: 'backups' },
  };
}

/** The line shown while scheduled backups wait for power, or null. */
export function waitingForPowerText(status: UnattendedStatus): string | null {
  const power = status.waiting.find((run) => run.cause === 'power');
  return power ? `${power.reason} They start once the computer is plugged in.` : null;
}
