import { Trash2, Undo2 } from 'lucide-react';
import { useState } from 'react';
import type { TendError } from '../../../../src-shared/errors';
import type { ForgetOldResult, MoveStatus } from '../../../../src-shared/models/move';
import { countOf, formatBytes } from '../../lib/format';
import { MOVE_PLACE } from '../../store/move-slice';
import { useTend } from '../../store/use-tend';
import { ErrorBox } from '../common/error-box';
import { Spinner } from '../common/loading';
import { describeOldCopy } from './move-text';

/**
 * The old copy of the last move, with its size, and what can be done with it: "Remove the old
 * copy" behind its own confirmation, and "Move back" while it exists and nothing changed since.
 */
export function MoveOldCopy(props: {
  status: MoveStatus;
  /** The move back started: its job, for the place that follows it. */
  onStarted?: (jobId: string) => void;
}): React.JSX.Element | null {
  const { status, onStarted } = props;
  const forgetOldCopy = useTend((state) => state.forgetOldCopy);
  const moveBack = useTend((state) => state.moveBack);
  const starting = useTend((state) => state.startingAt[MOVE_PLACE] === true);
  const [confirming, setConfirming] = useState(false);
  const [removing, setRemoving] = useState(false);
  const [removed, setRemoved] = useState<ForgetOldResult | null>(null);
  const [error, setError] = useState<TendError | null>(null);
  const last = status.last;
  const oldCopy = last ? describeOldCopy(last) : null;

  async function remove(): Promise<void> {
    setRemoving(true);
    setError(null);
    const result = await forgetOldCopy();
    setRemoving(false);
    setConfirming(false);
    if (result.ok) setRemoved(result.value);
    else setError(result.error);
  }

  async function back(): Promise<void> {
    setError(null);
    const result = await moveBack();
    if (result && !result.ok) setError(result.error);
    else if (result) onStarted?.(result.value.id);
  }

  if (!last) return null;
  return (
    <div className="move-old-copy" data-testid="move-old-copy">
      {oldCopy ? <p data-testid="move-old-copy-text">{oldCopy}</p> : null}
      {removed ? (
        <p className="notice notice-ok" role="status" data-testid="move-removed">
          The old copy at {removed.path} was removed: {countOf(removed.removedFiles, 'file')},{' '}
          {formatBytes(removed.removedBytes)}.
          {removed.left.length > 0
            ? ` Left in place, because the move did not copy them or they changed since: ${removed.left.slice(0, 5).join(', ')}${removed.left.length > 5 ? ' …' : ''}.`
            : ''}
        </p>
      ) : null}
      {confirming && last.oldCopy ? (
        <div
          className="notice notice-warning move-confirm"
          role="alertdialog"
          aria-label="Remove the old copy"
        >
          <div>
            <p>
              <strong>Remove the old copy for good?</strong> Tend deletes from {last.oldCopy.path}{' '}
              only the files the move copied and verified at {last.to}
              {` (${formatBytes(last.oldCopy.bytes)})`}; anything else there stays. After this, the
              move cannot be undone.
            </p>
            <div className="dialog-actions">
              <button type="button" className="button" onClick={() => setConfirming(false)}>
                Keep it
              </button>
              <button
                type="button"
                className="button button-danger"
                disabled={removing}
                onClick={() => void remove()}
              >
                {removing ? <Spinner /> : <Trash2 size={16} aria-hidden />} Remove{' '}
                {formatBytes(last.oldCopy.bytes)} for good
              </button>
            </div>
          </div>
        </div>
      ) : null}
      <div className="row move-old-actions">
        {oldCopy && !confirming ? (
          <button type="button" className="button" onClick={() => setConfirming(true)}>
            <Trash2 size={16} aria-hidden /> Remove the old copy…
          </button>
        ) : null}
        {status.noBack === null ? (
          <button type="button" className="button" disabled={starting} onClick={() => void back()}>
            {starting ? <Spinner /> : <Undo2 size={16} aria-hidden />} Move back to {last.from}
          </button>
        ) : oldCopy ? (
          <span className="muted" data-testid="move-no-back">
            Move back is not possible: {status.noBack}
          </span>
        ) : null}
      </div>
      {error ? <ErrorBox error={error} title="That did not work" /> : null}
    </div>
  );
}
