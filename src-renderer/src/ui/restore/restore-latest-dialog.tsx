import { ArchiveRestore } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import type { TendError } from '../../../../src-shared/errors';
import type { RestorePlan } from '../../../../src-shared/models/restore';
import { formatAgo } from '../../lib/format';
import { useTend } from '../../store/use-tend';
import { Dialog } from '../common/dialog';
import { ErrorBox } from '../common/error-box';
import { Loading, Spinner } from '../common/loading';
import { RestorePlanView } from './restore-plan-view';

/**
 * One-click "Restore latest backup…": one confirmation that says which backup, from when, and
 * what it will change, then the whole protocol (safety snapshot, verified extract, swap,
 * checks) runs as a job whose progress the Restore page shows.
 */
export function RestoreLatestDialog(props: { onClose: () => void }): React.JSX.Element {
  const { onClose } = props;
  const planLatestRestore = useTend((state) => state.planLatestRestore);
  const applyRestore = useTend((state) => state.applyRestore);
  const navigate = useTend((state) => state.navigate);
  const [plan, setPlan] = useState<RestorePlan | null | undefined>(undefined);
  const [error, setError] = useState<TendError | null>(null);
  const [starting, setStarting] = useState(false);
  const cancelRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    let current = true;
    void planLatestRestore().then((result) => {
      if (!current) return;
      if (result.ok) setPlan(result.value.plan);
      else {
        setPlan(null);
        setError(result.error);
      }
    });
    return () => {
      current = false;
    };
  }, [planLatestRestore]);

  useEffect(() => {
    cancelRef.current?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  async function restore(): Promise<void> {
    if (!plan) return;
    setStarting(true);
    setError(null);
    const result = await applyRestore(plan.backup.archivePath, { kind: 'everything' });
    setStarting(false);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    navigate('restore');
    onClose();
  }

  return (
    <Dialog title="Restore the latest backup?" onClose={onClose} className="restore-dialog">
      {plan === undefined && !error ? <Loading label="Looking for the newest backup…" /> : null}
      {error ? <ErrorBox error={error} title="The restore cannot start" /> : null}
      {plan === null && !error ? (
        <p>There is no backup to restore yet. Back up first on the Backups page.</p>
      ) : null}
      {plan ? (
        <>
          <p>
            <strong>{plan.backup.id}</strong> ({plan.backup.kind}), made{' '}
            {formatAgo(plan.backup.createdAt)} on {new Date(plan.backup.createdAt).toLocaleString()}
            . Everything it holds comes back; files of its kinds that it does not hold are removed.
            A safety snapshot of what changes is taken first, so you can undo this.
          </p>
          <RestorePlanView plan={plan} compact />
        </>
      ) : null}
      <div className="dialog-actions">
        <button ref={cancelRef} type="button" className="button" onClick={onClose}>
          Cancel
        </button>
        <button
          type="button"
          className="button button-danger"
          onClick={() => void restore()}
          disabled={!plan || plan.refusals.length > 0 || starting}
        >
          {starting ? <Spinner /> : <ArchiveRestore size={16} aria-hidden />} Restore this backup
        </button>
      </div>
    </Dialog>
  );
}
