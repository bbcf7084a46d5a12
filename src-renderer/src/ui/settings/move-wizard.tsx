import { ArrowRight, FolderInput, RotateCcw } from 'lucide-react';
import { useEffect, useState, type FormEvent } from 'react';
import type { TendError } from '../../../../src-shared/errors';
import { isFinished, type JobRecord } from '../../../../src-shared/models/jobs';
import { MoveReportSchema, type MovePlan } from '../../../../src-shared/models/move';
import { countOf, formatBytes } from '../../lib/format';
import { useTend } from '../../store/use-tend';
import { Dialog } from '../common/dialog';
import { ErrorBox } from '../common/error-box';
import { Spinner } from '../common/loading';
import { PickButton } from '../common/pick-button';
import { JobOutcomeBox } from '../jobs/job-outcome';
import { JobProgressRow } from '../jobs/job-progress';
import { MoveOldCopy } from './move-old-copy';
import { MovePlanView } from './move-plan-view';
import './move.css';

/**
 * "Move data folder…": choose the target → read the plan (each check, the configuration
 * change) → copy and verify with progress, time left and Cancel → the result, with the old
 * copy, "Remove the old copy" and "Move back". A move already running is followed here.
 */
export function MoveWizard(props: {
  onClose: () => void;
  /** A move job already running when the wizard opens. */
  runningJobId: string | null;
}): React.JSX.Element {
  const { onClose, runningJobId } = props;
  const planMove = useTend((state) => state.planMove);
  const startMove = useTend((state) => state.startMove);
  const [target, setTarget] = useState('');
  const [plan, setPlan] = useState<MovePlan | null>(null);
  const [planning, setPlanning] = useState(false);
  const [error, setError] = useState<TendError | null>(null);
  const [jobId, setJobId] = useState<string | null>(runningJobId);
  const job = useTend((state) =>
    jobId ? (state.runningJobs[jobId] ?? state.finishedJobs[jobId] ?? null) : null,
  );

  async function check(event?: FormEvent): Promise<void> {
    event?.preventDefault();
    setError(null);
    setPlan(null);
    setPlanning(true);
    const result = await planMove(target.trim());
    setPlanning(false);
    if (result.ok) setPlan(result.value);
    else setError(result.error);
  }

  async function start(): Promise<void> {
    if (!plan) return;
    setError(null);
    const result = await startMove(plan.target);
    if (!result) return;
    if (result.ok) setJobId(result.value.id);
    else setError(result.error);
  }

  function again(): void {
    setJobId(null);
    setPlan(null);
    setError(null);
  }

  return (
    <Dialog title="Move the data folder" onClose={onClose} className="move-dialog">
      {job ? (
        <MoveJobView job={job} onAgain={again} onStarted={setJobId} />
      ) : (
        <>
          <form className="move-target" onSubmit={(event) => void check(event)} noValidate>
            <div className="field field-wide">
              <label htmlFor="move-target">Move it to</label>
              <div className="input-row">
                <input
                  id="move-target"
                  className="input mono"
                  value={target}
                  onChange={(event) => {
                    setTarget(event.target.value);
                    setPlan(null);
                  }}
                  placeholder="/mnt/big-disk/assistant-data"
                  spellCheck={false}
                  autoComplete="off"
                  aria-describedby="move-target-hint"
                />
                <PickButton
                  request={{ folder: 'create' }}
                  onPicked={(picked) => {
                    setTarget(picked);
                    setPlan(null);
                  }}
                  onError={setError}
                />
              </div>
              <p className="field-hint" id="move-target-hint">
                A new folder (its parent must exist) or an empty one, outside the data folder:
                another disk for more room. Nothing happens until you have read the plan.
              </p>
            </div>
            <div className="form-actions">
              <button
                type="submit"
                className={plan ? 'button' : 'button button-primary'}
                disabled={planning || target.trim() === ''}
              >
                {planning ? <Spinner /> : <ArrowRight size={16} aria-hidden />} Check this place
              </button>
            </div>
          </form>
          {error ? <ErrorBox error={error} title="Tend cannot move the data there" /> : null}
          {plan ? (
            <>
              <MovePlanView plan={plan} />
              <div className="dialog-actions">
                <button type="button" className="button" onClick={onClose}>
                  Not now
                </button>
                <button
                  type="button"
                  className="button button-primary"
                  disabled={plan.refusals.length > 0}
                  onClick={() => void start()}
                >
                  <FolderInput size={16} aria-hidden /> Move {countOf(plan.files, 'file')} (
                  {formatBytes(plan.bytes)})
                </button>
              </div>
            </>
          ) : null}
        </>
      )}
    </Dialog>
  );
}

