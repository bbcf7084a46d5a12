import { FolderSearch, Play, ShieldCheck } from 'lucide-react';
import { useEffect, useState } from 'react';
import { z } from 'zod';
import type { TendError } from '../../../../src-shared/errors';
import {
  MigrationRunResultSchema,
  type MigrationState,
} from '../../../../src-shared/models/postgres';
import { formatAgo, formatCount } from '../../lib/format';
import { valueOf } from '../../store/loadable';
import { useTend } from '../../store/use-tend';
import { ErrorBox } from '../common/error-box';
import { Loading, Spinner } from '../common/loading';
import { PickButton } from '../common/pick-button';
import { JobProgressRow } from '../jobs/job-progress';

/** Where the page's migration job runs. */
const MIGRATE_PLACE = 'pg-migrate';

const stateWords: Readonly<Record<MigrationState, string>> = {
  applied: 'Applied',
  pending: 'Pending',
  changed: 'Changed since applied',
  missing: 'Applied, file gone',
};

const FailedDetailSchema = z.object({ migration: z.string() });

/**
 * Migrations: a folder of numbered `.sql` files (the folder's own `database/migrations` by
 * default), each applied or pending against the database's history; Apply runs the pending
 * ones after a pre-migration backup, each in its own transaction, and a failing one is shown
 * rolled back; Check runs the integrity check.
 */
