import type { JobRecord } from '../../../../src-shared/models/jobs';

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

const bytes = (n: number) =>
  n >= 1e9
    ? `${(n / 1e9).toFixed(1)} GB`
    : n >= 1e6
      ? `${(n / 1e6).toFixed(1)} MB`
      : n >= 1e3
        ? `${(n / 1e3).toFixed(0)} kB`
        : `${n} B`;

/**
 * What a job changed, in one line, from its result: the fields the maintenance, backup,
 * cleanup and index jobs report. Any other job shows nothing rather than raw JSON.
 */
export function describeChange(job: JobRecord): string | null {
  if (job.state === 'failed' || job.state === 'interrupted') return job.error?.message ?? null;
  const r = job.result;
  if (typeof r !== 'object' || r === null) return null;
  const v = r as Record<string, unknown>;
  const num = (key: string) => (typeof v[key] === 'number' ? (v[key] as number) : null);
  const parts: string[] = [];
  if (num('rowsMoved') !== null) parts.push(`${num('rowsMoved')} rows archived`);
  if (job.kind === 'scrub' && num('rows') !== null) parts.push(`${num('rows')} rows scrubbed`);
  if (num('records') !== null) parts.push(`${num('records')} records`);
  if (num('moved') !== null) parts.push(`${num('moved')} files moved`);
  if (Array.isArray(v.applied)) parts.push(`${v.applied.length} schema step(s)`);
  if (num('filesRemoved') !== null) parts.push(`${num('filesRemoved')} files removed`);
  if (num('files') !== null && parts.length === 0) parts.push(`${num('files')} files`);
  const freed = num('bytesFreed') ?? num('freedBytes');
  if (freed !== null && freed > 0) parts.push(`${bytes(freed)} freed`);
  if (num('bytes') !== null && parts.length <= 1 && freed === null)
    parts.push(bytes(num('bytes')!));
  if (v.dryRun === true) parts.push('dry run');
  return parts.length > 0 ? parts.join(', ') : null;
}
