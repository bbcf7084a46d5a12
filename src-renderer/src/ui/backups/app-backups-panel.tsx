import { Download } from 'lucide-react';
import { useEffect, useState } from 'react';
import type { TendError } from '../../../../src-shared/errors';
import { formatBytes } from '../../../../src-shared/language/bytes';
import { valueOf } from '../../store/loadable';
import { useTend } from '../../store/use-tend';
import { ErrorBox } from '../common/error-box';
import { Spinner } from '../common/loading';
import { PlacedJob } from '../jobs/job-outcome';

/**
 * "Made by the assistant": the backups the app keeps of its own folder (the memory system's
 * `memory_backup_*.tar.gz`), each with the history's backup it became, and an Import button
 * that brings one into the history (checksummed, so verify and restore work on it). Shown
 * only for a folder whose app makes such backups.
 */
export function AppBackupsPanel(): React.JSX.Element | null {
  const appBackups = useTend((state) => state.appBackups);
  const loadAppBackups = useTend((state) => state.loadAppBackups);
  const importAppBackup = useTend((state) => state.importAppBackup);
  const startJobAt = useTend((state) => state.startJobAt);
  const starting = useTend((state) => state.startingAt['app-backup-import'] === true);
  // The history changes when an import ends: the list says which backup each became.
  const history = useTend((state) => state.backups);
  const [error, setError] = useState<TendError | null>(null);

  useEffect(() => {
    void loadAppBackups();
  }, [history, loadAppBackups]);

  const list = valueOf(appBackups);
  if (appBackups.status === 'error') {
    return <ErrorBox error={appBackups.error} title="Could not list the app’s own backups" />;
  }
  if (!list?.appName || list.backups.length === 0) return null;

  async function importOne(file: string): Promise<void> {
    setError(null);
    const result = await startJobAt('app-backup-import', () => importAppBackup(file));
    if (result && !result.ok) setError(result.error);
  }

  return (
    <section className="panel" aria-labelledby="app-backups" data-testid="app-backups">
      <div className="panel-head">
        <h2 className="panel-title" id="app-backups">
          Made by the assistant
        </h2>
      </div>
      <p className="muted small">
        Backups {list.appName} made itself, in {list.folder}/. Import one to verify it and restore
        from it here; a restore from it brings back the files it holds and removes nothing.
      </p>
      {error ? <ErrorBox error={error} title="The import did not start" /> : null}
      <PlacedJob place="app-backup-import" />
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Backup</th>
            <th scope="col">Made</th>
            <th scope="col">Size</th>
            <th scope="col">In the history</th>
          </tr>
        </thead>
        <tbody>
          {list.backups.map((backup) => (
            <tr key={backup.file}>
              <td>{backup.file}</td>
              <td>{backup.takenAt.slice(0, 16).replace('T', ' ')}</td>
              <td>{formatBytes(backup.bytes)}</td>
              <td>
                {backup.importedAs ? (
                  <span>as {backup.importedAs}</span>
                ) : (
                  <button
                    type="button"
                    className="button button-small"
                    disabled={starting}
                    onClick={() => void importOne(backup.file)}
                    aria-label={`Import ${backup.file}`}
                  >
                    {starting ? <Spinner /> : <Download size={14} aria-hidden />} Import
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
