import { useState } from 'react';
import type { TendError } from '../../../../src-shared/errors';
import type { JobRecord } from '../../../../src-shared/models/jobs';
import { countOfTotal, formatBytes, formatEta, fractionOf } from '../../lib/format';
import { CancelJobButton } from '../common/cancel-job-button';
import { ProgressBar } from '../common/progress-bar';

/**
 * "4.2 MiB of 22.3 MiB · 120 of 476 files", with whatever is known: bytes only once some are
 * counted or expected, and never a count above its total.
 */
export function describeProgress(job: JobRecord): string {
  const { bytesDone, bytesTotal, filesDone, filesTotal, unit } = job.progress;
  const parts: string[] = [];
  if (bytesTotal !== null && bytesTotal >= bytesDone && bytesTotal > 0) {
    parts.push(`${formatBytes(bytesDone)} of ${formatBytes(bytesTotal)}`);
  } else if (bytesDone > 0) {
    parts.push(formatBytes(bytesDone));
  }
  if (filesTotal !== null || filesDone > 0)
    parts.push(countOfTotal(filesDone, filesTotal, unit ?? 'file'));
  return parts.join(' · ');
}

/** One running job: title, bar, bytes and files done, current path, time left, Cancel. */
export function JobProgressRow(props: { job: JobRecord }): React.JSX.Element {
  const { job } = props;
  const [error, setError] = useState<TendError | null>(null);
  const { progress } = job;
  const fraction =
    progress.bytesTotal !== null
      ? fractionOf(progress.bytesDone, progress.bytesTotal)
      : progress.filesTotal !== null
        ? fractionOf(progress.filesDone, progress.filesTotal)
        : null;
  const eta = formatEta(progress.etaSeconds);

  return (
    <li className="job" data-testid={`job-${job.id}`}>
      <div className="job-head">
        <span className="job-title">{job.title}</span>
        <span className="job-state">{job.state === 'queued' ? 'Waiting…' : eta}</span>
        <CancelJobButton jobId={job.id} onError={setError} />
      </div>
      <ProgressBar fraction={fraction} label={`Progress of ${job.title}`} />
      <div className="job-detail">
        {describeProgress(job) ? <span className="numeric">{describeProgress(job)}</span> : null}
        {progress.currentPath ? (
          <span className="job-path" title={progress.currentPath}>
            {progress.currentPath}
          </span>
        ) : progress.message ? (
          <span className="job-path">{progress.message}</span>
        ) : null}
      </div>
      {error ? (
        <p className="field-message" role="alert">
          {error.message} <code className="error-code">{error.code}</code>
        </p>
      ) : null}
    </li>
  );
}
