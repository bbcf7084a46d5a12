import { RefreshCw, ShieldCheck } from 'lucide-react';
import { useEffect, useState } from 'react';
import type { TendError } from '../../../../src-shared/errors';
import { backupKindName } from '../../../../src-shared/language/names';
import { BackupKindSchema } from '../../../../src-shared/models/backup-manifest';
import { formatAgo, formatDateTime } from '../../lib/format';
import { valueOf } from '../../store/loadable';
import { useTend } from '../../store/use-tend';
import { ErrorBox } from '../common/error-box';
import { Loading, Spinner } from '../common/loading';
import { PlacedJob, usePlaceBusy } from '../jobs/job-outcome';
import { primaryBackup } from './primary-backup';

/** The place on the page a repository backup is started from. */
const BACKUP_PLACE = 'repository-backup';

/**
 * The Backups page's list of the encrypted repository's snapshots, beside the archives'
 * history (issue 12), and a backup into it now. Shown only when a repository is set; asks for
 * its passphrase in Settings when Tend does not know it. The restore wizard offers the same
 * snapshots.
 */
export function RepositorySnapshots(): React.JSX.Element | null {
  const status = useTend((state) => state.repositoryStatus);
  const snapshots = useTend((state) => state.repositorySnapshots);
  const loadStatus = useTend((state) => state.loadRepositoryStatus);
  const loadSnapshots = useTend((state) => state.loadRepositorySnapshots);
  const watch = useTend((state) => state.watchRepository);
  const backUp = useTend((state) => state.backUpToRepository);
  const startJobAt = useTend((state) => state.startJobAt);
  const backupRunning = useTend((state) =>
    Object.values(state.runningJobs).some((job) => job.kind === 'backup'),
  );
  const busy = usePlaceBusy(BACKUP_PLACE) || backupRunning;
  const go = useTend((state) => state.navigate);
  const [error, setError] = useState<TendError | null>(null);
  const shown = valueOf(status);
  const ready = shown?.destination != null && shown.passphraseKnown;
  const archiveFolder = useTend((state) => valueOf(state.backupDestination)?.path);
  const primary = primaryBackup({ archiveFolder, repositoryReady: ready }) === 'repository';

  useEffect(() => watch(), [watch]);

  useEffect(() => {
    if (status.status === 'idle') void loadStatus();
  }, [status.status, loadStatus]);
  useEffect(() => {
    if (ready) void loadSnapshots();
  }, [ready, loadSnapshots]);

  async function backUpNow(): Promise<void> {
    setError(null);
    const result = await startJobAt(BACKUP_PLACE, () => backUp('critical'));
    if (result && !result.ok) setError(result.error);
  }

  if (!shown?.destination) return null;
  const list = valueOf(snapshots)?.snapshots ?? null;
  return (
    <section
      className="panel"
      aria-labelledby="repository-snapshots"
      data-testid="repository-snapshots"
    >
      <div className="panel-head">
        <h2 className="panel-title" id="repository-snapshots">
          Encrypted snapshots
        </h2>
        <span className="spacer" />
        {ready ? (
          <button
            type="button"
            className={primary ? 'button button-small button-primary' : 'button button-small'}
            onClick={() => void backUpNow()}
            disabled={busy}
            title={busy ? 'A backup is running; it has to end first.' : undefined}
          >
            <ShieldCheck size={14} aria-hidden /> Back up to the repository now
          </button>
        ) : null}
        {ready ? (
          <button
            type="button"
            className="button button-small"
            onClick={() => void loadSnapshots()}
            disabled={snapshots.status === 'loading'}
          >
            {snapshots.status === 'loading' ? <Spinner /> : <RefreshCw size={14} aria-hidden />}{' '}
            Refresh
          </button>
        ) : null}
      </div>
      <p className="muted small">
        In <code>{shown.location}</code>. Restore one from the Restore page.
      </p>
      {error ? <ErrorBox error={error} title="The encrypted backup did not start" /> : null}
      <PlacedJob place={BACKUP_PLACE} />
      {!ready ? (
        <p>
          Tend does not know the repository&apos;s passphrase now.{' '}
          <button type="button" className="button button-small" onClick={() => go('settings')}>
            Unlock it in Settings
          </button>
        </p>
      ) : snapshots.status === 'error' ? (
        <ErrorBox error={snapshots.error} onRetry={() => void loadSnapshots()} />
      ) : list === null ? (
        <Loading label="Reading the snapshots…" />
      ) : list.length === 0 ? (
        <p className="empty">No snapshots yet.</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Made</th>
                <th scope="col">Kind</th>
                <th scope="col">Snapshot</th>
                <th scope="col">Computer</th>
              </tr>
            </thead>
            <tbody>
              {list.map((snapshot) => (
                <tr key={snapshot.id}>
                  <td>
                    <div className="nowrap">{formatDateTime(snapshot.time)}</div>
                    <div className="muted small">{formatAgo(snapshot.time)}</div>
                  </td>
                  <td>{backupKindName(BackupKindSchema.catch('full').parse(snapshot.kind))}</td>
                  <td className="mono">{snapshot.shortId}</td>
                  <td>{snapshot.hostname ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
