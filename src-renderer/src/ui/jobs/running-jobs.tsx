import { useMemo } from 'react';
import { useTend } from '../../store/use-tend';
import { JobProgressRow } from './job-progress';

/** The strip of jobs running now; nothing at all when none is. */
export function RunningJobs(): React.JSX.Element | null {
  const running = useTend((state) => state.runningJobs);
  const jobs = useMemo(
    () => Object.values(running).sort((a, b) => a.createdAt.localeCompare(b.createdAt)),
    [running],
  );
  if (jobs.length === 0) return null;
  return (
    <section className="panel jobs-strip" aria-label="Running jobs">
      <h2 className="panel-title">Running now</h2>
      <ul className="job-list">
        {jobs.map((job) => (
          <JobProgressRow key={job.id} job={job} />
        ))}
      </ul>
    </section>
  );
}
