import { FolderInput, Undo2 } from 'lucide-react';
import { useEffect, useState } from 'react';
import type { TendError } from '../../../../src-shared/errors';
import type {
  ConflictChoice,
  ConflictResolution,
  LegacyMove,
} from '../../../../src-shared/models/maintenance';
import { countOf, formatAgo, formatBytes, formatDay, nounFor } from '../../lib/format';
import { valueOf } from '../../store/loadable';
import { useTend } from '../../store/use-tend';
import { ErrorBox } from '../common/error-box';
import { Loading } from '../common/loading';
import { PlacedJob, usePlaceBusy } from '../jobs/job-outcome';

const actionText: Record<LegacyMove['action'], string> = {
  move: 'Move',
  'drop-identical': 'Already there',
  replace: 'Replace (current kept for undo)',
  'keep-both': 'Keep both',
  'keep-current': 'Keep current (legacy kept for undo)',
  conflict: 'Conflict: choose',
};

/** The rows worth a person's attention first: conflicts, then settled conflicts, then moves. */
function order(move: LegacyMove): number {
  return move.action === 'conflict' ? 0 : move.existing ? 1 : 2;
}

/**
 * The legacy data/ migration: the preview of every move and conflict with a choice per
 * conflict, a dry run, the migration (a backup first) and its undo.
 */
