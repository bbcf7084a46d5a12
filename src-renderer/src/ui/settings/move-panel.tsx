import { FolderInput } from 'lucide-react';
import { useEffect, useState } from 'react';
import { formatDateTime } from '../../lib/format';
import { useTend } from '../../store/use-tend';
import { ErrorBox } from '../common/error-box';
import { JobProgressRow } from '../jobs/job-progress';
import { MoveOldCopy } from './move-old-copy';
import { MoveWizard } from './move-wizard';
import './move.css';

/**
 * Settings' "Data folder" block: where the folder is, the "Move data folder…" button, and what
 * a move left to do after a restart (a move still running, an old copy kept, Move back).
 */
export function MovePanel(): React.JSX.Element | null {
  const rootPath = useTend((state) => (state.root.status === 'open' ? state.root.info.path : null));
  const moveStatus = useTend((state) => state.moveStatus);
  const loadMoveStatus = useTend((state) => state.loadMoveStatus);
  const running = useTend(
    (state) => Object.values(state.runningJobs).find((job) => job.kind === 'move') ?? null,
  );
  // The newest move job that ended: the status is read again after each.
  const lastEnded = useTend(
    (state) =>
      Object.values(state.finishedJobs)
        .filter((job) => job.kind === 'move')
        .at(-1)?.id ?? null,
  );
  const [open, setOpen] = useState(false);

  useEffect(() => {
    if (rootPath) void loadMoveStatus();
  }, [rootPath, lastEnded, loadMoveStatus]);

  if (!rootPath) return null;
  const status = moveStatus.status === 'ready' ? moveStatus.value : null;
  const last = status?.last ?? null;
  return (
    <section className="panel" aria-labelledby="move-panel-title" data-testid="move-panel">
      <h2 className="panel-title" id="move-panel-title">
        Data folder
      </h2>
      <p className="muted">
        Now at <code className="mono">{rootPath}</code>. Moving it copies and checks every file,
        points the app at the new place and keeps the old copy until you remove it.
      </p>
      {running && !open ? (
        <ul className="job-list" data-testid="move-panel-running">
          <JobProgressRow job={running} />
        </ul>
      ) : null}
      {last && !running ? (
        <div className="move-last" data-testid="move-last">
          <p>
            {last.movedBackAt
              ? `Moved back from ${last.to} to ${last.from} on ${formatDateTime(last.movedBackAt)}.`
              : `Moved from ${last.from} to ${last.to} on ${formatDateTime(last.movedAt)}${last.method === 'rename' ? ' (one rename, the same disk)' : ''}.`}
          </p>
          {!open && status ? <MoveOldCopy status={status} /> : null}
        </div>
      ) : null}
      {moveStatus.status === 'error' ? (
        <ErrorBox
          error={moveStatus.error}
          title="Could not read the last move"
          onRetry={() => void loadMoveStatus()}
        />
      ) : null}
      <div className="form-actions">
        <button
          type="button"
          className="button"
          onClick={() => setOpen(true)}
          disabled={running !== null && open}
        >
          <FolderInput size={16} aria-hidden /> Move data folder…
        </button>
      </div>
      {open ? (
        <MoveWizard onClose={() => setOpen(false)} runningJobId={running?.id ?? null} />
      ) : null}
    </section>
  );
}
