import { ArchiveRestore } from 'lucide-react';
import { useEffect, useState } from 'react';
import { z } from 'zod';
import type { OutputOf } from '../../../../src-shared/contract';
import type { Result, TendError } from '../../../../src-shared/errors';
import { backupKindName } from '../../../../src-shared/language/names';
import type { JobRecord } from '../../../../src-shared/models/jobs';
import {
  ConnectedSessionSchema,
  RestoreValidationSchema,
  SwapRestoreResultSchema,
  type ConnectedSessionInfo,
  type PostgresBackupInfo,
} from '../../../../src-shared/models/postgres';
import { formatAgo } from '../../lib/format';
import { useTend } from '../../store/use-tend';
import { Dialog } from '../common/dialog';
import { ErrorBox } from '../common/error-box';
import { Loading, Spinner } from '../common/loading';
import { JobProgressRow } from '../jobs/job-progress';
import { SessionsTable } from './sessions-table';
import { formatSwapWindow } from './swap-window';
import { ValidationView } from './validation-view';

/** Where the wizard's restore job runs. */
export const RESTORE_PLACE = 'pg-restore';

type Step = 'choose' | 'sessions' | 'running';

/** The steps of a restore by swap, as its job's progress names them. */
const swapSteps = [
  ['preparing', 'Prepare a scratch database beside the live one'],
  ['restoring', 'Load the backup into it (pg_restore)'],
  ['validating', 'Validate it: row counts, constraints, indexes, your query'],
  ['swapping', 'Swap it in by renaming; keep the live one as the undo'],
] as const;

const SessionsDetailSchema = z.object({ sessions: z.array(ConnectedSessionSchema) });
const ValidationDetailSchema = z.object({ validation: RestoreValidationSchema });

/**
 * "Restore by swap…": choose a backup (and a query of your own), see who is connected to the
 * live database (the swap refuses while anyone is, unless told to end them), then the job —
 * the scratch restore with its progress, the validation, the swap — and its result: the
 * validation, the window the database took no connections, and the undo kept.
 */
export function RestoreSwapWizard(props: {
  backups: ReadonlyArray<PostgresBackupInfo>;
  /** The backup chosen on the page, or null to choose here. */
  initial: string | null;
  onClose: () => void;
}): React.JSX.Element {
  const { backups, initial, onClose } = props;
  const loadSessions = useTend((state) => state.loadSessions);
  const restoreDatabase = useTend((state) => state.restoreDatabase);
  const startJobAt = useTend((state) => state.startJobAt);
  const loadCheck = useTend((state) => state.loadPostgresCheck);
  const [step, setStep] = useState<Step>('choose');
  const [backupId, setBackupId] = useState(initial ?? backups[0]?.id ?? '');
  const [query, setQuery] = useState('');
  const [sessions, setSessions] = useState<Result<OutputOf<'pg:sessions'>> | null>(null);
  const [endSessions, setEndSessions] = useState(false);
  const [jobId, setJobId] = useState<string | null>(null);
  const [error, setError] = useState<TendError | null>(null);
  const running = useTend((state) => (jobId ? state.runningJobs[jobId] : undefined));
  const finished = useTend((state) => (jobId ? state.finishedJobs[jobId] : undefined));

  useEffect(() => {
    if (step !== 'sessions') return;
    let current = true;
    void loadSessions().then((result) => {
      if (current) setSessions(result);
    });
    return () => {
      current = false;
    };
  }, [step, loadSessions]);

  // The undo database list changes once the restore ends.
  useEffect(() => {
    if (finished) void loadCheck();
  }, [finished, loadCheck]);

  async function start(): Promise<void> {
    setError(null);
    const result = await startJobAt(RESTORE_PLACE, () =>
      restoreDatabase({
        backup: backupId,
        endSessions,
        ...(query.trim() ? { validationQuery: query.trim() } : {}),
      }),
    );
    if (!result) return;
    if (!result.ok) {
      setError(result.error);
      return;
    }
    setJobId(result.value.id);
    setStep('running');
  }

  const connected = sessions?.ok ? sessions.value.sessions : [];
  const blocked = connected.length > 0 && !endSessions;
  return (
    <Dialog title="Restore the database by swap" onClose={onClose} className="database-dialog">
      <div data-testid="restore-swap-wizard" data-step={step}>
        {step === 'choose' ? (
          <>
            <p>
              Tend never drops the live database first. It loads the backup into a new scratch
              database, checks it, and only then renames it into the live one’s place; the live one
              is kept, so you can undo.
            </p>
            <fieldset className="database-choices" data-testid="restore-swap-backups">
              <legend className="field-label">Which backup</legend>
              {backups.map((backup) => (
                <label key={backup.id} className="database-option">
                  <input
                    type="radio"
                    name="restore-swap-backup"
                    value={backup.id}
                    checked={backupId === backup.id}
                    onChange={() => setBackupId(backup.id)}
                  />
                  <span>
                    <span className="mono">{backup.id}</span>{' '}
                    <span className="muted">
                      — {backupKindName(backup.kind)}, {formatAgo(backup.createdAt)}, database{' '}
                      {backup.database}
                    </span>
                  </span>
                </label>
              ))}
            </fieldset>
            <div className="field">
              <label htmlFor="restore-swap-query" className="field-label">
                A query of your own (optional)
              </label>
              <textarea
                id="restore-swap-query"
                className="input mono database-query"
                rows={2}
                value={query}
                placeholder="SELECT 1 FROM users WHERE email = 'admin@example.org'"
                onChange={(event) => setQuery(event.target.value)}
              />
              <p className="field-hint">
                It must run and return at least one row on the restored copy, or the swap does not
                happen.
              </p>
            </div>
            <div className="dialog-actions">
              <button type="button" className="button" onClick={onClose}>
                Cancel
              </button>
              <button
                type="button"
                className="button button-primary"
                disabled={!backupId}
                onClick={() => {
                  setSessions(null);
                  setStep('sessions');
                }}
              >
                Next
              </button>
            </div>
          </>
        ) : null}

        {step === 'sessions' ? (
          <>
            {!sessions ? <Loading label="Looking at who is connected…" /> : null}
            {sessions && !sessions.ok ? (
              <ErrorBox error={sessions.error} title="Could not list the sessions" />
            ) : null}
            {sessions?.ok && connected.length === 0 ? (
              <p className="notice notice-ok" data-testid="restore-swap-no-sessions">
                No one is connected to {sessions.value.database}: the swap can run.
              </p>
            ) : null}
            {sessions?.ok && connected.length > 0 ? (
              <>
                <p className="notice notice-warning" data-testid="restore-swap-sessions">
                  {connected.length === 1 ? 'One session is' : `${connected.length} sessions are`}{' '}
                  connected to {sessions.value.database}. The swap cannot rename a database in use:
                  stop the app, or let Tend end these sessions for the swap (the app reconnects to
                  the restored database).
                </p>
                <SessionsTable sessions={connected} />
                <label className="database-option">
                  <input
                    type="checkbox"
                    checked={endSessions}
                    onChange={(event) => setEndSessions(event.target.checked)}
                    data-testid="restore-swap-end-sessions"
                  />
                  <span>End them for the swap</span>
                </label>
              </>
            ) : null}
            {error ? <ErrorBox error={error} title="The restore did not start" /> : null}
            <div className="dialog-actions">
              <button type="button" className="button" onClick={() => setStep('choose')}>
                Back
              </button>
              <button
                type="button"
                className="button button-danger"
                disabled={!sessions?.ok || blocked}
                title={blocked ? 'Sessions are connected: end them, or stop the app.' : undefined}
                onClick={() => void start()}
                data-testid="restore-swap-start"
              >
                <ArchiveRestore size={16} aria-hidden /> Restore by swap
              </button>
            </div>
          </>
        ) : null}

        {step === 'running' ? (
          <RunningStep
            job={finished ?? running ?? null}
            onBackToSessions={() => {
              setJobId(null);
              setSessions(null);
              setStep('sessions');
            }}
            onClose={onClose}
          />
        ) : null}
      </div>
    </Dialog>
  );
}

