import { RefreshCw } from 'lucide-react';
import { useEffect } from 'react';
import type { TendError } from '../../../../src-shared/errors';
import { backupKindName, verifyStateNames } from '../../../../src-shared/language/names';
import type { RestorableBackup } from '../../../../src-shared/models/restore';
import { countOf, formatAgo, formatBytes, formatDateTime } from '../../lib/format';
import { isSnapshotChoice } from '../../../../src-shared/models/snapshot-choices';
import { valueOf } from '../../store/loadable';
import { useTend } from '../../store/use-tend';
import { ErrorBox } from '../common/error-box';
import { Loading, Spinner } from '../common/loading';

/**
 * Step 1 of the wizard: the backups to restore from, newest first. Five columns, so the table
 * fits the narrowest window; the id and the date share one.
 */
export function BackupChoice(props: {
  backups: ReadonlyArray<RestorableBackup>;
  loading: boolean;
  loadError: TendError | null;
  selected: string | null;
  onSelect: (backup: RestorableBackup) => void;
  onRefresh: () => void;
}): React.JSX.Element {
  const { backups, loading, loadError, selected, onSelect, onRefresh } = props;
  const refreshSnapshots = useRepositorySnapshots();
  const blocked = useRepositoryBlocked();
  const repository = blocked ? <RepositoryNotice blocked={blocked} /> : null;
  if (loadError)
    return <ErrorBox error={loadError} title="Could not list the backups" onRetry={onRefresh} />;
  if (backups.length === 0) {
    return loading ? (
      <Loading label="Listing the backups…" />
    ) : (
      <>
        {repository}
        <p className="empty">
          {blocked ? 'No archives either.' : 'No backups yet.'} Make one on the Backups page, or
          import a backup file below.
        </p>
      </>
    );
  }
  return (
    <fieldset className="restore-fieldset">
      {repository}
      <legend className="visually-hidden">Backup to restore from</legend>
      <div className="table-wrap restore-backups">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">
                <span className="visually-hidden">Choose</span>
              </th>
              <th scope="col">Backup</th>
              <th scope="col">Kind</th>
              <th scope="col" className="num">
                Data size
              </th>
              <th scope="col">Verified</th>
            </tr>
          </thead>
          <tbody>
            {backups.map((b) => (
              <tr
                key={b.archivePath}
                className={b.archivePath === selected ? 'selected' : undefined}
                onClick={() => onSelect(b)}
              >
                <td>
                  <input
                    type="radio"
                    name="backup"
                    aria-label={`${b.id}, made ${formatAgo(b.createdAt)}`}
                    checked={b.archivePath === selected}
                    onChange={() => onSelect(b)}
                  />
                </td>
                <td>
                  <div className="nowrap">{formatDateTime(b.createdAt)}</div>
                  <div className="muted small">
                    {formatAgo(b.createdAt)} · <span className="mono">{b.id}</span>
                  </div>
                </td>
                <td>{backupKindName(b.kind)}</td>
                {isSnapshotChoice(b) ? (
                  <>
                    <td className="num">—</td>
                    <td>
                      <span className="badge">Encrypted repository</span>
                    </td>
                  </>
                ) : (
                  <>
                    <td className="num">
                      {formatBytes(b.bytes)}
                      <div className="muted small">{countOf(b.files, 'file')}</div>
                    </td>
                    <td>
                      <span className={b.verified ? 'badge badge-ok' : 'badge'}>
                        {b.verified ? verifyStateNames.verified : verifyStateNames.unverified}
                      </span>
                    </td>
                  </>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <button
        type="button"
        className="button button-small"
        onClick={() => {
          onRefresh();
          refreshSnapshots();
        }}
        disabled={loading}
      >
        {loading ? <Spinner /> : <RefreshCw size={14} aria-hidden />} Refresh
      </button>
    </fieldset>
  );
}

/** Why the encrypted repository's snapshots are kept out of the list, or null when they are not. */
type RepositoryBlock =
  | { readonly why: 'locked'; readonly location: string | null }
  | { readonly why: 'unreadable'; readonly error: TendError };

function useRepositoryBlocked(): RepositoryBlock | null {
  const status = useTend((state) => valueOf(state.repositoryStatus));
  const snapshots = useTend((state) => state.repositorySnapshots);
  if (!status?.destination) return null;
  if (!status.passphraseKnown) return { why: 'locked', location: status.location };
  return snapshots.status === 'error' ? { why: 'unreadable', error: snapshots.error } : null;
}

/**
 * What keeps the encrypted repository's snapshots out of the list: Tend does not know its
 * passphrase now (after a restart, where it is kept only while Tend runs), or they could not
 * be read. Without it a locked repository left "No backups" at the moment a person needed one.
 */
function RepositoryNotice(props: { blocked: RepositoryBlock }): React.JSX.Element {
  const loadSnapshots = useTend((state) => state.loadRepositorySnapshots);
  const go = useTend((state) => state.navigate);
  const { blocked } = props;
  if (blocked.why === 'unreadable') {
    return (
      <ErrorBox
        error={blocked.error}
        title="Could not list the encrypted repository's snapshots"
        onRetry={() => void loadSnapshots()}
      />
    );
  }
  return (
    <p className="notice notice-warning" data-testid="restore-repository-locked">
      {/* One span: the notice lays its children out side by side. */}
      <span>
        The snapshots in the encrypted repository at <code>{blocked.location}</code> are listed here
        once Tend knows its passphrase.
      </span>
      <button type="button" className="button button-small" onClick={() => go('settings')}>
        Unlock it in Settings
      </button>
    </p>
  );
}

/**
 * Reads the encrypted repository's snapshots for the list, once its status says one is set and
 * its passphrase is known (issue 12).
 */
function useRepositorySnapshots(): () => void {
  const status = useTend((state) => state.repositoryStatus);
  const loadStatus = useTend((state) => state.loadRepositoryStatus);
  const loadSnapshots = useTend((state) => state.loadRepositorySnapshots);
  const ready = status.status === 'ready' && status.value.passphraseKnown;
  useEffect(() => {
    if (status.status === 'idle') void loadStatus();
  }, [status.status, loadStatus]);
  // Read again each time the list is shown: a backup may have added one since.
  useEffect(() => {
    if (ready) void loadSnapshots();
  }, [ready, loadSnapshots]);
  return () => {
    if (ready) void loadSnapshots();
  };
}