export function MigrationsPanel(): React.JSX.Element {
  const migrations = useTend((state) => state.migrations);
  const integrity = useTend((state) => state.integrity);
  const loadMigrations = useTend((state) => state.loadMigrations);
  const applyMigrations = useTend((state) => state.applyMigrations);
  const checkIntegrity = useTend((state) => state.checkIntegrity);
  const startJobAt = useTend((state) => state.startJobAt);
  const jobId = useTend((state) => state.placedJobs[MIGRATE_PLACE]);
  const running = useTend((state) => (jobId ? state.runningJobs[jobId] : undefined));
  const finished = useTend((state) => (jobId ? state.finishedJobs[jobId] : undefined));
  const clearPlace = useTend((state) => state.clearPlace);
  const starting = useTend((state) => state.startingAt[MIGRATE_PLACE] === true);
  const [typed, setTyped] = useState<string | null>(null);
  const [error, setError] = useState<TendError | null>(null);

  const list = valueOf(migrations);
  const folder = typed ?? list?.folder ?? '';

  useEffect(() => {
    if (migrations.status === 'idle') void loadMigrations();
  }, [migrations.status, loadMigrations]);
  // A run that ended changes the history: read it again.
  useEffect(() => {
    if (finished) void loadMigrations(list?.folder);
    // Only when a run ends, not when the folder read changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [finished]);

  async function apply(): Promise<void> {
    setError(null);
    const result = await startJobAt(MIGRATE_PLACE, () => applyMigrations(list?.folder));
    if (result && !result.ok) setError(result.error);
  }

  const pending = list?.migrations.filter((row) => row.state === 'pending').length ?? 0;
  const changed = list?.migrations.some((row) => row.state === 'changed') ?? false;
  const failedName =
    finished?.state === 'failed'
      ? (FailedDetailSchema.safeParse(finished.error?.details).data?.migration ?? null)
      : null;
  const run = finished ? MigrationRunResultSchema.safeParse(finished.result).data : undefined;
  const check = valueOf(integrity);
  return (
    <section
      className="panel"
      aria-labelledby="database-migrations"
      data-testid="database-migrations"
    >
      <div className="panel-head">
        <h2 className="panel-title" id="database-migrations">
          Migrations
        </h2>
        <div className="table-actions">
          <button
            type="button"
            className="button button-primary"
            disabled={pending === 0 || changed || starting || running !== undefined}
            title={
              changed
                ? 'A migration changed after it was applied; put it back first.'
                : pending === 0
                  ? 'Nothing is pending.'
                  : undefined
            }
            onClick={() => void apply()}
            data-testid="database-migrate"
          >
            {starting || running ? <Spinner /> : <Play size={16} aria-hidden />} Apply{' '}
            {pending > 0 ? formatCount(pending) : ''} pending
          </button>
          <button
            type="button"
            className="button"
            onClick={() => void checkIntegrity()}
            disabled={integrity.status === 'loading'}
            data-testid="database-integrity"
          >
            {integrity.status === 'loading' ? <Spinner /> : <ShieldCheck size={16} aria-hidden />}{' '}
            Check
          </button>
        </div>
      </div>
      <form
        className="input-row"
        onSubmit={(event) => {
          event.preventDefault();
          void loadMigrations(folder || undefined);
        }}
      >
        <label htmlFor="migrations-folder" className="visually-hidden">
          Folder of migrations
        </label>
        <input
          id="migrations-folder"
          className="input mono"
          value={folder}
          onChange={(event) => setTyped(event.target.value)}
          placeholder="/path/to/database/migrations"
        />
        <PickButton
          request={{ folder: 'import-folder' }}
          onPicked={(picked) => {
            setTyped(picked);
            void loadMigrations(picked);
          }}
          onError={setError}
        />
        <button type="submit" className="button">
          <FolderSearch size={16} aria-hidden /> Read
        </button>
      </form>
      <p className="field-hint">
        Numbered .sql files (0001_add_locale.sql …). Apply takes a pre-migration backup of the
        database first, then runs each pending file in its own transaction; a file that fails is
        rolled back whole and the ones after it are not run.
      </p>
      {error ? <ErrorBox error={error} title="That did not work" /> : null}
      {running ? (
        <ul className="job-list">
          <JobProgressRow job={running} />
        </ul>
      ) : null}
      {finished?.state === 'failed' && finished.error ? (
        <div className="error-box" role="alert" data-testid="database-migration-failed">
          <div className="error-box-body">
            <p className="error-box-title">
              {failedName ?? 'A migration'} failed and was rolled back{' '}
              <code className="error-code">{finished.error.code}</code>
            </p>
            <p className="error-box-message">{finished.error.message}</p>
            <button
              type="button"
              className="button button-small"
              onClick={() => clearPlace(MIGRATE_PLACE)}
            >
              Dismiss
            </button>
          </div>
        </div>
      ) : null}
      {finished?.state === 'succeeded' && run ? (
        <p className="notice notice-ok" role="status" data-testid="database-migrated">
          {run.applied.length === 0
            ? 'Nothing was pending.'
            : `Applied ${run.applied.join(', ')} after the backup ${run.backup ?? ''}.`}
        </p>
      ) : null}
      {migrations.status === 'error' ? (
        <ErrorBox error={migrations.error} title="Could not read the migrations" />
      ) : !list ? (
        <Loading label="Reading the migrations…" />
      ) : list.migrations.length === 0 ? (
        <p className="empty">No numbered .sql files in {list.folder}, and none applied.</p>
      ) : (
        <table className="table" data-testid="database-migration-list">
          <thead>
            <tr>
              <th scope="col">Migration</th>
              <th scope="col">State</th>
              <th scope="col">Applied</th>
            </tr>
          </thead>
          <tbody>
            {list.migrations.map((row) => {
              const failed = row.name === failedName && row.state === 'pending';
              return (
                <tr key={row.name} data-state={failed ? 'failed' : row.state}>
                  <td className="mono">{row.name}</td>
                  <td>
                    <span
                      className={`badge ${failed || row.state === 'changed' ? 'badge-bad' : row.state === 'applied' ? 'badge-ok' : 'badge-warning'}`}
                    >
                      {failed ? 'Failed, rolled back' : stateWords[row.state]}
                    </span>
                  </td>
                  <td>{row.appliedAt ? formatAgo(row.appliedAt) : '—'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {integrity.status === 'error' ? (
        <ErrorBox error={integrity.error} title="The check could not run" />
      ) : check ? (
        <div
          className={check.ok ? 'notice notice-ok' : 'notice notice-warning'}
          role="status"
          data-testid="database-integrity-result"
        >
          {check.ok
            ? `Sound: ${check.tableCount} tables, every constraint validated and every index valid.`
            : 'Problems found:'}
          {check.invalidConstraints.map((name) => (
            <div key={name}>Constraint not validated: {name}</div>
          ))}
          {check.invalidIndexes.map((name) => (
            <div key={name}>Index not valid: {name}</div>
          ))}
        </div>
      ) : null}
    </section>
  );
}
