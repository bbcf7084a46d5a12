import { Trash2, Undo2 } from 'lucide-react';
import { useState } from 'react';
import type { TendError } from '../../../../src-shared/errors';
import type { SwapUndoResultInfo } from '../../../../src-shared/models/postgres';
import { formatAgo, formatBytes } from '../../lib/format';
import { valueOf } from '../../store/loadable';
import { useTend } from '../../store/use-tend';
import { Dialog } from '../common/dialog';
import { ErrorBox } from '../common/error-box';
import { Spinner } from '../common/loading';
import { formatSwapWindow } from './swap-window';

/**
 * The databases a restore kept so it can be undone: "Undo the last restore" swaps the newest
 * back in; "Drop the old database" removes them all, after a confirmation (a restore cannot be
 * undone after).
 */
export function UndoPanel(): React.JSX.Element | null {
  const check = useTend((state) => state.postgresCheck);
  const undo = useTend((state) => state.undoDatabaseRestore);
  const dropOld = useTend((state) => state.dropOldDatabases);
  const [endSessions, setEndSessions] = useState(false);
  const [busy, setBusy] = useState<'undo' | 'drop' | null>(null);
  const [error, setError] = useState<TendError | null>(null);
  const [undone, setUndone] = useState<SwapUndoResultInfo | null>(null);
  const [dropped, setDropped] = useState<ReadonlyArray<string> | null>(null);
  const [confirming, setConfirming] = useState(false);

  const value = valueOf(check);
  if (!value) return null;
  const kept = value.undoDatabases;

  async function runUndo(): Promise<void> {
    setBusy('undo');
    setError(null);
    setDropped(null);
    const result = await undo(endSessions);
    setBusy(null);
    if (result.ok) setUndone(result.value);
    else setError(result.error);
  }

  async function runDrop(): Promise<void> {
    setBusy('drop');
    setError(null);
    setUndone(null);
    const result = await dropOld();
    setBusy(null);
    setConfirming(false);
    if (result.ok) setDropped(result.value.dropped);
    else setError(result.error);
  }

  return (
    <section className="panel" aria-labelledby="database-undo" data-testid="database-undo">
      <div className="panel-head">
        <h2 className="panel-title" id="database-undo">
          Undo
        </h2>
        <div className="table-actions">
          <button
            type="button"
            className="button"
            disabled={kept.length === 0 || busy !== null}
            onClick={() => void runUndo()}
            data-testid="database-undo-button"
          >
            {busy === 'undo' ? <Spinner /> : <Undo2 size={16} aria-hidden />} Undo the last restore
          </button>
          <button
            type="button"
            className="button button-danger"
            disabled={kept.length === 0 || busy !== null}
            onClick={() => setConfirming(true)}
            data-testid="database-drop-old"
          >
            <Trash2 size={16} aria-hidden /> Drop the old database
          </button>
        </div>
      </div>
      {kept.length === 0 ? (
        <p className="muted">
          No database is kept for undo. A restore by swap keeps the database it replaces here until
          you drop it.
        </p>
      ) : (
        <>
          <ul className="database-kept">
            {kept.map((database) => (
              <li key={database.name}>
                <span className="mono">{database.name}</span>{' '}
                <span className="muted">
                  ({formatBytes(database.bytes)}, kept {formatAgo(database.at)})
                </span>
              </li>
            ))}
          </ul>
          <label className="database-option">
            <input
              type="checkbox"
              checked={endSessions}
              onChange={(event) => setEndSessions(event.target.checked)}
            />
            <span>
              End the app’s sessions for the undo (else it refuses while any are connected)
            </span>
          </label>
        </>
      )}
      {error ? <ErrorBox error={error} title="That did not work" /> : null}
      {undone ? (
        <p className="notice notice-ok" role="status" data-testid="database-undone">
          <span>
            Undone: {undone.database} is again the database it was before the restore (from{' '}
            <span className="mono">{undone.restoredFrom}</span>); the one the restore brought is
            kept as <span className="mono">{undone.keptAs}</span>, so this undo can be undone in
            turn. The database took no connections for {formatSwapWindow(undone.unavailableMs)}.
          </span>
        </p>
      ) : null}
      {dropped ? (
        <p className="notice notice-ok" role="status" data-testid="database-dropped">
          {dropped.length === 0 ? 'There was nothing to drop.' : `Dropped ${dropped.join(', ')}.`}
        </p>
      ) : null}
      {confirming ? (
        <Dialog title="Drop the old database?" onClose={() => setConfirming(false)}>
          <p>
            {kept.length === 1 ? 'This database is' : 'These databases are'} dropped from the
            server: {kept.map((database) => database.name).join(', ')}. After that, the last restore
            cannot be undone. The live database is not touched.
          </p>
          <div className="dialog-actions">
            <button type="button" className="button" onClick={() => setConfirming(false)}>
              Keep {kept.length === 1 ? 'it' : 'them'}
            </button>
            <button
              type="button"
              className="button button-danger"
              disabled={busy !== null}
              onClick={() => void runDrop()}
              data-testid="database-drop-confirm"
            >
              {busy === 'drop' ? <Spinner /> : <Trash2 size={16} aria-hidden />} Drop{' '}
              {kept.length === 1 ? 'it' : 'them'}
            </button>
          </div>
        </Dialog>
      ) : null}
    </section>
  );
}
