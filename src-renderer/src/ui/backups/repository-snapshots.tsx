import { RefreshCw, Scissors, SearchCheck, ShieldCheck } from 'lucide-react';
import { useEffect, useState } from 'react';
import type { TendError } from '../../../../src-shared/errors';
import { backupKindName } from '../../../../src-shared/language/names';
import { BackupKindSchema } from '../../../../src-shared/models/backup-manifest';
import { formatAgo, formatDateTime } from '../../lib/format';
import { valueOf } from '../../store/loadable';
import { useTend } from '../../store/use-tend';
import { ConfirmInline } from '../common/confirm-inline';
import { ErrorBox } from '../common/error-box';
import { Loading, Spinner } from '../common/loading';
import { PlacedJob, usePlaceBusy } from '../jobs/job-outcome';
import { primaryBackup } from './primary-backup';

/** The places on the page a repository backup, check and thinning out are started from. */
const BACKUP_PLACE = 'repository-backup';
const CHECK_PLACE = 'repository-check';
const THIN_PLACE = 'repository-thin';

/** The two checks of the repository, as their buttons say them. */
const checks = [
  { mode: 'quick', label: 'Check', title: 'Every pack the snapshots need is there, with its size' },
  {
    mode: 'full',
    label: 'Check every byte',
    title: 'Every blob read back, decrypted and its hash checked',
  },
] as const;

/**
 * The Backups page's list of the encrypted repository's snapshots, beside the archives'
 * history (issue 12): a backup into it now, a check of it (quick, or every byte), and what the
 * retention in settings keeps, with a thinning out now. Shown only when a repository is set;
 * asks for its passphrase in Settings when Tend does not know it. The restore wizard offers the
 * same snapshots.
 */
