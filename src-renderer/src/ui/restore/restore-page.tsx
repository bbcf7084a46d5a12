import { ArchiveRestore, ArrowLeft, ArrowRight, RefreshCw, Undo2 } from 'lucide-react';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { TendError } from '../../../../src-shared/errors';
import { categories, categoryInfo, type Category } from '../../../../src-shared/models/categories';
import type {
  RestorableBackup,
  RestorePlan,
  RestoreReport,
  RestoreScope,
} from '../../../../src-shared/models/restore';
import { formatAgo, formatBytes, formatCount, formatFiles } from '../../lib/format';
import { valueOf } from '../../store/loadable';
import { useTend } from '../../store/use-tend';
import { ErrorBox } from '../common/error-box';
import { Loading, Spinner } from '../common/loading';
import { PageHeader } from '../common/page-header';
import { PickButton } from '../common/pick-button';
import { JobProgressRow } from '../jobs/job-progress';
import { RestoreLatestDialog } from './restore-latest-dialog';
import { describeScope, RestorePlanView } from './restore-plan-view';
import { RestoreReportView } from './restore-report-view';
import './restore.css';

const steps = ['Backup', 'What to restore', 'Preview', 'Restore', 'Report'] as const;
type Step = 0 | 1 | 2 | 3 | 4;
type ScopeKind = RestoreScope['kind'];

/**
 * Restore: a wizard (choose a backup, choose what, preview, confirm and watch, report), the
 * undo of the last restore, and moving backups between machines (import, export).
 */
export function RestorePage(): React.JSX.Element {
  const confirmOpen = useTend((state) => state.restoreConfirmOpen);
  const openConfirm = useTend((state) => state.openRestoreConfirm);
  const closeConfirm = useTend((state) => state.closeRestoreConfirm);
  return (
    <>
      <PageHeader
        title="Restore"
        subtitle="Bring back everything, one collection or a single file from a backup. A safety snapshot comes first, so every restore can be undone."
        actions={
          <button type="button" className="button button-primary" onClick={openConfirm}>
            <ArchiveRestore size={16} aria-hidden /> Restore latest backup…
          </button>
        }
      />
      <UndoPanel />
      <RestoreWizard />
      <MoveBackupsPanel />
      {confirmOpen ? <RestoreLatestDialog onClose={closeConfirm} /> : null}
    </>
  );
}

function scopeFrom(
  kind: ScopeKind,
  chosen: ReadonlySet<Category>,
  collection: string,
  paths: string,
): RestoreScope | null {
  switch (kind) {
    case 'everything':
      return { kind };
    case 'categories':
      return chosen.size > 0 ? { kind, categories: [...chosen] } : null;
    case 'collection':
      return collection ? { kind, collection } : null;
    case 'paths': {
      const list = paths
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean);
      return list.length > 0 ? { kind, paths: list } : null;
    }
  }
}

