import { useEffect, useState } from 'react';
import type { TendError } from '../../../../src-shared/errors';
import type { JobRecord } from '../../../../src-shared/models/jobs';
import { valueOf } from '../../store/loadable';
import { useTend } from '../../store/use-tend';
import { ErrorBox } from '../common/error-box';
import { PickButton } from '../common/pick-button';
import { JobOutcomeBox } from '../jobs/job-outcome';
import { JobProgressRow } from '../jobs/job-progress';

/**
 * Backups to and from another place: import a backup file from another machine, or restore a
 * backup into another folder without touching the data folder. Each job started here shows
 * its progress, then how it ended.
 */
export function MoveBackupsPanel(): React.JSX.Element {
  const backups = useTend((state) => state.restoreBackups);
  const importBackup = useTend((state) => state.importBackup);
  const exportBackup = useTend((state) => state.exportBackup);
  const runningJobs = useTend((state) => state.runningJobs);
  const finishedJobs = useTend((state) => state.finishedJobs);
  const loadBackups = useTend((state) => state.loadRestoreBackups);
  const [file, setFile] = useState('');
  const [target, setTarget] = useState('');
  const [exportFrom, setExportFrom] = useState('');
  const [jobIds, setJobIds] = useState<string[]>([]);
  const [error, setError] = useState<TendError | null>(null);
  const list = valueOf(backups) ?? [];

  const jobs = jobIds
    .map((id) => runningJobs[id] ?? finishedJobs[id])
    .filter((job): job is JobRecord => job !== undefined);
  useEffect(() => {
    if (jobIds.some((id) => finishedJobs[id]?.state === 'succeeded')) void loadBackups();
  }, [jobIds, finishedJobs, loadBackups]);

  async function run(start: () => Promise<{ ok: boolean } & object>): Promise<void> {
    setError(null);
    const result = (await start()) as
      { ok: true; value: { id: string } } | { ok: false; error: TendError };
    if (result.ok) setJobIds((ids) => [result.value.id, ...ids]);
    else setError(result.error);
  }

  return (
    <section className="panel" aria-labelledby="restore-move">
      <h2 className="panel-title" id="restore-move">
        Backups from and to another place
      </h2>
      <div className="grid-2">
        <form
          className="form"
          onSubmit={(event) => {
            event.preventDefault();
            void run(() => importBackup(file.trim()));
          }}
        >
          <div className="field">
            <label htmlFor="restore-import" className="field-label">
              Import a backup file from another machine
            </label>
            <div className="input-row">
              <input
                id="restore-import"
                className="input mono"
                value={file}
                placeholder="/media/usb/tend-20261101-030000-full.tar.gz"
                onChange={(event) => setFile(event.target.value)}
              />
              <PickButton
                request={{ file: { purpose: 'import-file', holds: 'backup' } }}
                onPicked={setFile}
                onError={setError}
              />
              <button type="submit" className="button" disabled={!file.trim()}>
                Check and import
              </button>
            </div>
            <p className="field-hint">
              Every file is checked before it is listed with your backups.
            </p>
          </div>
        </form>
        <form
          className="form"
          onSubmit={(event) => {
            event.preventDefault();
            void run(() => exportBackup(exportFrom, target.trim()));
          }}
        >
          <div className="field">
            <label htmlFor="restore-export-from" className="field-label">
              Restore to another folder (the data folder is not touched)
            </label>
            <select
              id="restore-export-from"
              className="select"
              value={exportFrom}
              onChange={(event) => setExportFrom(event.target.value)}
            >
              <option value="">Choose a backup…</option>
              {list.map((b) => (
                <option key={b.archivePath} value={b.archivePath}>
                  {b.id}
                </option>
              ))}
            </select>
            <div className="input-row">
              <input
                aria-label="Folder to write the files into"
                className="input mono"
                value={target}
                placeholder="/home/me/restored-copy"
                onChange={(event) => setTarget(event.target.value)}
              />
              <PickButton
                request={{ folder: 'export-folder' }}
                onPicked={setTarget}
                onError={setError}
              />
              <button type="submit" className="button" disabled={!exportFrom || !target.trim()}>
                Export
              </button>
            </div>
          </div>
        </form>
      </div>
      {error ? <ErrorBox error={error} title="That did not start" /> : null}
      {jobs.length > 0 ? (
        <ul className="job-list">
          {jobs.map((job) =>
            job.state === 'running' || job.state === 'queued' ? (
              <JobProgressRow key={job.id} job={job} />
            ) : (
              <li key={job.id}>
                <JobOutcomeBox
                  job={job}
                  onDismiss={() => setJobIds((ids) => ids.filter((id) => id !== job.id))}
                />
              </li>
            ),
          )}
        </ul>
      ) : null}
    </section>
  );
}
