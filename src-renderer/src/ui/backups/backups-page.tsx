import { Archive, ArchiveRestore, RefreshCw } from 'lucide-react';
import { useEffect, useMemo, useState } from 'react';
import type { TendError } from '../../../../src-shared/errors';
import { backupKindName } from '../../../../src-shared/language/names';
import { valueOf } from '../../store/loadable';
import type { ManualBackupKind } from '../../store/backups-slice';
import { useTend } from '../../store/use-tend';
import { ErrorBox } from '../common/error-box';
import { Loading, Spinner } from '../common/loading';
import { PageHeader } from '../common/page-header';
import { PlacedJob } from '../jobs/job-outcome';
import { JobProgressRow } from '../jobs/job-progress';
import { AppBackupsPanel } from './app-backups-panel';
import { BackupHistory } from './backup-history';
import { DestinationPanel } from './destination-panel';
import { PreUpdateBackupButton } from './pre-update-backup';
import { primaryBackup } from './primary-backup';
import { RepositorySnapshots } from './repository-snapshots';
import { RetentionPanel } from './retention-panel';
import { backupsIntro } from '../profile/profile-words';
import { useOpenProfile } from '../profile/use-open-profile';
import './backups.css';

const kindHelp: Readonly<Record<ManualBackupKind, string>> = {
  critical: `${backupKindName('critical')} (data, documents, indexes)`,
  full: `${backupKindName('full')} (also model files)`,
};

/**
 * Backups: back up now, watch it run (and cancel it), the history with verify and delete per
 * backup, where backups go, and how many are kept.
 */
export function BackupsPage(): React.JSX.Element {
  const profile = useOpenProfile();
  const backups = useTend((state) => state.backups);
  const destination = useTend((state) => state.backupDestination);
  const settings = useTend((state) => state.settings);
  const repository = useTend((state) => valueOf(state.repositoryStatus));
  const loadBackups = useTend((state) => state.loadBackups);
  const loadBackupDestination = useTend((state) => state.loadBackupDestination);
  const loadSettings = useTend((state) => state.loadSettings);
  const watchBackups = useTend((state) => state.watchBackups);
  const createBackup = useTend((state) => state.createBackup);
  const openRestoreConfirm = useTend((state) => state.openRestoreConfirm);
  const runningJobs = useTend((state) => state.runningJobs);
  const startJobAt = useTend((state) => state.startJobAt);
  const starting = useTend((state) => state.startingAt.backup === true);
  const [kind, setKind] = useState<ManualBackupKind>('critical');
  const [error, setError] = useState<TendError | null>(null);

  useEffect(() => watchBackups(), [watchBackups]);
  useEffect(() => {
    if (backups.status === 'idle') void loadBackups();
    if (destination.status === 'idle') void loadBackupDestination();
    if (settings.status === 'idle') void loadSettings();
  }, [
    backups.status,
    destination.status,
    settings.status,
    loadBackups,
    loadBackupDestination,
    loadSettings,
  ]);

  const jobs = useMemo(
    () =>
      Object.values(runningJobs).filter((job) => job.kind === 'backup' || job.kind === 'verify'),
    [runningJobs],
  );
  const backupRunning = jobs.some((job) => job.kind === 'backup');

  async function backUpNow(): Promise<void> {
    setError(null);
    // A double click starts one backup: the second finds this start on its way.
    const result = await startJobAt('backup', () => createBackup(kind));
    if (result && !result.ok) setError(result.error);
  }

  const list = valueOf(backups);
  const info = valueOf(destination);
  // An archive needs a folder: without one the button could only fail (the Destination panel
  // says where to choose it).
  const noArchiveFolder = info?.path === null;
  const primary = primaryBackup({
    archiveFolder: info?.path,
    repositoryReady: repository?.destination != null && repository.passphraseKnown,
  });
  return (
    <>
      <PageHeader
        title="Backups"
        subtitle={backupsIntro(profile, repository?.destination != null)}
        actions={
          <>
            <label className="backup-kind">
              <span className="visually-hidden">Kind of backup</span>
              <select
                className="select"
                value={kind}
                onChange={(event) => setKind(event.target.value as ManualBackupKind)}
                aria-label="Kind of backup"
              >
                <option value="critical">{kindHelp.critical}</option>
                <option value="full">{kindHelp.full}</option>
              </select>
            </label>
            <button
              type="button"
              className={primary === 'archives' ? 'button button-primary' : 'button'}
              onClick={() => void backUpNow()}
              disabled={starting || backupRunning || noArchiveFolder}
              title={
                backupRunning
                  ? 'A backup is running; it has to end first.'
                  : noArchiveFolder
                    ? 'No folder for archives is set: choose one in Settings (Destination, below).'
                    : undefined
              }
            >
              {starting ? <Spinner /> : <Archive size={16} aria-hidden />} Back up now
            </button>
            <PreUpdateBackupButton
              busy={backupRunning}
              onStarted={(result) => {
                setError(result && !result.ok ? result.error : null);
              }}
            />
            <button type="button" className="button" onClick={openRestoreConfirm}>
              <ArchiveRestore size={16} aria-hidden /> Restore latest backup…
            </button>
          </>
        }
      />
      {error ? <ErrorBox error={error} title="The backup did not start" /> : null}
      <PlacedJob place="backup" />
      <PlacedJob place="verify" />
      {jobs.length > 0 ? (
        <section className="panel" aria-label="Running">
          <ul className="job-list">
            {jobs.map((job) => (
              <JobProgressRow key={job.id} job={job} />
            ))}
          </ul>
          {backupRunning ? (
            <p className="muted small">
              One backup runs at a time; a scheduled one that comes due meanwhile is skipped.
            </p>
          ) : null}
        </section>
      ) : null}
      {destination.status === 'error' ? (
        <ErrorBox error={destination.error} title="Could not read the destination" />
      ) : info ? (
        <DestinationPanel info={info} />
      ) : null}
      <section className="panel" aria-labelledby="backup-history">
        <div className="panel-head">
          <h2 className="panel-title" id="backup-history">
            History
          </h2>
          <span className="spacer" />
          <button
            type="button"
            className="button button-small"
            onClick={() => void loadBackups()}
            disabled={backups.status === 'loading'}
          >
            {backups.status === 'loading' ? <Spinner /> : <RefreshCw size={14} aria-hidden />}{' '}
            Refresh
          </button>
        </div>
        {backups.status === 'error' ? (
          <ErrorBox
            error={backups.error}
            title="Could not read the history"
            onRetry={() => void loadBackups()}
          />
        ) : null}
        {list === null ? (
          backups.status !== 'error' ? (
            <Loading label="Reading the history…" />
          ) : null
        ) : (
          <BackupHistory
            backups={list}
            busy={backupRunning}
            repositorySet={repository?.destination != null}
            archiveFolderChosen={info?.path != null}
          />
        )}
      </section>
      <AppBackupsPanel />
      <RepositorySnapshots />
      {settings.status === 'ready' ? <RetentionPanel /> : null}
    </>
  );
}