/** The job while it runs (its step among the four), then its result or what stopped it. */
function RunningStep(props: {
  job: JobRecord | null;
  onBackToSessions: () => void;
  onClose: () => void;
}): React.JSX.Element {
  const { job } = props;
  if (!job) return <Loading label="Starting the restore…" />;
  const done = job.state !== 'queued' && job.state !== 'running';
  const current = job.progress.message?.split(':')[0] ?? 'preparing';
  const reached = swapSteps.findIndex(([id]) => id === current);
  if (!done) {
    return (
      <>
        <ol className="database-steps" data-testid="restore-swap-steps">
          {swapSteps.map(([id, label], index) => (
            <li key={id} data-state={index < reached ? 'done' : index === reached ? 'now' : 'next'}>
              {index === reached ? <Spinner /> : null} {label}
            </li>
          ))}
        </ol>
        <ul className="job-list">
          <JobProgressRow job={job} />
        </ul>
        <p className="muted">The live database is untouched until the swap.</p>
      </>
    );
  }
  const result = SwapRestoreResultSchema.safeParse(job.result);
  if (job.state === 'succeeded' && result.success) {
    const value = result.data;
    return (
      <>
        <p className="notice notice-ok" data-testid="restore-swap-done">
          <span>
            Restored {value.database} from {value.backup} by swap. The database took no connections
            for{' '}
            <strong data-testid="restore-swap-window">
              {formatSwapWindow(value.unavailableMs)}
            </strong>
            .
            {value.endedSessions.length > 0
              ? ` ${value.endedSessions.length === 1 ? 'One session was' : `${value.endedSessions.length} sessions were`} ended for it.`
              : ''}
          </span>
        </p>
        <ValidationView validation={value.validation} />
        <p>
          {value.undoDatabase ? (
            <>
              The database as it was is kept as <span className="mono">{value.undoDatabase}</span>:
              “Undo the last restore” on this page swaps it back.
            </>
          ) : (
            'There was no live database, so there is nothing to undo.'
          )}
        </p>
        <div className="dialog-actions">
          <button type="button" className="button button-primary" onClick={props.onClose}>
            Close
          </button>
        </div>
      </>
    );
  }
  const sessions = SessionsDetailSchema.safeParse(job.error?.details);
  const validation = ValidationDetailSchema.safeParse(job.error?.details);
  return (
    <>
      {job.error ? (
        <ErrorBox
          error={job.error}
          title={
            job.state === 'cancelled' ? 'The restore was cancelled' : 'The restore did not swap'
          }
        />
      ) : null}
      <p data-testid="restore-swap-untouched">
        The live database was left as it was, and the scratch copy was dropped.
      </p>
      {validation.success ? <ValidationView validation={validation.data.validation} /> : null}
      {job.error?.code === 'PG_SESSIONS_CONNECTED' && sessions.success ? (
        <SessionsTable sessions={sessions.data.sessions as ConnectedSessionInfo[]} />
      ) : null}
      <div className="dialog-actions">
        {job.error?.code === 'PG_SESSIONS_CONNECTED' ? (
          <button type="button" className="button" onClick={props.onBackToSessions}>
            Back to the sessions
          </button>
        ) : null}
        <button type="button" className="button button-primary" onClick={props.onClose}>
          Close
        </button>
      </div>
    </>
  );
}
