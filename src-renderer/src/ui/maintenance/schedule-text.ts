import type { JobRecord } from '../../../../src-shared/models/jobs';
import { describeOutcome } from '../../lib/job-outcome';

const weekdays = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

function time(hour: string, minute: string): string {
  return `${hour.padStart(2, '0')}:${minute.padStart(2, '0')}`;
}

/**
 * A cron expression in words for the common shapes ("daily at 04:30", "Sundays at 04:00",
 * "on the 1st at 05:00"); anything else is shown as the expression itself.
 */
export function describeCron(cron: string): string {
  const [minute, hour, day, month, weekday] = cron.trim().split(/\s+/);
  if (!minute || !hour || !day || !month || !weekday) return cron;
  const fixed = /^\d+$/;
  if (!fixed.test(minute) || !fixed.test(hour) || month !== '*') return cron;
  const at = time(hour, minute);
  if (day === '*' && weekday === '*') return `Daily at ${at}`;
  if (day === '*' && fixed.test(weekday)) return `${weekdays[Number(weekday) % 7]}s at ${at}`;
  if (fixed.test(day) && weekday === '*') {
    const n = Number(day);
    const suffix =
      n % 10 === 1 && n !== 11
        ? 'st'
        : n % 10 === 2 && n !== 12
          ? 'nd'
          : n % 10 === 3 && n !== 13
            ? 'rd'
            : 'th';
    return `Monthly on the ${n}${suffix} at ${at}`;
  }
  return cron;
}

/** How long a job ran, "1.2 s", "3 min 4 s"; null while it has not ended. */
export function jobDuration(job: JobRecord): string | null {
  if (!job.startedAt || !job.finishedAt) return null;
  const ms = Date.parse(job.finishedAt) - Date.parse(job.startedAt);
  if (!Number.isFinite(ms) || ms < 0) return null;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/**
 * What a job changed, in one line: the detail of its outcome (read from its result with the
 * result's schema, see lib/job-outcome.ts), or its error when it failed.
 */
export function describeChange(job: JobRecord): string | null {
  if (job.state === 'failed' || job.state === 'interrupted') return job.error?.message ?? null;
  if (job.state !== 'succeeded') return null;
  return describeOutcome(job)?.detail ?? null;
}
