import { CircleAlert, CircleCheck, CircleX, X } from 'lucide-react';
import type { JobRecord } from '../../../../src-shared/models/jobs';
import { describeOutcome } from '../../lib/job-outcome';
import { useTend } from '../../store/use-tend';
import { JobProgressRow } from './job-progress';

const icons = { ok: CircleCheck, warning: CircleAlert, bad: CircleX } as const;
const boxes = {
  ok: 'notice notice-ok',
  warning: 'notice notice-warning',
  bad: 'error-box',
} as const;

/** How a finished job ended: what it changed, or what went wrong and what to do. */
export function JobOutcomeBox(props: {
  job: JobRecord;
  onDismiss?: () => void;
}): React.JSX.Element | null {
  const { job, onDismiss } = props;
  const outcome = describeOutcome(job);
  if (!outcome) return null;
  const Icon = icons[outcome.tone];
  return (
    <div
      className={`${boxes[outcome.tone]} job-outcome`}
      role={outcome.tone === 'bad' ? 'alert' : 'status'}
      data-testid="job-outcome"
      data-state={job.state}
    >
      <Icon className="job-outcome-icon" size={18} aria-hidden />
      <div className="job-outcome-body">
        <p>
          <strong>
            {job.title}: {outcome.title}
          </strong>
          {job.error && job.state !== 'cancelled' ? (
            <>
              {' '}
              <code className="error-code">{job.error.code}</code>
            </>
          ) : null}
        </p>
        {outcome.detail ? <p className="job-outcome-detail">{outcome.detail}</p> : null}
        {outcome.advice ? <p className="job-outcome-advice">{outcome.advice}</p> : null}
      </div>
      {onDismiss ? (
        <button
          type="button"
          className="button button-small job-outcome-dismiss"
          onClick={onDismiss}
          aria-label="Dismiss this message"
        >
          <X size={14} aria-hidden />
        </button>
      ) : null}
    </div>
  );
}

/**
 * The job last started from a place of a page: its progress while it runs (when asked, where
 * no other list shows it), then how it ended, until dismissed.
 */
export function PlacedJob(props: {
  place: string;
  withProgress?: boolean;
}): React.JSX.Element | null {
  const { place, withProgress = false } = props;
  const id = useTend((state) => state.placedJobs[place]);
  const running = useTend((state) => (id ? state.runningJobs[id] : undefined));
  const finished = useTend((state) => (id ? state.finishedJobs[id] : undefined));
  const clearPlace = useTend((state) => state.clearPlace);
  if (!id) return null;
  if (finished) return <JobOutcomeBox job={finished} onDismiss={() => clearPlace(place)} />;
  if (withProgress && running) {
    return (
      <ul className="job-list">
        <JobProgressRow job={running} />
      </ul>
    );
  }
  return null;
}

/** Whether a place has a start on its way or a job still running. */
export function usePlaceBusy(place: string): boolean {
  return useTend((state) => {
    if (state.startingAt[place]) return true;
    const id = state.placedJobs[place];
    return id !== undefined && state.runningJobs[id] !== undefined;
  });
}
