import { Archive, Database, Pause, Play, RefreshCw, ShieldCheck } from 'lucide-react';
import { useEffect, useState } from 'react';
import type { TendError } from '../../../../src-shared/errors';
import type { JobRecord } from '../../../../src-shared/models/jobs';
import type { ScheduleStatus } from '../../../../src-shared/models/maintenance';
import { jobStateNames } from '../../../../src-shared/language/names';
import {
  countOf,
  formatAgo,
  formatBytes,
  formatCount,
  formatDateTime,
  formatDay,
} from '../../lib/format';
import type { RunEntry } from '../../store/maintenance-slice';
import { valueOf } from '../../store/loadable';
import { useTend } from '../../store/use-tend';
import { ErrorBox } from '../common/error-box';
import { Loading, Spinner } from '../common/loading';
import { PageHeader } from '../common/page-header';
import { PlacedJob, usePlaceBusy } from '../jobs/job-outcome';
import { useOpenProfile } from '../profile/use-open-profile';
import { LegacyMigrationPanel } from './legacy-migration-panel';
import { RecordsTransferPanel } from './records-transfer-panel';
import { RetentionPolicyEditor } from './retention-policy-editor';
import { describeChange, describeCron, jobDuration } from './schedule-text';
import './maintenance.css';

const stateBadge: Record<JobRecord['state'], string> = {
  queued: 'badge',
  running: 'badge',
  succeeded: 'badge badge-ok',
  failed: 'badge badge-bad',
  cancelled: 'badge badge-warning',
  interrupted: 'badge badge-bad',
};

function Outcome(props: { job: JobRecord | null }): React.JSX.Element {
  if (!props.job) return <span className="muted">No run yet</span>;
  return <span className={stateBadge[props.job.state]}>{jobStateNames[props.job.state]}</span>;
}

const triggerNames: Readonly<Record<RunEntry['trigger'], string>> = {
  schedule: 'On schedule',
  'catch-up': 'Caught up',
  manual: 'Run now',
  started: 'Started by you',
};

const isFailure = (job: JobRecord | null) =>
  job !== null && (job.state === 'failed' || job.state === 'interrupted');

/**
 * Maintenance: every scheduled job of every domain with its schedule, last run, outcome,
 * duration, what it changed and next run, with "Run now" and pause/resume; the history of
 * runs; and the data lifecycle (schema version, analytics tiers, the legacy migration).
 */
