import { ArchiveRestore, ArrowLeft, ArrowRight } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import type { TendError } from '../../../../src-shared/errors';
import type { Category } from '../../../../src-shared/models/categories';
import {
  RestoreReportSchema,
  type RestorableBackup,
  type RestoreReport,
  type RestoreScope,
} from '../../../../src-shared/models/restore';
import { describeRestoreCounts, planCounts } from '../../../../src-shared/models/restore-counts';
import { formatAgo, formatDateTime } from '../../lib/format';
import { restoreChoices } from '../../../../src-shared/models/snapshot-choices';
import { valueOf } from '../../store/loadable';
import type { RestoreDraft, RestoreStep } from '../../store/restore-slice';
import { useTend } from '../../store/use-tend';
import { ErrorBox } from '../common/error-box';
import { Loading, Spinner } from '../common/loading';
import { JobProgressRow } from '../jobs/job-progress';
import { stopAppFirst } from '../profile/profile-words';
import { useOpenProfile } from '../profile/use-open-profile';
import { BackupChoice } from './backup-choice';
import { RestorePlanView, describeScope } from './restore-plan-view';
import { RestoreReportView } from './restore-report-view';
import { RestoreScopeChoice } from './restore-scope-choice';

const steps = ['Backup', 'What to restore', 'Preview', 'Restore', 'Report'] as const;

/** The scope the draft describes, or null while it is not complete. */
export function scopeOf(draft: RestoreDraft): RestoreScope | null {
  switch (draft.scopeKind) {
    case 'everything':
      return { kind: 'everything' };
    case 'categories':
      return draft.categories.length > 0
        ? { kind: 'categories', categories: [...draft.categories] as Category[] }
        : null;
    case 'collection':
      return draft.collection ? { kind: 'collection', collection: draft.collection } : null;
    case 'scope':
      return draft.scope && draft.scopeItem
        ? { kind: 'scope', scope: draft.scope, id: draft.scopeItem }
        : null;
    case 'paths': {
      const list = draft.paths
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean);
      return list.length > 0 ? { kind: 'paths', paths: list } : null;
    }
  }
}

