import { Archive, ArchiveRestore } from 'lucide-react';
import { useEffect, useState } from 'react';
import type { TendError } from '../../../../src-shared/errors';
import { backupKindName } from '../../../../src-shared/language/names';
import { formatAgo, formatBytes, formatDateTime } from '../../lib/format';
import { valueOf } from '../../store/loadable';
import { useTend } from '../../store/use-tend';
import { ErrorBox } from '../common/error-box';
import { Loading, Spinner } from '../common/loading';
import { PlacedJob, usePlaceBusy } from '../jobs/job-outcome';
import { RestoreSwapWizard } from './restore-swap-wizard';

/** Where the page's database backup runs, for its progress and outcome. */
const BACKUP_PLACE = 'pg-backup';

/**
 * The backups that hold the database, newest first: back it up now (alone or with the
 * uploads), and restore one by swap.
 */
export function DatabaseBackupsPanel(): React.JSX.Element {
  const backups = useTend((state) => state.databaseBackups);
  const loadBackups = useTend((state) => state.loadDatabaseBackups);
  const backUpDatabase = useTend((state) => state.backUpDatabase);
  const startJobAt = useTend((state) => state.startJobAt);
  const placedBackup = useTend((state) => state.placedJobs[BACKUP_PLACE]);
  const backupDone = useTend((state) =>
    placedBackup ? state.finishedJobs[placedBackup] !== undefined : false,
  );
  const busy = usePlaceBusy(BACKUP_PLACE);
  const [kind, setKind] = useState<'database' | 'full'>('database');
  const [error, setError] = useState<TendError | null>(null);
  const [restoring, setRestoring] = useState<string | null | false>(false);

  useEffect(() => {
    if (backups.status === 'idle') void loadBackups();
  }, [backups.status, loadBackups]);
  // A backup that ended is listed at once.
  useEffect(() => {
    if (backupDone) void loadBackups();
  }, [backupDone, loadBackups]);

  async function backUp(): Promise<void> {
    setError(null);
    const result = await startJobAt(BACKUP_PLACE, () => backUpDatabase(kind));
    if (result && !result.ok) setError(result.error);
  }

  const list = valueOf(backups)?.backups ?? [];
  const withDatabase = list.filter((backup) => backup.database !== null);
  return (
    <section className="panel" aria-labelledby="database-backups" data-testid="database-backups">
      <div className="panel-head">
        <h2 className="panel-title" id="database-backups">
          Backups of the database
        </h2>
        <div className="table-actions">
          <select
            className="select database-kind"
            value={kind}
            onChange={(event) => setKind(event.target.value as 'database' | 'full')}
            aria-label="What to back up"
          >
            <option value="database">The database alone</option>
            <option value="full">The database and the uploads</option>
          </select>
          <button
            type="button"
            className="button"
            onClick={() => void backUp()}
            disabled={busy}
            data-testid="database-backup-now"
          >
            {busy ? <Spinner /> : <Archive size={16} aria-hidden />} Back up the database
          </button>
          <button
            type="button"
            className="button button-primary"
            onClick={() => setRestoring(null)}
            disabled={withDatabase.length === 0}
            title={withDatabase.length === 0 ? 'Back the database up first.' : undefined}
          >
            <ArchiveRestore size={16} aria-hidden /> Restore by swap…
          </button>
        </div>
      </div>
      {error ? <ErrorBox error={error} title="The backup did not start" /> : null}
      <PlacedJob place={BACKUP_PLACE} withProgress />
      {backups.status === 'error' ? (
        <ErrorBox
          error={backups.error}
          title="Could not list the backups"
          onRetry={() => void loadBackups()}
        />
      ) : backups.status !== 'ready' && list.length === 0 ? (
        <Loading label="Reading the backups…" />
      ) : withDatabase.length === 0 ? (
        <p className="empty">
          No backup holds the database yet. Back it up now, or from the Backups page (“Back up
          before an update”).
        </p>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="database-backup-list">
            <thead>
              <tr>
                <th scope="col">Backup</th>
                <th scope="col">Kind</th>
                <th scope="col">Made</th>
                <th scope="col" className="numeric">
                  Size
                </th>
                <th scope="col">Database</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {withDatabase.map((backup) => (
                <tr key={backup.id} data-testid={`database-backup-${backup.id}`}>
                  <td className="mono">{backup.id}</td>
                  <td>{backupKindName(backup.kind)}</td>
                  <td title={formatDateTime(backup.createdAt)}>{formatAgo(backup.createdAt)}</td>
                  <td className="numeric">{formatBytes(backup.archiveBytes ?? 0)}</td>
                  <td className="mono">{backup.database}</td>
                  <td>
                    <button
                      type="button"
                      className="button button-small"
                      onClick={() => setRestoring(backup.id)}
                    >
                      Restore…
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {restoring !== false ? (
        <RestoreSwapWizard
          backups={withDatabase}
          initial={restoring}
          onClose={() => setRestoring(false)}
        />
      ) : null}
    </section>
  );
}