function RestoreWizard(): React.JSX.Element {
  const backups = useTend((state) => state.restoreBackups);
  const loadBackups = useTend((state) => state.loadRestoreBackups);
  const loadLast = useTend((state) => state.loadLastRestore);
  const planRestore = useTend((state) => state.planRestore);
  const applyRestore = useTend((state) => state.applyRestore);
  const jobId = useTend((state) => state.restoreJobId);
  const clearJob = useTend((state) => state.clearRestoreJob);
  const running = useTend((state) => (jobId ? state.runningJobs[jobId] : undefined));
  const finished = useTend((state) => (jobId ? state.finishedJobs[jobId] : undefined));

  const [step, setStep] = useState<Step>(0);
  const [backupPath, setBackupPath] = useState<string | null>(null);
  const [scopeKind, setScopeKind] = useState<ScopeKind>('everything');
  const [chosen, setChosen] = useState<ReadonlySet<Category>>(new Set(['irreplaceable']));
  const [collection, setCollection] = useState('');
  const [paths, setPaths] = useState('');
  const [overview, setOverview] = useState<RestorePlan | null>(null);
  const [plan, setPlan] = useState<RestorePlan | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<TendError | null>(null);
  const [confirmed, setConfirmed] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const firstRender = useRef(true);

  useEffect(() => {
    if (backups.status === 'idle') void loadBackups();
  }, [backups.status, loadBackups]);

  // A followed restore job (started here or from the one-click confirmation) decides the
  // step: its progress, then its report.
  const shown: Step = jobId ? (finished ? 4 : 3) : step;
  useEffect(() => {
    if (jobId && finished) {
      void loadLast();
      void loadBackups();
    }
  }, [jobId, finished, loadLast, loadBackups]);

  // Each step's heading takes the focus, so a keyboard or screen reader user starts there.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    headingRef.current?.focus();
  }, [shown]);

  const list = valueOf(backups) ?? [];
  const backup = list.find((b) => b.archivePath === backupPath) ?? null;
  const scope = scopeFrom(scopeKind, chosen, collection, paths);

  async function chooseBackup(next: RestorableBackup): Promise<void> {
    setBackupPath(next.archivePath);
    setOverview(null);
    setCollection('');
    // The "everything" preview lists the collections a one-collection restore can pick from.
    const result = await planRestore(next.archivePath, { kind: 'everything' });
    if (result.ok) setOverview(result.value);
  }

  async function toPreview(): Promise<void> {
    if (!backup || !scope) return;
    setBusy(true);
    setError(null);
    setPlan(null);
    const result = await planRestore(backup.archivePath, scope);
    setBusy(false);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    setPlan(result.value);
    setConfirmed(false);
    setStep(2);
  }

  async function start(): Promise<void> {
    if (!backup || !scope) return;
    setBusy(true);
    setError(null);
    const result = await applyRestore(backup.archivePath, scope);
    setBusy(false);
    if (!result.ok) setError(result.error);
  }

  function restart(): void {
    clearJob();
    setPlan(null);
    setError(null);
    setStep(0);
  }

  const report = finished?.state === 'succeeded' ? (finished.result as RestoreReport) : null;
  const failedReport =
    finished?.error?.details && typeof finished.error.details === 'object'
      ? ((finished.error.details as { report?: RestoreReport }).report ?? null)
      : null;

  return (
    <section className="panel restore-wizard" aria-labelledby="restore-step-title">
      <ol className="restore-steps">
        {steps.map((label, index) => (
          <li
            key={label}
            aria-current={index === shown ? 'step' : undefined}
            className={index < shown ? 'done' : index === shown ? 'current' : ''}
          >
            <span className="restore-step-number">{index + 1}</span> {label}
          </li>
        ))}
      </ol>
      <h2 className="panel-title" id="restore-step-title" ref={headingRef} tabIndex={-1}>
        {steps[shown]}
      </h2>
      {error ? <ErrorBox error={error} title="That did not work" /> : null}

      {shown === 0 ? (
        <BackupChoice
          backups={list}
          loading={backups.status === 'loading'}
          loadError={backups.status === 'error' ? backups.error : null}
          selected={backupPath}
          onSelect={(b) => void chooseBackup(b)}
          onRefresh={() => void loadBackups()}
        />
      ) : null}

      {shown === 1 && backup ? (
        <fieldset className="restore-fieldset restore-scope">
          <legend className="visually-hidden">What to restore</legend>
          <label className="restore-option">
            <input
              type="radio"
              name="scope"
              checked={scopeKind === 'everything'}
              onChange={() => setScopeKind('everything')}
            />
            <span>
              <strong>Everything</strong>
              <span className="muted">
                {' '}
                — the whole backup; files of its kinds that it lacks are removed
              </span>
            </span>
          </label>
          <label className="restore-option">
            <input
              type="radio"
              name="scope"
              checked={scopeKind === 'categories'}
              onChange={() => setScopeKind('categories')}
            />
            <span>
              <strong>Some kinds of data</strong>
            </span>
          </label>
          {scopeKind === 'categories' ? (
            <div className="restore-suboptions">
              {categories
                .filter((category) => backup.categories.includes(category))
                .map((category) => (
                  <label key={category} className="row">
                    <input
                      type="checkbox"
                      checked={chosen.has(category)}
                      onChange={(event) => {
                        const next = new Set(chosen);
                        if (event.target.checked) next.add(category);
                        else next.delete(category);
                        setChosen(next);
                      }}
                    />
                    {categoryInfo[category].label}
                    <span className="muted small">{categoryInfo[category].description}</span>
                  </label>
                ))}
            </div>
          ) : null}
          <label className="restore-option">
            <input
              type="radio"
              name="scope"
              checked={scopeKind === 'collection'}
              onChange={() => setScopeKind('collection')}
            />
            <span>
              <strong>One collection</strong>
              <span className="muted">
                {' '}
                — its documents, chunks, index and chat sessions; the others stay as they are now
              </span>
            </span>
          </label>
          {scopeKind === 'collection' ? (
            <div className="restore-suboptions">
              {overview ? (
                overview.collections.length > 0 ? (
                  overview.collections.map((c) => (
                    <label key={c.id} className="row">
                      <input
                        type="radio"
                        name="collection"
                        checked={collection === c.id}
                        onChange={() => setCollection(c.id)}
                      />
                      {c.name}{' '}
                      <span className="muted small">
                        {formatCount(c.chunksAfter)} chunks in the backup
                      </span>
                    </label>
                  ))
                ) : (
                  <p className="muted">This backup holds no collections.</p>
                )
              ) : (
                <Loading label="Reading the backup's collections…" />
              )}
            </div>
          ) : null}
          <label className="restore-option">
            <input
              type="radio"
              name="scope"
              checked={scopeKind === 'paths'}
              onChange={() => setScopeKind('paths')}
            />
            <span>
              <strong>Some files or folders</strong>
            </span>
          </label>
          {scopeKind === 'paths' ? (
            <div className="restore-suboptions field">
              <label htmlFor="restore-paths" className="field-label">
                One path per line, inside the data folder
              </label>
              <textarea
                id="restore-paths"
                className="input mono"
                rows={3}
                value={paths}
                placeholder="config/settings.yaml"
                onChange={(event) => setPaths(event.target.value)}
              />
            </div>
          ) : null}
        </fieldset>
      ) : null}

      {shown === 2 && plan ? <RestorePlanView plan={plan} /> : null}

      {shown === 3 ? (
        running ? (
          <ul className="job-list">
            <JobProgressRow job={running} />
          </ul>
        ) : jobId ? (
          <Loading label="Starting the restore…" />
        ) : plan && backup ? (
          <div className="restore-confirm">
            <p>
              Restore <strong>{describeScope(plan.scope).toLowerCase()}</strong> from{' '}
              <strong>{backup.id}</strong> ({formatAgo(backup.createdAt)}):{' '}
              {formatCount(plan.totals.added)} files come back, {formatCount(plan.totals.replaced)}{' '}
              are replaced and {formatCount(plan.totals.removed)} removed.
            </p>
            <p className="muted">
              First a safety snapshot of every file that changes is written, then the backup is
              unpacked beside the data and checked file by file, swapped in, and checked again. If a
              check fails, everything is put back by itself. Stop the assistant before you start.
            </p>
            <label className="row">
              <input
                type="checkbox"
                checked={confirmed}
                onChange={(event) => setConfirmed(event.target.checked)}
              />
              I want to restore this now
            </label>
          </div>
        ) : null
      ) : null}

      {shown === 4 ? (
        report ? (
          <RestoreReportView report={report} />
        ) : finished ? (
          <>
            {failedReport ? <RestoreReportView report={failedReport} /> : null}
            {finished.error ? (
              <ErrorBox
                error={finished.error}
                title={
                  finished.state === 'cancelled'
                    ? 'The restore was cancelled; nothing changed'
                    : 'The restore did not complete; the data is as it was'
                }
              />
            ) : null}
          </>
        ) : (
          <Loading label="Waiting for the result…" />
        )
      ) : null}

      <div className="form-actions restore-nav">
        {shown > 0 && shown < 3 ? (
          <button type="button" className="button" onClick={() => setStep((step - 1) as Step)}>
            <ArrowLeft size={16} aria-hidden /> Back
          </button>
        ) : null}
        {shown === 3 && !jobId ? (
          <button type="button" className="button" onClick={() => setStep(2)}>
            <ArrowLeft size={16} aria-hidden /> Back
          </button>
        ) : null}
        <span className="spacer" />
        {shown === 0 ? (
          <button
            type="button"
            className="button button-primary"
            disabled={!backup}
            onClick={() => setStep(1)}
          >
            Next <ArrowRight size={16} aria-hidden />
          </button>
        ) : null}
        {shown === 1 ? (
          <button
            type="button"
            className="button button-primary"
            disabled={!scope || busy}
            onClick={() => void toPreview()}
          >
            {busy ? <Spinner /> : null} Preview <ArrowRight size={16} aria-hidden />
          </button>
        ) : null}
        {shown === 2 && plan ? (
          <button
            type="button"
            className="button button-primary"
            disabled={plan.refusals.length > 0}
            onClick={() => setStep(3)}
          >
            Next <ArrowRight size={16} aria-hidden />
          </button>
        ) : null}
        {shown === 3 && !jobId ? (
          <button
            type="button"
            className="button button-danger"
            disabled={!confirmed || busy}
            onClick={() => void start()}
          >
            {busy ? <Spinner /> : <ArchiveRestore size={16} aria-hidden />} Restore now
          </button>
        ) : null}
        {shown === 4 ? (
          <button type="button" className="button" onClick={restart}>
            Start another restore
          </button>
        ) : null}
      </div>
    </section>
  );
}