export function MaintenancePage(): React.JSX.Element {
  const schedules = useTend((state) => state.maintenanceSchedules);
  const load = useTend((state) => state.loadMaintenance);
  const watch = useTend((state) => state.watchMaintenance);
  useEffect(() => watch(), [watch]);
  useEffect(() => {
    if (schedules.status === 'idle') void load();
  }, [schedules.status, load]);

  // An analytics folder (profile `analytics`) keeps only the analytics tables: no assistant.db
  // to scrub (its archival anonymises the rows that stay) and no records to export.
  const analytics = useOpenProfile()?.id === 'analytics';
  const list = valueOf(schedules);
  const failures = (list ?? []).filter((s) => isFailure(s.lastJob)).length;
  return (
    <>
      <PageHeader
        title="Maintenance"
        subtitle="Every scheduled job in one place, and the upkeep of the assistant's data."
        actions={
          <button
            type="button"
            className="button"
            onClick={() => void load()}
            disabled={schedules.status === 'loading'}
          >
            {schedules.status === 'loading' ? <Spinner /> : <RefreshCw size={16} aria-hidden />}{' '}
            Refresh
          </button>
        }
      />
      {failures > 0 ? (
        <div className="notice notice-warning" role="alert" data-testid="schedule-failures">
          {failures === 1 ? 'One scheduled job' : `${formatCount(failures)} scheduled jobs`} failed
          on the last run. The row says why; &quot;Run now&quot; tries again.
        </div>
      ) : null}
      {schedules.status === 'error' ? (
        <ErrorBox
          error={schedules.error}
          title="Could not read the schedules"
          onRetry={() => void load()}
        />
      ) : null}
      <LegacyMigrationPanel />
      <section className="panel" aria-labelledby="schedules-title">
        <div className="panel-head">
          <h2 className="panel-title" id="schedules-title">
            Scheduled jobs
          </h2>
        </div>
        {list === null ? (
          schedules.status !== 'error' ? (
            <Loading label="Reading the schedules…" />
          ) : null
        ) : list.length === 0 ? (
          <p className="muted">No scheduled jobs.</p>
        ) : (
          <div className="table-wrap">
            <table className="table schedule-table" data-testid="schedule-table">
              <thead>
                <tr>
                  <th>Job and schedule</th>
                  <th>Last run</th>
                  <th>What it changed</th>
                  <th>Next run</th>
                  <th aria-label="Actions" />
                </tr>
              </thead>
              <tbody>
                {list.map((schedule) => (
                  <ScheduleRow key={schedule.id} schedule={schedule} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <RunHistory schedules={list ?? []} />
      <DataLifecycle analytics={analytics} />
      {/* Its records (collections, chat sessions, interactions) are the native store's. */}
      {analytics ? null : <RecordsTransferPanel />}
    </>
  );
}

function ScheduleRow(props: { schedule: ScheduleStatus }): React.JSX.Element {
  const { schedule } = props;
  const runNow = useTend((state) => state.runScheduleNow);
  const setPaused = useTend((state) => state.setSchedulePaused);
  const running = useTend((state) =>
    schedule.lastJob ? state.runningJobs[schedule.lastJob.id] : undefined,
  );
  const [busy, setBusy] = useState<'run' | 'pause' | null>(null);
  const [error, setError] = useState<TendError | null>(null);
  const job = schedule.lastJob;

  async function act(kind: 'run' | 'pause'): Promise<void> {
    setBusy(kind);
    setError(null);
    const result =
      kind === 'run' ? await runNow(schedule.id) : await setPaused(schedule.id, !schedule.paused);
    setBusy(null);
    if (!result.ok) setError(result.error);
  }

  return (
    <>
      <tr
        className={isFailure(job) ? 'row-failed' : schedule.paused ? 'row-paused' : undefined}
        data-testid={`schedule-${schedule.id}`}
      >
        <td>
          <div className="schedule-title">{schedule.title}</div>
          <div className="muted small" title={schedule.cron}>
            {describeCron(schedule.cron)}
            {schedule.paused ? (
              <span className="badge badge-warning paused-badge">Paused</span>
            ) : null}
          </div>
        </td>
        <td>
          {running ? <span className="badge">{jobStateNames.running}</span> : <Outcome job={job} />}
          <div className="muted small">
            {schedule.lastRunAt ? (
              <span title={formatDateTime(schedule.lastRunAt)}>
                {formatAgo(schedule.lastRunAt)}
              </span>
            ) : null}
            {job && jobDuration(job) ? ` · took ${jobDuration(job)}` : null}
          </div>
        </td>
        <td className="change-cell">{job ? (describeChange(job) ?? '–') : '–'}</td>
        <td>
          {schedule.paused ? (
            <span className="muted">Paused</span>
          ) : schedule.nextRunAt ? (
            <span title={formatDateTime(schedule.nextRunAt)}>{formatAgo(schedule.nextRunAt)}</span>
          ) : (
            '–'
          )}
        </td>
        <td className="table-actions">
          <button
            type="button"
            className="button button-small"
            onClick={() => void act('run')}
            disabled={busy !== null || running !== undefined}
          >
            {busy === 'run' ? <Spinner /> : <Play size={14} aria-hidden />} Run now
          </button>
          <button
            type="button"
            className="button button-small"
            onClick={() => void act('pause')}
            disabled={busy !== null}
          >
            {schedule.paused ? <Play size={14} aria-hidden /> : <Pause size={14} aria-hidden />}{' '}
            {schedule.paused ? 'Resume' : 'Pause'}
          </button>
        </td>
      </tr>
      {error ? (
        <tr>
          <td colSpan={5}>
            <ErrorBox
              error={error}
              title={`Could not ${busy === 'pause' ? 'change' : 'run'} ${schedule.title}`}
            />
          </td>
        </tr>
      ) : null}
    </>
  );
}

function RunHistory(props: { schedules: ReadonlyArray<ScheduleStatus> }): React.JSX.Element {
  const runs = useTend((state) => state.maintenanceRuns);
  const filter = useTend((state) => state.maintenanceRunFilter);
  const loadRuns = useTend((state) => state.loadMaintenanceRuns);
  const list = valueOf(runs);
  const titles = new Map(props.schedules.map((s) => [s.id, s.title]));
  return (
    <section className="panel" aria-labelledby="history-title">
      <div className="panel-head">
        <h2 className="panel-title" id="history-title">
          Run history
        </h2>
        <span className="spacer" />
        <label className="inline-field">
          Job{' '}
          <select
            className="select"
            value={filter.scheduleId ?? ''}
            onChange={(event) =>
              void loadRuns({ ...filter, scheduleId: event.target.value || null })
            }
            data-testid="history-schedule"
          >
            <option value="">All jobs</option>
            {props.schedules.map((s) => (
              <option key={s.id} value={s.id}>
                {s.title}
              </option>
            ))}
          </select>
        </label>
        <label className="inline-field">
          <input
            type="checkbox"
            checked={filter.failuresOnly}
            onChange={(event) => void loadRuns({ ...filter, failuresOnly: event.target.checked })}
            data-testid="history-failures"
          />{' '}
          Failures only
        </label>
      </div>
      {runs.status === 'error' ? (
        <ErrorBox error={runs.error} title="Could not read the history" />
      ) : null}
      {list === null ? null : list.length === 0 ? (
        <p className="muted">
          {filter.failuresOnly || filter.scheduleId
            ? 'No run matches these filters.'
            : 'No job has run yet: none on a schedule, none started here or from the command line.'}
        </p>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="history-table">
            <thead>
              <tr>
                <th>Started</th>
                <th>Job</th>
                <th>How</th>
                <th>Outcome</th>
                <th className="numeric">Took</th>
                <th>What it changed</th>
              </tr>
            </thead>
            <tbody>
              {list.map((run) => (
                <tr key={run.job.id} className={isFailure(run.job) ? 'row-failed' : undefined}>
                  <td title={formatDateTime(run.job.createdAt)}>{formatAgo(run.job.createdAt)}</td>
                  <td>{(run.scheduleId && titles.get(run.scheduleId)) ?? run.job.title}</td>
                  <td>{triggerNames[run.trigger]}</td>
                  <td>
                    <Outcome job={run.job} />
                  </td>
                  <td className="numeric">{jobDuration(run.job) ?? '–'}</td>
                  <td className="change-cell">{describeChange(run.job) ?? '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function DataLifecycle(props: { analytics: boolean }): React.JSX.Element {
  const { analytics } = props;
  const tiers = useTend((state) => state.maintenanceTiers);
  const schema = useTend((state) => state.maintenanceSchema);
  const start = useTend((state) => state.startMaintenanceJob);
  const startJobAt = useTend((state) => state.startJobAt);
  const running = useTend((state) => state.runningJobs);
  const placeBusy = usePlaceBusy('lifecycle');
  const [error, setError] = useState<TendError | null>(null);
  const t = valueOf(tiers);
  const s = valueOf(schema);
  const busy =
    placeBusy ||
    Object.values(running).some((job) => ['archival', 'scrub', 'migration'].includes(job.kind));

  async function act(action: Parameters<typeof start>[0]): Promise<void> {
    setError(null);
    // A double click starts one job: the second click finds the first start on its way.
    const result = await startJobAt('lifecycle', () => start(action));
    if (result && !result.ok) setError(result.error);
  }

  return (
    <section className="panel" aria-labelledby="lifecycle-title">
      <div className="panel-head">
        <h2 className="panel-title" id="lifecycle-title">
          Assistant data lifecycle
        </h2>
        <span className="spacer" />
        {analytics ? null : (
          <button
            type="button"
            className="button"
            disabled={busy || !t}
            onClick={() => void act({ kind: 'scrub', dryRun: false })}
          >
            <ShieldCheck size={16} aria-hidden /> Scrub now
          </button>
        )}
        <button
          type="button"
          className="button"
          disabled={busy || !t}
          onClick={() => void act({ kind: 'archive', dryRun: false })}
        >
          <Archive size={16} aria-hidden /> Archive now
        </button>
      </div>
      {error ? <ErrorBox error={error} title="Could not start" /> : null}
      <PlacedJob place="lifecycle" withProgress />
      {tiers.status === 'error' && tiers.error.code !== 'ASSISTANT_DB_MISSING' ? (
        <ErrorBox error={tiers.error} title="Could not read the analytics tiers" />
      ) : null}
      <dl className="stats lifecycle-stats" data-testid="tiers">
        {s && s.current === null && s.pending.length === 0 ? null : (
          <div className="stat">
            <dt className="stat-label">
              <Database size={14} aria-hidden /> Schema of assistant.db
            </dt>
            <dd className="stat-value">
              {s ? (s.current === null ? 'None' : `v${s.current}`) : '–'}
            </dd>
            <dd className="stat-detail">
              {s && s.pending.length > 0 ? (
                <>
                  Version {s.latest} is available.{' '}
                  <button
                    type="button"
                    className="button button-small"
                    disabled={busy}
                    onClick={() => void act({ kind: 'schema-migrate' })}
                  >
                    Migrate (backup first)
                  </button>
                </>
              ) : s?.current !== null && s ? (
                'Up to date'
              ) : (
                ''
              )}
            </dd>
          </div>
        )}
        <div className="stat">
          <dt className="stat-label">Hot: rows in full detail</dt>
          <dd className="stat-value">{t ? formatCount(t.hot.rows) : '–'}</dd>
          <dd className="stat-detail">
            {[
              t?.policy ? `Last ${t.policy.hotDays} days in assistant.db` : null,
              t?.hot.oldest ? `${t.policy ? 'since' : 'Since'} ${formatDay(t.hot.oldest)}` : null,
            ]
              .filter(Boolean)
              .join(', ')}
          </dd>
        </div>
        <div className="stat">
          <dt className="stat-label">Warm: days of aggregates</dt>
          <dd className="stat-value">{t ? formatCount(t.warm.days) : '–'}</dd>
          <dd className="stat-detail">
            {t
              ? `${formatCount(t.warm.interactions)} interactions, ${formatBytes(t.warm.bytes)}`
              : ''}
            {t?.policy ? `; kept ${Math.round(t.policy.warmDays / 365)} years` : ''}
          </dd>
        </div>
        <div className="stat">
          <dt className="stat-label">Cold: months archived</dt>
          <dd className="stat-value">{t ? formatCount(t.cold.months) : '–'}</dd>
          <dd className="stat-detail">
            {t
              ? `${formatCount(t.cold.rows)} rows in ${formatCount(t.cold.files)} files, ${formatBytes(t.cold.bytes)}`
              : ''}
            {t?.policy ? `; deleted after ${Math.round(t.policy.coldDays / 365)} years` : ''}
          </dd>
        </div>
        {analytics ? null : (
          <div className="stat">
            <dt className="stat-label">Privacy scrub after</dt>
            <dd className="stat-value">
              {t?.policy
                ? t.policy.scrubAfterDays === null
                  ? 'Off'
                  : `${t.policy.scrubAfterDays} days`
                : '–'}
            </dd>
            <dd className="stat-detail">
              Session ids and IPs hashed; e-mails, phones, IPs redacted.
              <ScrubPreview />
            </dd>
          </div>
        )}
      </dl>
      <h3 className="subsection-title">Analytics retention</h3>
      <RetentionPolicyEditor />
    </section>
  );
}

function ScrubPreview(): React.JSX.Element {
  const preview = useTend((state) => state.scrubPreview);
  const load = useTend((state) => state.loadScrubPreview);
  const p = valueOf(preview);
  return (
    <div className="scrub-preview" data-testid="scrub-preview">
      {preview.status === 'error' ? (
        <span className="muted">{preview.error.message}</span>
      ) : p ? (
        p.cutoff === null ? (
          'The scrub is off.'
        ) : (
          `${countOf(p.rows, 'row')} to scrub now: ${countOf(p.ipsHashed, 'IP address')}, ${countOf(p.emailsRedacted, 'e-mail address')}, ${countOf(p.phonesRedacted, 'phone number')}.`
        )
      ) : null}{' '}
      <button
        type="button"
        className="button button-link"
        onClick={() => void load()}
        disabled={preview.status === 'loading'}
      >
        {preview.status === 'loading' ? 'Counting…' : p ? 'Count again' : 'Preview'}
      </button>
    </div>
  );
}