/** The move job: its progress while it runs, then how it ended. */
function MoveJobView(props: {
  job: JobRecord;
  onAgain: () => void;
  onStarted: (jobId: string) => void;
}): React.JSX.Element {
  const { job, onAgain, onStarted } = props;
  const moveStatus = useTend((state) => state.moveStatus);
  const loadMoveStatus = useTend((state) => state.loadMoveStatus);
  const rootPath = useTend((state) => (state.root.status === 'open' ? state.root.info.path : null));
  const finished = isFinished(job.state);
  // The status is read again once the job ended and again once the engine opened the folder
  // at its new place (the move back is offered only from there).
  useEffect(() => {
    if (finished) void loadMoveStatus();
  }, [finished, rootPath, loadMoveStatus]);

  if (!finished) {
    return (
      <div className="move-running" data-testid="move-running">
        <p className="muted">
          Tend copies every file and checks it against the original. The data folder stays as it is
          until the copy is proven; Cancel removes the partial copy and changes nothing.
        </p>
        <ul className="job-list">
          <JobProgressRow job={job} />
        </ul>
      </div>
    );
  }
  const report = job.state === 'succeeded' ? MoveReportSchema.safeParse(job.result) : null;
  if (!report?.success) {
    return (
      <div className="move-result">
        <JobOutcomeBox job={job} />
        <p className="muted">The data folder was not moved: it is where it was, as it was.</p>
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onAgain}>
            <RotateCcw size={16} aria-hidden /> Choose another place
          </button>
        </div>
      </div>
    );
  }
  const { record, checks, seconds } = report.data;
  const back = record.movedBackAt !== null;
  const status = moveStatus.status === 'ready' ? moveStatus.value : null;
  return (
    <div className="move-result" data-testid="move-result">
      <div className="notice notice-ok" role="status">
        <div>
          <strong>
            {back
              ? `Moved back to ${record.from}.`
              : `Moved to ${record.to}: ${countOf(record.files, 'file')} (${formatBytes(record.bytes)}) in ${seconds.toFixed(1)} s.`}
          </strong>{' '}
          {back
            ? 'The configuration is as it was before the move.'
            : 'Tend now manages the data folder at its new place.'}
        </div>
      </div>
      {checks.length > 0 ? (
        <ul className="move-checks">
          {checks.map((check) => (
            <li
              key={check.name}
              className={`move-check move-check-${check.ok ? 'passed' : 'refused'}`}
            >
              <span aria-hidden>{check.ok ? '✓' : '✗'}</span>
              <span className="move-check-title">{check.name}</span>
              <span className="move-check-detail">{check.detail}</span>
            </li>
          ))}
        </ul>
      ) : null}
      {!back && record.changes.some((change) => change.kind === 'env') ? (
        <div className="notice notice-warning">
          <div>
            Put the line{record.changes.filter((c) => c.kind === 'env').length > 1 ? 's' : ''} shown
            in the plan where the app is started before you start it again:{' '}
            {record.changes
              .flatMap((change) => (change.kind === 'env' ? [change.line] : []))
              .map((line) => (
                <code key={line} className="move-code">
                  {line}
                </code>
              ))}
          </div>
        </div>
      ) : null}
      {status && !back ? <MoveOldCopy status={status} onStarted={onStarted} /> : null}
    </div>
  );
}