function BackupChoice(props: {
  backups: ReadonlyArray<RestorableBackup>;
  loading: boolean;
  loadError: TendError | null;
  selected: string | null;
  onSelect: (backup: RestorableBackup) => void;
  onRefresh: () => void;
}): React.JSX.Element {
  const { backups, loading, loadError, selected, onSelect, onRefresh } = props;
  if (loadError)
    return <ErrorBox error={loadError} title="Could not list the backups" onRetry={onRefresh} />;
  if (backups.length === 0) {
    return loading ? (
      <Loading label="Listing the backups…" />
    ) : (
      <p className="empty">
        No backups yet. Make one on the Backups page, or import a backup file below.
      </p>
    );
  }
  return (
    <fieldset className="restore-fieldset">
      <legend className="visually-hidden">Backup to restore from</legend>
      <div className="table-wrap restore-backups">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">
                <span className="visually-hidden">Choose</span>
              </th>
              <th scope="col">Backup</th>
              <th scope="col">Made</th>
              <th scope="col">Kind</th>
              <th scope="col" className="num">
                Files
              </th>
              <th scope="col" className="num">
                Size
              </th>
              <th scope="col">Checked</th>
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
                <td className="mono nowrap">{b.id}</td>
                <td className="nowrap" title={new Date(b.createdAt).toLocaleString()}>
                  {formatAgo(b.createdAt)}
                </td>
                <td>{b.kind}</td>
                <td className="num">{formatCount(b.files)}</td>
                <td className="num">{formatBytes(b.bytes)}</td>
                <td>
                  {b.verified ? (
                    <span className="badge badge-ok">verified</span>
                  ) : (
                    <span className="badge">not yet</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <button type="button" className="button button-small" onClick={onRefresh} disabled={loading}>
        {loading ? <Spinner /> : <RefreshCw size={14} aria-hidden />} Refresh
      </button>
    </fieldset>
  );
}

function UndoPanel(): React.JSX.Element | null {
  const last = useTend((state) => state.lastRestore);
  const loadLast = useTend((state) => state.loadLastRestore);
  const undoRestore = useTend((state) => state.undoRestore);
  const jobId = useTend((state) => state.restoreJobId);
  const running = useTend((state) => (jobId ? state.runningJobs[jobId] : undefined));
  const [error, setError] = useState<TendError | null>(null);
  const [starting, setStarting] = useState(false);

  useEffect(() => {
    if (last.status === 'idle') void loadLast();
  }, [last.status, loadLast]);

  const value = valueOf(last);
  const undoable = useMemo(
    () =>
      value !== null &&
      value !== undefined &&
      value.undoneAt === null &&
      !value.report.undo &&
      value.report.outcome === 'restored' &&
      value.report.safetySnapshot !== null,
    [value],
  );
  if (!value || !undoable) return null;

  async function undo(): Promise<void> {
    setStarting(true);
    setError(null);
    const result = await undoRestore();
    setStarting(false);
    if (!result.ok) setError(result.error);
  }

  return (
    <section className="panel restore-undo" aria-label="Last restore">
      <div className="row">
        <p>
          Last restore: <strong>{describeScope(value.report.scope)}</strong> from{' '}
          {value.report.backupId}, {formatAgo(value.report.finishedAt)} (
          {formatFiles(value.touched.length)} changed).
        </p>
        <span className="spacer" />
        <button
          type="button"
          className="button"
          onClick={() => void undo()}
          disabled={starting || Boolean(running)}
        >
          {starting ? <Spinner /> : <Undo2 size={16} aria-hidden />} Undo this restore
        </button>
      </div>
      {error ? <ErrorBox error={error} title="The undo did not start" /> : null}
    </section>
  );
}

function MoveBackupsPanel(): React.JSX.Element {
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

  const jobs = jobIds.map((id) => runningJobs[id] ?? finishedJobs[id]).filter(Boolean);
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
            job!.state === 'running' || job!.state === 'queued' ? (
              <JobProgressRow key={job!.id} job={job!} />
            ) : (
              <li key={job!.id} className="job">
                <span className="job-title">{job!.title}</span>{' '}
                {job!.error ? (
                  <span className="field-message">
                    {job!.error.message} <code className="error-code">{job!.error.code}</code>
                  </span>
                ) : (
                  <span className="badge badge-ok">done</span>
                )}
              </li>
            ),
          )}
        </ul>
      ) : null}
    </section>
  );
}
