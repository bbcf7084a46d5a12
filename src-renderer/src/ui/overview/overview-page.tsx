import { RefreshCw } from 'lucide-react';
import { useEffect } from 'react';
import { categoryInfo } from '../../../../src-shared/models/categories';
import type { RootInfo, UsageSummary } from '../../../../src-shared/models/root';
import { backupKindName } from '../../../../src-shared/language/names';
import { BackupKindSchema } from '../../../../src-shared/models/backups';
import { formatAgo, formatBytes, formatDateTime, formatFiles, formatShare } from '../../lib/format';

/** The name of the kind root:info reports (a plain string there), read with its schema. */
function backupKindNameOf(kind: string): string {
  const parsed = BackupKindSchema.safeParse(kind);
  return parsed.success ? backupKindName(parsed.data) : kind;
}
import { valueOf } from '../../store/loadable';
import { useTend } from '../../store/use-tend';
import { ErrorBox } from '../common/error-box';
import { Loading, Spinner } from '../common/loading';
import { PageHeader } from '../common/page-header';
import { RunningJobs } from '../jobs/running-jobs';
import { StoreChecksPanel } from '../profile/store-checks-panel';
import { LegacyMigrationBanner } from '../maintenance/legacy-migration-banner';
import { UsageSection } from '../usage/usage-section';
import { BackupStoppedBanner } from './backup-stopped-banner';
import { HealthPanel } from './health-panel';
import { DatabaseUsagePanel } from './database-usage-panel';
import './overview.css';

/**
 * Overview: the open data folder at a glance — whether backups still happen, its size, the
 * disk it sits on, the figures to watch (Health), what each category of data takes, and when
 * it was last backed up.
 */
export function OverviewPage(): React.JSX.Element {
  const root = useTend((state) => state.root);
  const usage = useTend((state) => state.usage);
  const loadUsage = useTend((state) => state.loadUsage);
  const loadRoot = useTend((state) => state.loadRoot);

  useEffect(() => {
    if (usage.status === 'idle') void loadUsage();
  }, [usage.status, loadUsage]);

  if (root.status !== 'open') return <Loading label="Opening the data folder…" />;
  const info = root.info;
  const summary = valueOf(usage);
  const refreshing = usage.status === 'loading';

  return (
    <>
      <PageHeader
        title="Overview"
        subtitle={
          <>
            <span data-testid="overview-profile">{info.profile.name}</span> ·{' '}
            <span className="mono">{info.path}</span>
          </>
        }
        actions={
          <button
            type="button"
            className="button"
            onClick={() => {
              void loadRoot();
              void loadUsage();
            }}
            disabled={refreshing}
          >
            {refreshing ? <Spinner /> : <RefreshCw size={16} aria-hidden />} Refresh
          </button>
        }
      />
      <BackupStoppedBanner />
      <LegacyMigrationBanner />
      <RunningJobs />
      {root.error ? <ErrorBox error={root.error} title="Could not refresh the folder" /> : null}
      <Stats info={info} summary={summary} />
      <HealthPanel />
      {usage.status === 'error' ? (
        <ErrorBox
          error={usage.error}
          title="Could not measure the data folder"
          onRetry={() => void loadUsage()}
        />
      ) : null}
      {summary ? (
        <CategoryBreakdown summary={summary} />
      ) : usage.status !== 'error' ? (
        <Loading label="Measuring the data folder…" />
      ) : null}
      <StoreChecksPanel />
      <DatabaseUsagePanel />
      <UsageSection />
    </>
  );
}

function Stats(props: { info: RootInfo; summary: UsageSummary | null }): React.JSX.Element {
  const { info, summary } = props;
  const navigate = useTend((state) => state.navigate);
  const { freeBytes, totalBytes } = info.disk;
  const lowDisk = totalBytes > 0 && freeBytes / totalBytes < 0.1;
  return (
    <section className="stats" aria-label="At a glance">
      <div className="stat" data-testid="stat-total">
        <span className="stat-label">Data folder</span>
        <span className="stat-value" data-bytes={summary?.totalBytes}>
          {summary ? formatBytes(summary.totalBytes) : '…'}
        </span>
        <span className="stat-detail">
          {summary ? formatFiles(summary.totalFiles) : 'measuring…'}, not counting Tend&apos;s own
          state
        </span>
      </div>
      <div className="stat" data-testid="stat-disk">
        <span className="stat-label">Free on this disk</span>
        <span className={lowDisk ? 'stat-value stat-value-warning' : 'stat-value'}>
          {formatBytes(freeBytes)}
        </span>
        <span className="stat-detail">
          of {formatBytes(totalBytes)} ({formatShare(freeBytes, totalBytes)} free)
        </span>
      </div>
      <div className="stat" data-testid="stat-backup">
        <span className="stat-label">Last backup</span>
        {info.lastBackup ? (
          <>
            <span className="stat-value">{formatAgo(info.lastBackup.finishedAt)}</span>
            <span className="stat-detail" title={formatDateTime(info.lastBackup.finishedAt)}>
              {backupKindNameOf(info.lastBackup.kind)},{' '}
              {info.lastBackup.encrypted
                ? `encrypted snapshot of ${formatBytes(info.lastBackup.bytes)}`
                : `${formatBytes(info.lastBackup.bytes)} archive`}
            </span>
          </>
        ) : (
          <>
            <span className="stat-value stat-value-warning">None yet</span>
            <span className="stat-detail">Nothing protects this data from a disk failure yet.</span>
            {/* Where a new user goes next: the Backups page, which leads to the destination. */}
            <button
              type="button"
              className="button button-link stat-action"
              onClick={() => navigate('backups')}
            >
              Set up a backup
            </button>
          </>
        )}
      </div>
    </section>
  );
}

function CategoryBreakdown(props: { summary: UsageSummary }): React.JSX.Element {
  const { summary } = props;
  return (
    <section className="panel" aria-labelledby="categories-title">
      <div className="panel-head">
        <h2 className="panel-title" id="categories-title">
          What uses the space
        </h2>
        <span className="muted numeric" data-testid="usage-watch">
          {summary.watch.live
            ? `live: follows the folder as it changes (measured ${formatAgo(summary.measuredAt)})`
            : `measured ${formatAgo(summary.measuredAt)} in ${summary.durationMs} ms`}
        </span>
      </div>
      {!summary.watch.live && summary.watch.why ? (
        <p className="muted" data-testid="usage-watch-why">
          {summary.watch.why}
        </p>
      ) : null}
      <div className="stacked-bar" aria-hidden>
        {summary.categories.map((item) =>
          item.bytes > 0 ? (
            <span
              key={item.category}
              style={{
                width: `${(item.bytes / Math.max(1, summary.totalBytes)) * 100}%`,
                background: categoryInfo[item.category].colour,
              }}
            />
          ) : null,
        )}
      </div>
      <ul className="category-list">
        {summary.categories.map((item) => {
          const meta = categoryInfo[item.category];
          return (
            <li key={item.category} className="category" data-testid={`category-${item.category}`}>
              <span className="swatch" style={{ background: meta.colour }} />
              <div className="category-text">
                <span className="category-name">{meta.label}</span>
                <span className="category-description">{meta.description}</span>
              </div>
              <div className="category-figures numeric">
                <span className="category-bytes" data-bytes={item.bytes}>
                  {formatBytes(item.bytes)}
                </span>
                <span className="muted">
                  {formatShare(item.bytes, summary.totalBytes)} · {formatFiles(item.files)}
                </span>
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