/** A report from a finished restore job's result, read with its schema. */
function reportOf(value: unknown): RestoreReport | null {
  const parsed = RestoreReportSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/**
 * The restore wizard: choose a backup, choose what, preview, confirm and watch, report.
 *
 * Where it stands lives in the store: leaving the page and coming back finds it as left, and a
 * restore that runs (started here, from the tray, or before a reload) takes it over, with its
 * progress and then its report.
 */
export function RestoreWizard(): React.JSX.Element {
  const backups = useTend((state) => state.restoreBackups);
  const snapshots = valueOf(useTend((state) => state.repositorySnapshots));
  const loadBackups = useTend((state) => state.loadRestoreBackups);
  const planRestore = useTend((state) => state.planRestore);
  const applyRestore = useTend((state) => state.applyRestore);
  const draft = useTend((state) => state.restoreDraft);
  const edit = useTend((state) => state.editRestoreDraft);
  const reset = useTend((state) => state.resetRestoreDraft);
  const overviewLoaded = useTend((state) => state.restoreOverviewLoaded);
  const jobId = useTend((state) => state.restoreJobId);
  const running = useTend((state) => (jobId ? state.runningJobs[jobId] : undefined));
  const finished = useTend((state) => (jobId ? state.finishedJobs[jobId] : undefined));
  const profile = useOpenProfile();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<TendError | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const firstRender = useRef(true);

  useEffect(() => {
    if (backups.status === 'idle') void loadBackups();
  }, [backups.status, loadBackups]);

  // A followed restore job decides the step: its progress, then its report.
  const shown: RestoreStep = jobId ? (finished ? 4 : 3) : draft.step;

  // Each step's heading takes the focus, so a keyboard or screen reader user starts there.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    headingRef.current?.focus();
  }, [shown]);

  // Archives and, when an encrypted repository is set and unlocked, its snapshots (issue 12).
  const list = restoreChoices(valueOf(backups) ?? [], snapshots?.snapshots ?? []);
  const backup = list.find((b) => b.archivePath === draft.backupPath) ?? null;
  const scope = scopeOf(draft);
  const plan = draft.plan;
  const goTo = (step: RestoreStep) => edit({ step });

  async function chooseBackup(next: RestorableBackup): Promise<void> {
    edit({ backupPath: next.archivePath, overview: null, collection: '', plan: null });
    // The "everything" preview lists the collections a one-collection restore can pick from.
    const result = await planRestore(next.archivePath, { kind: 'everything' });
    if (result.ok) overviewLoaded(next.archivePath, result.value);
  }

  async function toPreview(): Promise<void> {
    if (!backup || !scope || busy) return;
    setBusy(true);
    setError(null);
    const result = await planRestore(backup.archivePath, scope);
    setBusy(false);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    edit({ plan: result.value, confirmed: false, step: 2 });
  }

  async function start(): Promise<void> {
    if (!backup || !scope || busy) return;
    setBusy(true);
    setError(null);
    const result = await applyRestore(backup.archivePath, scope);
    setBusy(false);
    if (!result.ok) setError(result.error);
  }

  function restart(): void {
    reset();
    setError(null);
  }

  const report = finished?.state === 'succeeded' ? reportOf(finished.result) : null;
  const failedReport =
    finished?.error?.details && typeof finished.error.details === 'object'
      ? reportOf((finished.error.details as { report?: unknown }).report)
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
          selected={draft.backupPath}
          onSelect={(b) => void chooseBackup(b)}
          onRefresh={() => void loadBackups()}
        />
      ) : null}

      {shown === 1 && backup ? (
        <RestoreScopeChoice backup={backup} draft={draft} onChange={edit} />
      ) : null}

      {shown === 2 && plan ? <RestorePlanView plan={plan} /> : null}

      {shown === 3 ? (
        running ? (
          <ul className="job-list">
            <JobProgressRow job={running} />
          </ul>
        ) : jobId ? (
          <Loading label="Following the restore…" />
        ) : plan && backup ? (
          <div className="restore-confirm">
            <p data-testid="restore-confirm-summary">
              Restore <strong>{describeScope(plan.scope).toLowerCase()}</strong> from{' '}
              <strong>{backup.id}</strong> (made {formatDateTime(backup.createdAt)},{' '}
              {formatAgo(backup.createdAt)}): {describeRestoreCounts(planCounts(plan.totals))}
            </p>
            <p className="muted">
              First a safety snapshot of every file that changes is written, then the backup is
              unpacked beside the data and checked file by file, swapped in, and checked again. If a
              check fails, everything is put back by itself. {stopAppFirst(profile)}
            </p>
            <label className="row">
              <input
                type="checkbox"
                checked={draft.confirmed}
                onChange={(event) => edit({ confirmed: event.target.checked })}
              />
              I want to restore this now
            </label>
          </div>
        ) : (
          <p className="muted">Choose a backup and what to restore first.</p>
        )
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
          <button type="button" className="button" onClick={() => goTo((shown - 1) as RestoreStep)}>
            <ArrowLeft size={16} aria-hidden /> Back
          </button>
        ) : null}
        {shown === 3 && !jobId ? (
          <button type="button" className="button" onClick={() => goTo(2)}>
            <ArrowLeft size={16} aria-hidden /> Back
          </button>
        ) : null}
        <span className="spacer" />
        {shown > 0 && shown < 3 ? (
          <button type="button" className="button" onClick={restart}>
            Start over
          </button>
        ) : null}
        {shown === 0 ? (
          <button
            type="button"
            className="button button-primary"
            disabled={!backup}
            onClick={() => goTo(1)}
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
            onClick={() => goTo(3)}
          >
            Next <ArrowRight size={16} aria-hidden />
          </button>
        ) : null}
        {shown === 3 && !jobId ? (
          <button
            type="button"
            className="button button-danger"
            disabled={!draft.confirmed || busy || !plan}
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
