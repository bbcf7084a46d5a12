import { Undo2 } from 'lucide-react';
import { useEffect, useState } from 'react';
import type { TendError } from '../../../../src-shared/errors';
import {
  describeRestoreCounts,
  reportCounts,
  whyNoUndo,
} from '../../../../src-shared/models/restore-counts';
import { formatAgo, formatDateTime } from '../../lib/format';
import { valueOf } from '../../store/loadable';
import { isRootRestore } from '../../store/restore-slice';
import { useTend } from '../../store/use-tend';
import { ErrorBox } from '../common/error-box';
import { Spinner } from '../common/loading';
import { RestoreReportView } from './restore-report-view';
import { describeScope } from './restore-plan-view';

/**
 * The last restore, read from the engine (so a reload finds it): what it changed, in the
 * restore-counts model's words, and "Undo this restore" — or why there is no undo.
 */
export function LastRestorePanel(): React.JSX.Element | null {
  const last = useTend((state) => state.lastRestore);
  const loadLast = useTend((state) => state.loadLastRestore);
  const undoRestore = useTend((state) => state.undoRestore);
  const restoreRunning = useTend((state) => Object.values(state.runningJobs).some(isRootRestore));
  const [error, setError] = useState<TendError | null>(null);
  const [starting, setStarting] = useState(false);

  useEffect(() => {
    if (last.status === 'idle') void loadLast();
  }, [last.status, loadLast]);

  const value = valueOf(last);
  if (!value) return null;
  const { report } = value;
  const noUndo = value.undoneAt ? null : whyNoUndo(report);
  const undoable = value.undoneAt === null && noUndo === null;

  async function undo(): Promise<void> {
    if (starting) return;
    setStarting(true);
    setError(null);
    const result = await undoRestore();
    setStarting(false);
    if (!result.ok) setError(result.error);
  }

  return (
    <section className="panel restore-last" aria-labelledby="restore-last-title">
      <div className="panel-head">
        <h2 className="panel-title" id="restore-last-title">
          {report.undo ? 'Last restore (an undo)' : 'Last restore'}
        </h2>
        <span className="spacer" />
        {undoable ? (
          <button
            type="button"
            className="button"
            onClick={() => void undo()}
            disabled={starting || restoreRunning}
            title={restoreRunning ? 'A restore is running; it has to end first.' : undefined}
          >
            {starting ? <Spinner /> : <Undo2 size={16} aria-hidden />} Undo this restore
          </button>
        ) : null}
      </div>
      <p data-testid="last-restore-summary">
        <strong>{describeScope(report.scope)}</strong> from {report.backupId},{' '}
        <span title={formatDateTime(report.finishedAt)}>{formatAgo(report.finishedAt)}</span>:{' '}
        {describeRestoreCounts(reportCounts(report.totals))}
      </p>
      {value.undoneAt ? (
        <p className="muted">
          Undone {formatAgo(value.undoneAt)}: everything it changed was put back.
        </p>
      ) : noUndo ? (
        <p className="muted" data-testid="last-restore-no-undo">
          <strong>No undo:</strong> {noUndo}
        </p>
      ) : null}
      {error ? <ErrorBox error={error} title="The undo did not start" /> : null}
      <details className="restore-last-details">
        <summary>Its report and checks</summary>
        <RestoreReportView report={report} />
      </details>
    </section>
  );
}
