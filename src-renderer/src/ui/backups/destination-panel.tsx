import { FolderOpen } from 'lucide-react';
import type { DestinationInfo } from '../../../../src-shared/models/backups';
import { formatBytes } from '../../lib/format';
import { useTend } from '../../store/use-tend';

/** Where backups go: the folder, its free space, and warnings a person should act on. */
export function DestinationPanel(props: { info: DestinationInfo }): React.JSX.Element {
  const { info } = props;
  const navigate = useTend((state) => state.navigate);
  const repository = useTend((state) =>
    state.repositoryStatus.status === 'ready' ? state.repositoryStatus.value.location : null,
  );
  const fits =
    info.freeBytes !== null && info.estimatedNextBytes !== null
      ? info.freeBytes >= info.estimatedNextBytes
      : null;
  return (
    <section
      className="panel"
      aria-labelledby="backup-destination"
      data-testid="backup-destination"
    >
      <div className="panel-head">
        <h2 className="panel-title" id="backup-destination">
          Destination
        </h2>
        <span className="spacer" />
        <button type="button" className="button button-small" onClick={() => navigate('settings')}>
          <FolderOpen size={14} aria-hidden />{' '}
          {info.path ? 'Change in Settings' : 'Choose in Settings'}
        </button>
      </div>
      {info.path ? (
        <dl className="definition-list">
          <dt>Folder</dt>
          <dd className="mono">{info.path}</dd>
          <dt>Free space</dt>
          <dd>
            {info.freeBytes === null || info.totalBytes === null
              ? '–'
              : `${formatBytes(info.freeBytes)} free of ${formatBytes(info.totalBytes)}`}
            {info.estimatedNextBytes !== null ? (
              <span className="muted">
                {' '}
                · the last full backup took {formatBytes(info.estimatedNextBytes)}
              </span>
            ) : null}
          </dd>
        </dl>
      ) : null}
      {!info.path && repository ? (
        <p className="notice" role="status">
          {/* One span: a notice lays its children out in a row, which split the text at <code>. */}
          <span>
            Scheduled backups go to the encrypted repository at <code>{repository}</code>, and “Back
            up to the repository now” below backs up into it. No folder for archives is set, so
            “Back up now” has nowhere to write an archive: choose one outside the data folder if you
            want archives too.
          </span>
        </p>
      ) : null}
      {!info.path && !repository ? (
        <p className="notice notice-warning" role="status">
          No destination is set, so scheduled and manual backups cannot run. Choose a folder outside
          the data folder — an external drive is best.
        </p>
      ) : null}
      {info.problem && info.path ? (
        <p className="notice notice-warning" role="status">
          {info.problem}
        </p>
      ) : null}
      {info.path && !info.exists && !info.problem ? (
        <p className="muted">The folder will be made by the first backup.</p>
      ) : null}
      {info.sameDiskAsRoot ? (
        <p className="notice notice-warning" role="status" data-testid="same-disk-warning">
          This folder is on the same disk as the data. A backup there does not survive that disk
          failing; an external drive or another disk is safer.
        </p>
      ) : null}
      {fits === false ? (
        <p className="notice notice-warning" role="status">
          The next full backup may not fit: {formatBytes(info.freeBytes ?? 0)} free, the last one
          took {formatBytes(info.estimatedNextBytes ?? 0)}.
        </p>
      ) : null}
    </section>
  );
}
