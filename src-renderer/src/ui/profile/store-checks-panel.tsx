import { ArchiveRestore, RefreshCw } from 'lucide-react';
import { useEffect } from 'react';
import { describeStoreCheckProgress } from '../../../../src-shared/language/store-check-progress';
import type { JobRecord } from '../../../../src-shared/models/jobs';
import type { StoreInstanceCheck } from '../../../../src-shared/models/profiles';
import { formatAgo, formatBytes, formatCount, formatDateTime, fractionOf } from '../../lib/format';
import { valueOf } from '../../store/loadable';
import { STORE_CHECK_PLACE } from '../../store/profiles-slice';
import { useTend } from '../../store/use-tend';
import { CancelJobButton } from '../common/cancel-job-button';
import { ErrorBox } from '../common/error-box';
import { Loading, Spinner } from '../common/loading';
import { ProgressBar } from '../common/progress-bar';
import { JobOutcomeBox, usePlaceBusy } from '../jobs/job-outcome';
import { severityLabel } from './profile-words';
import {
  LISTED_FINDINGS,
  checksHeadline,
  instanceStatus,
  reclaimableOf,
} from './store-checks-text';
import './profile.css';

const statusBadge = {
  damaged: { className: 'badge badge-bad', text: 'Damaged' },
  reclaimable: { className: 'badge badge-warning', text: 'Space to reclaim' },
  sound: { className: 'badge badge-ok', text: 'Sound' },
} as const;

/**
 * Every store of the open folder, checked: each instance by name with what its check found
 * (a truncated file, a missing table, orphans with their sizes) and what to do, and for a
 * damaged one that a backup holds, "Restore from backup…" with the right scope chosen.
 */
export function StoreChecksPanel(): React.JSX.Element {
  const checks = useTend((state) => state.storeChecks);
  const load = useTend((state) => state.loadStoreChecks);
  const run = useTend((state) => state.runStoreChecks);
  const jobId = useTend((state) => state.placedJobs[STORE_CHECK_PLACE]);
  const running = useTend((state) => (jobId ? state.runningJobs[jobId] : undefined));
  const finished = useTend((state) => (jobId ? state.finishedJobs[jobId] : undefined));
  const busy = usePlaceBusy(STORE_CHECK_PLACE);
  const clearPlace = useTend((state) => state.clearPlace);

  useEffect(() => {
    if (checks.status === 'idle') void load();
  }, [checks.status, load]);

  const value = valueOf(checks);
  // A check that failed or was cancelled says so; the findings below are the last good ones.
  const ended = finished && finished.state !== 'succeeded' ? finished : null;
  return (
    <section
      className="panel store-checks"
      aria-labelledby="store-checks-title"
      data-testid="store-checks"
      data-state={running ? 'running' : value ? 'checked' : checks.status}
    >
      <div className="panel-head">
        <h2 className="panel-title" id="store-checks-title">
          Store checks
        </h2>
        <span className="muted">
          {value ? (
            <span title={formatDateTime(value.checkedAt)}>
              checked {formatAgo(value.checkedAt)}
            </span>
          ) : null}{' '}
          <button
            type="button"
            className="button button-small"
            onClick={() => void run()}
            disabled={busy || checks.status === 'loading'}
          >
            {busy ? <Spinner /> : <RefreshCw size={14} aria-hidden />} Check again
          </button>
        </span>
      </div>
      {checks.status === 'error' ? (
        <ErrorBox
          error={checks.error}
          title="The stores could not be checked"
          onRetry={() => void run()}
        />
      ) : null}
      {running ? <StoreCheckProgress job={running} /> : null}
      {ended ? <JobOutcomeBox job={ended} onDismiss={() => clearPlace(STORE_CHECK_PLACE)} /> : null}
      {value === null ? (
        checks.status === 'loading' || (checks.status === 'idle' && !running) ? (
          <Loading label="Reading the last check…" />
        ) : null
      ) : (
        <>
          <p data-testid="store-checks-headline">{checksHeadline(value)}</p>
          <ul className="store-check-list">
            {value.instances.map((instance) => (
              <StoreInstanceRow key={`${instance.storeId}:${instance.path}`} instance={instance} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/** A store check under way: stores done of all, bytes read, the one being read, Cancel. */
function StoreCheckProgress(props: { job: JobRecord }): React.JSX.Element {
  const { job } = props;
  const { progress } = job;
  return (
    <div className="store-check-progress" data-testid="store-check-progress" role="status">
      <ProgressBar
        fraction={
          progress.filesTotal === null ? null : fractionOf(progress.filesDone, progress.filesTotal)
        }
        label="Progress of the store check"
      />
      <p className="small">
        <span className="numeric">{describeStoreCheckProgress(progress)}</span>
        {progress.message ? <span className="muted"> · {progress.message}</span> : null}{' '}
        <CancelJobButton jobId={job.id} />
      </p>
    </div>
  );
}

function StoreInstanceRow(props: { instance: StoreInstanceCheck }): React.JSX.Element {
  const { instance } = props;
  const restoreFromOffer = useTend((state) => state.restoreFromOffer);
  const status = instanceStatus(instance);
  const badge = statusBadge[status];
  const listed = instance.findings.slice(0, LISTED_FINDINGS);
  const rest = instance.findings.slice(LISTED_FINDINGS);
  const restBytes = rest.reduce((sum, finding) => sum + (finding.bytes ?? 0), 0);
  const reclaim = reclaimableOf(instance);
  return (
    <li
      className="store-check"
      data-testid={`store-check-${instance.storeId}`}
      data-path={instance.path}
    >
      <div className="store-check-head">
        <span className={badge.className}>{badge.text}</span>
        <span className="store-check-name">{instance.label}</span>
        <span className="muted mono small">{instance.path}</span>
        {reclaim > 0 ? (
          <span className="numeric store-check-bytes" data-bytes={reclaim}>
            {formatBytes(reclaim)} to reclaim
          </span>
        ) : null}
      </div>
      <p className="muted store-check-summary">
        {instance.title}: {instance.summary}
      </p>
      {listed.length > 0 ? (
        <ul className="store-findings">
          {listed.map((finding, index) => (
            <li
              key={`${finding.code}:${finding.path}:${index}`}
              className={`store-finding store-finding-${finding.severity}`}
              data-code={finding.code}
            >
              <span className="store-finding-severity small">
                {severityLabel[finding.severity]}
              </span>
              <span>
                {finding.message}
                {finding.bytes !== undefined ? (
                  <span className="numeric store-finding-bytes">
                    {' '}
                    ({formatBytes(finding.bytes)})
                  </span>
                ) : null}{' '}
                <span className="muted">{finding.action}</span>
              </span>
            </li>
          ))}
        </ul>
      ) : null}
      {rest.length > 0 ? (
        <p className="muted small">
          …and {formatCount(rest.length)} more{restBytes > 0 ? ` (${formatBytes(restBytes)})` : ''}.
        </p>
      ) : null}
      {instance.restore ? (
        <div className="store-check-restore">
          <button
            type="button"
            className="button"
            onClick={() => restoreFromOffer(instance.restore!)}
          >
            <ArchiveRestore size={16} aria-hidden /> Restore from backup…
          </button>
          <span className="muted small">
            {instance.restore.backupId}, made {formatAgo(instance.restore.createdAt)}, holds it
          </span>
        </div>
      ) : !instance.ok ? (
        <p className="muted small">No backup holds it yet: nothing can bring it back from here.</p>
      ) : null}
    </li>
  );
}