export function RepositorySnapshots(): React.JSX.Element | null {
  const status = useTend((state) => state.repositoryStatus);
  const snapshots = useTend((state) => state.repositorySnapshots);
  const loadStatus = useTend((state) => state.loadRepositoryStatus);
  const loadSnapshots = useTend((state) => state.loadRepositorySnapshots);
  const watch = useTend((state) => state.watchRepository);
  const backUp = useTend((state) => state.backUpToRepository);
  const verify = useTend((state) => state.verifyRepository);
  const thinOut = useTend((state) => state.thinOutRepository);
  const retention = useTend((state) => valueOf(state.settings)?.backup.retention ?? null);
  const checking = usePlaceBusy(CHECK_PLACE);
  const thinning = usePlaceBusy(THIN_PLACE);
  const startJobAt = useTend((state) => state.startJobAt);
  const backupRunning = useTend((state) =>
    Object.values(state.runningJobs).some((job) => job.kind === 'backup'),
  );
  const busy = usePlaceBusy(BACKUP_PLACE) || backupRunning;
  const go = useTend((state) => state.navigate);
  const [error, setError] = useState<TendError | null>(null);
  const shown = valueOf(status);
  const ready = shown?.destination != null && shown.passphraseKnown;
  const archiveFolder = useTend((state) => valueOf(state.backupDestination)?.path);
  const primary = primaryBackup({ archiveFolder, repositoryReady: ready }) === 'repository';

  useEffect(() => watch(), [watch]);

  useEffect(() => {
    if (status.status === 'idle') void loadStatus();
  }, [status.status, loadStatus]);
  useEffect(() => {
    if (ready) void loadSnapshots();
  }, [ready, loadSnapshots]);

  async function backUpNow(): Promise<void> {
    setError(null);
    const result = await startJobAt(BACKUP_PLACE, () => backUp('critical'));
    if (result && !result.ok) setError(result.error);
  }

  async function check(mode: 'quick' | 'full'): Promise<void> {
    setError(null);
    const result = await startJobAt(CHECK_PLACE, () => verify(mode));
    if (result && !result.ok) setError(result.error);
  }

  async function thinOutNow(): Promise<void> {
    setError(null);
    const result = await startJobAt(THIN_PLACE, () => thinOut());
    if (result && !result.ok) setError(result.error);
  }

  if (!shown?.destination) return null;
  const list = valueOf(snapshots)?.snapshots ?? null;
  const going = list?.filter((snapshot) => snapshot.retention.action === 'forget').length ?? 0;
  return (
    <section
      className="panel"
      aria-labelledby="repository-snapshots"
      data-testid="repository-snapshots"
    >
      <div className="panel-head">
        <h2 className="panel-title" id="repository-snapshots">
          Encrypted snapshots
        </h2>
        <span className="spacer" />
        {ready ? (
          <button
            type="button"
            className={primary ? 'button button-small button-primary' : 'button button-small'}
            onClick={() => void backUpNow()}
            disabled={busy}
            title={busy ? 'A backup is running; it has to end first.' : undefined}
          >
            <ShieldCheck size={14} aria-hidden /> Back up to the repository now
          </button>
        ) : null}
        {ready ? (
          <button
            type="button"
            className="button button-small"
            onClick={() => void loadSnapshots()}
            disabled={snapshots.status === 'loading'}
          >
            {snapshots.status === 'loading' ? <Spinner /> : <RefreshCw size={14} aria-hidden />}{' '}
            Refresh
          </button>
        ) : null}
      </div>
      <p className="muted small">
        In <code>{shown.location}</code>. Restore one from the Restore page.
      </p>
      {error ? <ErrorBox error={error} title="That did not start" /> : null}
      <PlacedJob place={BACKUP_PLACE} />
      <PlacedJob place={CHECK_PLACE} withProgress />
      <PlacedJob place={THIN_PLACE} withProgress />
      {!ready ? (
        <p>
          Tend does not know the repository&apos;s passphrase now.{' '}
          <button type="button" className="button button-small" onClick={() => go('settings')}>
            Unlock it in Settings
          </button>
        </p>
      ) : snapshots.status === 'error' ? (
        <ErrorBox error={snapshots.error} onRetry={() => void loadSnapshots()} />
      ) : list === null ? (
        <Loading label="Reading the snapshots…" />
      ) : list.length === 0 ? (
        <p className="empty">No snapshots yet.</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Made</th>
                <th scope="col">Kind</th>
                <th scope="col">Snapshot</th>
                <th scope="col">Computer</th>
                <th scope="col">Retention</th>
              </tr>
            </thead>
            <tbody>
              {list.map((snapshot) => (
                <tr key={snapshot.id}>
                  <td>
                    <div className="nowrap">{formatDateTime(snapshot.time)}</div>
                    <div className="muted small">{formatAgo(snapshot.time)}</div>
                  </td>
                  <td>{backupKindName(BackupKindSchema.catch('full').parse(snapshot.kind))}</td>
                  <td className="mono">{snapshot.shortId}</td>
                  <td>{snapshot.hostname ?? '—'}</td>
                  <td>
                    <span
                      className={`badge badge-${snapshot.retention.action === 'forget' ? 'bad' : 'ok'}`}
                    >
                      {snapshot.retention.action === 'forget' ? 'Goes' : 'Stays'}
                    </span>
                    <div className="muted small">{snapshot.retention.reason}</div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {ready && list !== null && list.length > 0 ? (
        <>
          <p className="muted small" data-testid="repository-retention">
            {retention
              ? `The retention below (${retention.daily} daily, ${retention.weekly} weekly, ${retention.monthly} monthly of each kind) thins these out too: after each scheduled backup into the repository, the snapshots marked “Goes” are forgotten and the space only they used is freed. `
              : ''}
            {going === 0
              ? 'Every snapshot stays now.'
              : `${going === 1 ? 'One snapshot goes' : `${going} snapshots go`} at the next thinning out.`}
          </p>
          <div className="form-actions">
            {checks.map(({ mode, label, title }) => (
              <button
                key={mode}
                type="button"
                className="button"
                onClick={() => void check(mode)}
                disabled={checking}
                title={title}
              >
                {checking ? <Spinner /> : <SearchCheck size={16} aria-hidden />} {label}
              </button>
            ))}
            <span className="spacer" />
            <ConfirmInline
              icon={Scissors}
              label="Thin out now…"
              question={`Forget ${going === 1 ? 'one snapshot' : `${going} snapshots`} and free the space only ${going === 1 ? 'it uses' : 'they use'}?`}
              confirmLabel={`Forget ${going === 1 ? 'it' : 'them'}`}
              onConfirm={() => void thinOutNow()}
              busy={thinning}
              disabled={going === 0 || busy}
              title={going === 0 ? 'Every snapshot is within the retention' : undefined}
            />
          </div>
        </>
      ) : null}
    </section>
  );
}
