/**
 * What the tray and the desktop notifications say about backups: pure functions of the tray's
 * state and the engine's job events, so they are tested without Electron.
 */
import { formatBytes } from '../../src-shared/language/bytes';
import { countOf } from '../../src-shared/language/counts';
import { BackupRecordSchema } from '../../src-shared/models/backups';
import type { JobRecord } from '../../src-shared/models/jobs';
import {
  RepositoryBackupResultSchema,
  type RepositoryStatus,
} from '../../src-shared/models/repository';

/**
 * Where the tray's "Back up now" backs up: the archives' folder when one is chosen, else the
 * encrypted repository when one is set (where the schedules send backups then; when Tend does
 * not know its passphrase, the backup fails saying to unlock it in Settings), else the
 * archives, whose NO_DESTINATION says what to set up.
 *
 * Note: it always wrote an archive, so with only a repository set it answered "no backup
 * destination is chosen" while the schedules backed up into the repository every night.
 */
export function trayBackupTarget(
  archiveFolder: string | null | undefined,
  repository: Pick<RepositoryStatus, 'destination'> | null,
): 'archives' | 'repository' {
  return archiveFolder == null && repository?.destination != null ? 'repository' : 'archives';
}

/** What the tray remembers about backups. */
export interface TrayBackupState {
  /** When the newest completed backup finished; null when there is none yet. */
  lastBackupAt: string | null;
  /** The message of the last backup that failed, until one succeeds. */
  backupFailure: string | null;
}

const MAX_CHARS = 60;

function shorten(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}

/** "just now", "5 min ago", "2 h ago", "3 days ago": short enough for a tray menu. */
export function shortAgo(iso: string, now: Date): string {
  const minutes = Math.floor((now.getTime() - new Date(iso).getTime()) / 60_000);
  if (!Number.isFinite(minutes)) return 'at an unknown time';
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} days ago`;
}

/** The backup line of the tray status: a failure first, else how long since the last one. */
export function backupStatus(state: TrayBackupState, now: Date): string {
  if (state.backupFailure !== null) {
    return `Backup failed: ${shorten(state.backupFailure, MAX_CHARS)}`;
  }
  if (state.lastBackupAt === null) return 'No backup yet';
  return `Last backup ${shortAgo(state.lastBackupAt, now)}`;
}

/** The backup part of the tray's state after a job changed. */
export function backupStateAfter(state: TrayBackupState, job: JobRecord): TrayBackupState {
  if (job.kind !== 'backup') return state;
  if (job.state === 'succeeded') {
    return { lastBackupAt: job.finishedAt ?? new Date().toISOString(), backupFailure: null };
  }
  if (job.state === 'failed' || job.state === 'interrupted') {
    return { ...state, backupFailure: job.error?.message ?? `The backup ${job.state}.` };
  }
  return state;
}

/** A desktop notification's text. */
export interface NotificationText {
  title: string;
  body: string;
}

// The engine titles a schedule's backups so (backup-service.ts SCHEDULED_TITLE); plain text,
// so the shell need not load the engine to read it.
const SCHEDULED_PREFIX = 'Scheduled backup';

/**
 * Whether a finished job earns a desktop notification, and its text: every backup that fails
 * (a scheduled one fails with nobody watching), and a manual one (tray, page, CLI) when it
 * ends either way; a scheduled one that succeeds stays quiet.
 */
export function backupNotification(job: JobRecord): NotificationText | null {
  if (job.kind !== 'backup') return null;
  const manual = !job.title.startsWith(SCHEDULED_PREFIX);
  switch (job.state) {
    case 'failed':
    case 'interrupted':
      return {
        title: 'Backup failed',
        body: job.error?.message ?? 'The backup did not finish. Open Tend to see why.',
      };
    case 'succeeded': {
      if (!manual) return null;
      const snapshot = RepositoryBackupResultSchema.safeParse(job.result);
      if (snapshot.success) {
        const { files, snapshotId, bytesStored } = snapshot.data;
        return {
          title: 'Backup done',
          body: `Snapshot ${snapshotId.slice(0, 8)}: ${countOf(files.new + files.changed + files.unchanged, 'file')} backed up, ${formatBytes(bytesStored)} added to the encrypted repository.`,
        };
      }
      const parsed = BackupRecordSchema.safeParse(job.result);
      const result = parsed.success ? parsed.data : null;
      const files = result?.files;
      const size =
        typeof result?.archiveBytes === 'number' ? ` (${formatBytes(result.archiveBytes)})` : '';
      return {
        title: 'Backup done',
        body: `${typeof files === 'number' ? `${files} files backed up` : 'Backed up'}${size}.`,
      };
    }
    case 'cancelled':
      return manual ? { title: 'Backup cancelled', body: 'Nothing was written.' } : null;
    case 'queued':
    case 'running':
      return null;
  }
}
