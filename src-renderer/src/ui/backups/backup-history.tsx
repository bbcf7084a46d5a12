import { ShieldCheck, Trash2 } from 'lucide-react';
import { useState } from 'react';
import type { TendError } from '../../../../src-shared/errors';
import type { BackupRecord } from '../../../../src-shared/models/backups';
import { backupKindName, verifyStateNames } from '../../../../src-shared/language/names';
import { countOf, formatAgo, formatBytes, formatDateTime } from '../../lib/format';
import { useTend } from '../../store/use-tend';
import { ErrorBox } from '../common/error-box';
import { Spinner } from '../common/loading';
import { formatDuration, outcomeOf } from './backup-labels';

/** The history: every backup with its date, kind, size, files, duration, verification, outcome. */
export function BackupHistory(props: {
  backups: ReadonlyArray<BackupRecord>;
  busy: boolean;
  /**
   * Where backups go besides archives: the encrypted repository is set (its snapshots are
   * listed apart), and whether a folder for archives is chosen too.
   */
  repositorySet?: boolean;
  archiveFolderChosen?: boolean;
}): React.JSX.Element {
  const [error, setError] = useState<TendError | null>(null);
  if (props.backups.length === 0) {
    return (
      <p className="muted" data-testid="backups-empty">
        {!props.repositorySet
          ? 'No backups yet. Choose a destination, then press “Back up now”.'
          : props.archiveFolderChosen
            ? 'No archives yet: scheduled backups go to the encrypted repository (its snapshots are below); “Back up now” writes an archive.'
            : 'No archives: backups go to the encrypted repository, and its snapshots are listed below. Choose a backup folder in Settings to write archives too.'}
      </p>
    );
  }
  return (
    <>
      {error ? <ErrorBox error={error} title="That did not work" /> : null}
      <div className="table-wrap">
        <table className="table backups-table" data-testid="backups-table">
          <thead>
            <tr>
              <th>Made</th>
              <th>Kind</th>
              <th>Outcome</th>
              <th className="num">Archive size</th>
              <th>Verified</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {props.backups.map((record) => (
              <HistoryRow key={record.id} record={record} busy={props.busy} onError={setError} />
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function HistoryRow(props: {
  record: BackupRecord;
  busy: boolean;
  onError: (error: TendError | null) => void;
}): React.JSX.Element {
  const { record, onError } = props;
  const verifyBackup = useTend((state) => state.verifyBackup);
  const startJobAt = useTend((state) => state.startJobAt);
  const deleteBackup = useTend((state) => state.deleteBackup);
  const [asking, setAsking] = useState<'verify' | 'delete' | null>(null);
  const [confirming, setConfirming] = useState(false);
  const outcome = outcomeOf(record);
  const problem = record.error?.message ?? record.verifyMessage;

  async function verify(): Promise<void> {
    setAsking('verify');
    onError(null);
    const result = await startJobAt('verify', () => verifyBackup(record.id, 'full'));
    setAsking(null);
    if (result && !result.ok) onError(result.error);
  }

  async function remove(): Promise<void> {
    setAsking('delete');
    onError(null);
    const result = await deleteBackup(record.id);
    setAsking(null);
    setConfirming(false);
    if (!result.ok) onError(result.error);
  }

  return (
    <tr data-testid={`backup-${record.id}`}>
      <td title={record.id}>
        <div className="nowrap">{formatDateTime(record.createdAt)}</div>
        <div className="muted small">{formatAgo(record.createdAt)}</div>
      </td>
      <td>{backupKindName(record.kind)}</td>
      <td>
        <span className={`badge badge-${outcome.tone}`}>{outcome.label}</span>
        {record.durationMs !== null ? (
          <div className="muted small nowrap">took {formatDuration(record.durationMs)}</div>
        ) : null}
        {problem && record.state !== 'completed' ? (
          <div className="muted small backup-problem">{problem}</div>
        ) : null}
        {record.warnings.length > 0 ? (
          <div className="muted small backup-problem">
            {record.warnings
              .slice(0, 3)
              .map((warning) => `${warning.path}: ${warning.message}`)
              .join('; ')}
          </div>
        ) : null}
      </td>
      <td className="num">
        {record.archiveBytes === null ? '–' : formatBytes(record.archiveBytes)}
        {record.dataBytes !== null && record.files !== null ? (
          <div className="muted small">
            {formatBytes(record.dataBytes)} of data, {countOf(record.files, 'file')}
          </div>
        ) : null}
      </td>
      <td>
        {record.state === 'completed' ? (
          <span
            className={
              record.verifyState === 'failed'
                ? 'badge badge-bad backup-verify-state'
                : 'backup-verify-state'
            }
            title={record.verifyMessage ?? undefined}
          >
            {verifyStateNames[record.verifyState]}
            {record.verifiedAt ? (
              <div className="muted small">{formatAgo(record.verifiedAt)}</div>
            ) : null}
          </span>
        ) : (
          '–'
        )}
      </td>
      <td>
        <div className="table-actions">
          {record.state === 'completed' ? (
            <button
              type="button"
              className="button button-small"
              onClick={() => void verify()}
              disabled={asking !== null}
            >
              {asking === 'verify' ? <Spinner /> : <ShieldCheck size={14} aria-hidden />} Verify
            </button>
          ) : null}
          {confirming ? (
            <>
              <button
                type="button"
                className="button button-small button-danger"
                onClick={() => void remove()}
                disabled={asking !== null}
              >
                {asking === 'delete' ? <Spinner /> : <Trash2 size={14} aria-hidden />} Delete it
              </button>
              <button
                type="button"
                className="button button-small"
                onClick={() => setConfirming(false)}
              >
                Keep
              </button>
            </>
          ) : (
            <button
              type="button"
              className="button button-small"
              onClick={() => setConfirming(true)}
              disabled={asking !== null || record.state === 'running'}
              aria-label={`Delete ${record.id}`}
            >
              <Trash2 size={14} aria-hidden /> Delete
            </button>
          )}
        </div>
      </td>
    </tr>
  );
}
