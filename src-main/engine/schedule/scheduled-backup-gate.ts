/**
 * What a scheduled backup checks before it starts: the battery (a low one makes it wait for
 * power) and the destination's disk (an unplugged one makes the run a missed one, named, and
 * never a folder made on the internal disk under the empty mount point).
 */
import { TendFailure } from '../../../src-shared/errors';
import type { JobKind } from '../../../src-shared/models/jobs';
import type { Settings } from '../../../src-shared/models/settings';
import { BackupCatalog, newestRepositoryBackup } from '../backup/backup-catalog';
import { formatDestinationAddress } from '../repository/destination-address';
import { addressOfDestination } from '../repository/repository-destination';
import type { RootSession } from '../root-session';
import type { ScheduleSource } from '../session-hooks';
import { checkDestination, type DestinationPresence } from './destination-presence';
import { osPowerSource } from './power-state';
import { isFinished } from '../../../src-shared/models/jobs';
import { powerDeferral, type RunWait } from './run-conditions';
import type { ScheduleEntry } from './scheduler';

// Plain text the shells read: the engine titles a schedule's backups "Scheduled backup (…)"
// (backup-service.ts SCHEDULED_TITLE), and so are the runs that could not start.
const SCHEDULED_TITLE = 'Scheduled backup';

/** The destination of a root's backups as it is now, judged against its history. */
export async function destinationPresenceOf(
  session: RootSession,
  destination: string | null,
): Promise<DestinationPresence> {
  const folders = new BackupCatalog(session.catalog)
    .list()
    .filter((record) => record.state === 'completed')
    .map((record) => record.destination);
  return checkDestination(destination, folders);
}

/** What a scheduled entry does, in words: `backup:daily-critical` → "daily critical". */
function entryWords(entry: ScheduleEntry): string {
  return entry.title ?? entry.id.replace(/^[^:]*:/, '').replaceAll('-', ' ');
}

// The scheduled verify reads the destination's archives too; an unplugged disk must not mark
// them failed. Its missed run is a verify job, the others backup jobs.
function missedKind(entry: ScheduleEntry): JobKind {
  return /verify/.test(entry.id) ? 'verify' : 'backup';
}

/**
 * Records a run that could not start because its disk is not there: a job that fails at once
 * with the disk's name, linked to its schedule like any run, so the history counts it as
 * missed and the desktop notifies of it. The schedule then waits for its next time.
 */
export function startMissedRun(
  session: RootSession,
  entry: ScheduleEntry,
  presence: Extract<DestinationPresence, { state: 'missing' }>,
): string {
  return session.jobs.start({
    kind: missedKind(entry),
    title: `${SCHEDULED_TITLE} (${entryWords(entry)}) missed: disk not plugged in`,
    writesRoot: false,
    run: async () => {
      throw new TendFailure('DESTINATION_UNAVAILABLE', presence.message, {
        destination: presence.path,
        disk: presence.disk,
        missed: true,
      });
    },
  }).id;
}

/**
 * Where scheduled backups go, as it is now: the encrypted repository when one is set (its
 * folder judged as an archive folder is, used before once a snapshot was made; SFTP and S3
 * cannot be looked at without the network, and a failed backup there says why), else the
 * archives' folder. The unattended status and the check before each scheduled backup ask it
 * alike: before, the check knew only archives, so a repository's disk unplugged from a folder
 * outside /media made a failed backup where the status said "not plugged in".
 */
export async function scheduledDestinationPresence(
  session: RootSession,
  settings: Settings,
): Promise<DestinationPresence> {
  const repository = settings.backup.repository;
  if (!repository) return destinationPresenceOf(session, settings.backup.destination);
  if (repository.kind !== 'local') {
    return { state: 'present', path: formatDestinationAddress(addressOfDestination(repository)) };
  }
  const snapshotMade = newestRepositoryBackup(session.catalog) !== null;
  return checkDestination(repository.folder, snapshotMade ? [repository.folder] : []);
}

/**
 * Adds the battery, one-at-a-time and destination checks to every entry of a schedule source
 * (the backup schedules). "Run now" skips the waits (the person decided) but not the disk: a
 * folder on a disk that is not there is never made.
 */
export function withBackupConditions(source: ScheduleSource): ScheduleSource {
  return (session, engine, settings) =>
    source(session, engine, settings).map((entry): ScheduleEntry => ({
      id: entry.id,
      cron: entry.cron,
      ...(entry.title === undefined ? {} : { title: entry.title }),
      waitFor: async (): Promise<RunWait | null> => {
        const power = await (engine.power ?? osPowerSource())().catch(() => null);
        const low = powerDeferral(power, settings.unattended.batteryMinPercent);
        if (low !== null) return { cause: 'power', reason: low };
        // One backup at a time: an owed run that finds one running comes next, not never.
        const running = session.jobs
          .list(20)
          .find(
            (job) => (job.kind === 'backup' || job.kind === 'verify') && !isFinished(job.state),
          );
        return running
          ? { cause: 'backup-running', reason: `Waits for "${running.title}" to finish.` }
          : null;
      },
      run: async () => {
        const presence = await scheduledDestinationPresence(session, settings);
        if (presence.state === 'missing') return startMissedRun(session, entry, presence);
        return entry.run();
      },
    }));
}