export function LegacyMigrationPanel(): React.JSX.Element | null {
  const status = useTend((state) => valueOf(state.legacyStatus));
  const plan = useTend((state) => state.legacyPlan);
  const loadPlan = useTend((state) => state.loadLegacyPlan);
  const { resolution, choices } = useTend((state) => state.legacyChoice);
  const start = useTend((state) => state.startMaintenanceJob);
  const startJobAt = useTend((state) => state.startJobAt);
  const migrationRunning = useTend((state) =>
    Object.values(state.runningJobs).some((job) => job.kind === 'migration'),
  );
  const placeBusy = usePlaceBusy('legacy');
  const running = migrationRunning || placeBusy;
  const [error, setError] = useState<TendError | null>(null);
  const [showAll, setShowAll] = useState(false);

  const hasLegacy = status?.hasLegacyData ?? false;
  const planStatus = plan.status;
  useEffect(() => {
    if (hasLegacy && planStatus === 'idle') void loadPlan();
  }, [hasLegacy, planStatus, loadPlan]);

  if (!status || (!status.hasLegacyData && !status.canRollBack)) {
    // The outcome of the last run stays in view (a migration that emptied data/ hides the rest).
    return <PlacedJob place="legacy" />;
  }

  const setResolution = (next: ConflictResolution) => void loadPlan(next, choices);
  const setChoices = (next: Record<string, ConflictChoice>) => void loadPlan(resolution, next);

  async function act(action: Parameters<typeof start>[0]): Promise<void> {
    setError(null);
    // One job per click, however fast the clicks: a start on its way makes the next a no-op.
    const result = await startJobAt('legacy', () => start(action));
    if (result && !result.ok) setError(result.error);
  }

  const p = valueOf(plan);
  const moves = p ? [...p.moves].sort((a, b) => order(a) - order(b)) : [];
  const shown = showAll ? moves : moves.slice(0, 6);
  return (
    <section
      className="panel legacy-panel"
      aria-labelledby="legacy-title"
      data-testid="legacy-panel"
    >
      <div className="panel-head">
        <h2 className="panel-title" id="legacy-title">
          <FolderInput size={18} aria-hidden /> Legacy data/ migration
        </h2>
      </div>
      {error ? <ErrorBox error={error} title="The migration did not start" /> : null}
      <PlacedJob place="legacy" withProgress />
      {!status.hasLegacyData && status.canRollBack ? (
        <div className="row">
          <p>
            data/ was migrated {status.appliedAt ? formatAgo(status.appliedAt) : ''} (
            {countOf(status.files, 'file')}). Files that were in the way are kept, so this can be
            undone.
          </p>
          <span className="spacer" />
          <button
            type="button"
            className="button"
            disabled={running}
            onClick={() => void act({ kind: 'legacy-rollback' })}
          >
            <Undo2 size={16} aria-hidden /> Undo the migration
          </button>
        </div>
      ) : (
        <>
          <p className="muted">
            The old layout keeps uploads, chat stores and logs in data/. They move into local_data/:
            uploads to the documents, logs to logs/legacy, the rest to internal_assistant/legacy.
            Nothing is overwritten without your choice, a backup is taken first, and the migration
            can be undone.
          </p>
          <div className="row legacy-controls">
            <label className="inline-field">
              When a file exists in both places{' '}
              <select
                className="select"
                value={resolution}
                onChange={(event) => setResolution(event.target.value as ConflictResolution)}
                data-testid="legacy-resolution"
              >
                <option value="ask">Ask me for each</option>
                <option value="keep-newer">Keep the newer one</option>
                <option value="keep-both">Keep both (legacy gets a suffix)</option>
              </select>
            </label>
            <span className="spacer" />
            <button
              type="button"
              className="button"
              disabled={running || !p}
              onClick={() => void act({ kind: 'legacy-apply', resolution, choices, dryRun: true })}
            >
              Dry run
            </button>
            <button
              type="button"
              className="button button-primary"
              disabled={running || !p || p.unresolved > 0}
              title={p && p.unresolved > 0 ? 'Choose for every conflict first' : undefined}
              onClick={() => void act({ kind: 'legacy-apply', resolution, choices, dryRun: false })}
            >
              Migrate (backup first)
            </button>
          </div>
          {plan.status === 'error' ? (
            <ErrorBox error={plan.error} title="Could not plan the migration" />
          ) : null}
          {p === null ? (
            plan.status !== 'error' ? (
              <Loading label="Planning the migration…" />
            ) : null
          ) : (
            <>
              <p data-testid="legacy-summary">
                <strong>{countOf(p.files, 'file')}</strong>, {formatBytes(p.bytes)};{' '}
                {p.bytesToCopy > 0
                  ? `${formatBytes(p.bytesToCopy)} to copy, `
                  : 'moved in place (no extra space), '}
                {formatBytes(p.freeBytes)} free.{' '}
                {p.unresolved > 0 ? (
                  <span className="badge badge-warning">
                    {countOf(p.unresolved, 'conflict')}{' '}
                    {nounFor(p.unresolved, 'conflict') === 'conflict' ? 'waits' : 'wait'} for your
                    choice
                  </span>
                ) : (
                  <span className="badge badge-ok">No conflict waits</span>
                )}
              </p>
              <div className="table-wrap">
                <table className="table legacy-table">
                  <thead>
                    <tr>
                      <th>What happens</th>
                      <th>From data/</th>
                      <th>To</th>
                      <th className="numeric">Size</th>
                    </tr>
                  </thead>
                  <tbody>
                    {shown.map((move) => (
                      <tr
                        key={move.from}
                        className={move.action === 'conflict' ? 'row-conflict' : undefined}
                      >
                        <td>
                          {move.existing && move.action !== 'drop-identical' ? (
                            <select
                              className="select"
                              aria-label={`Choice for ${move.from}`}
                              value={choices[move.from] ?? ''}
                              onChange={(event) => {
                                const next = { ...choices };
                                if (event.target.value)
                                  next[move.from] = event.target.value as ConflictChoice;
                                else delete next[move.from];
                                setChoices(next);
                              }}
                            >
                              <option value="">{actionText[move.action]}</option>
                              <option value="keep-newer">Keep the newer</option>
                              <option value="keep-both">Keep both</option>
                              <option value="keep-current">Keep the current</option>
                            </select>
                          ) : (
                            actionText[move.action]
                          )}
                        </td>
                        <td className="mono small">{move.from.replace(/^data\//, '')}</td>
                        <td className="mono small">
                          {move.to}
                          {move.existing ? (
                            <div className="muted">
                              there: {formatBytes(move.existing.bytes)},{' '}
                              {formatDay(move.existing.modifiedAt)}; legacy:{' '}
                              {formatBytes(move.bytes)}, {formatDay(move.legacyModifiedAt)}
                            </div>
                          ) : null}
                        </td>
                        <td className="numeric">{formatBytes(move.bytes)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {moves.length > shown.length ? (
                <button
                  type="button"
                  className="button button-link"
                  onClick={() => setShowAll(true)}
                >
                  Show all {countOf(moves.length, 'file')}
                </button>
              ) : null}
            </>
          )}
        </>
      )}
    </section>
  );
}
