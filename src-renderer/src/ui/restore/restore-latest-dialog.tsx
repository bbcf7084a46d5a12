import { ArchiveRestore } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import type { TendError } from '../../../../src-shared/errors';
import type { LatestChoice, RestorePlan } from '../../../../src-shared/models/restore';
import { backupKindName, verifyStateNames } from '../../../../src-shared/language/names';
import { formatAgo, formatDateTime } from '../../lib/format';
import { useTend } from '../../store/use-tend';
import { Dialog } from '../common/dialog';
import { ErrorBox } from '../common/error-box';
import { Loading, Spinner } from '../common/loading';
import { RestorePlanView } from './restore-plan-view';

const choiceLabels: ReadonlyArray<{ value: LatestChoice; label: string; hint: string }> = [
  {
    value: 'latest',
    label: 'Latest backup',
    hint: 'the newest one, as the list of backups shows it first',
  },
  {
    value: 'newest-verified',
    label: 'Newest verified backup',
    hint: 'the newest one whose every file was checked by a verify',
  },
];

/** What the dialog knows of the chosen backup: still looking, a plan, or why there is none. */
type Found =
  | { state: 'looking' }
  | { state: 'plan'; plan: RestorePlan }
  | { state: 'none'; reason: string }
  | { state: 'error'; error: TendError };

/**
 * One-click "Restore latest backup…": one confirmation that says which backup (the latest,
 * or the newest verified one, as the person chooses), from when, whether it was verified,
 * and what it will change and keep, then the whole protocol (safety snapshot, verified
 * extract, swap, checks) runs as a job whose progress the Restore page shows.
 */
export function RestoreLatestDialog(props: { onClose: () => void }): React.JSX.Element {
  const { onClose } = props;
  const planLatestRestore = useTend((state) => state.planLatestRestore);
  const applyRestore = useTend((state) => state.applyRestore);
  const navigate = useTend((state) => state.navigate);
  const [choice, setChoice] = useState<LatestChoice>('latest');
  const [found, setFound] = useState<Found>({ state: 'looking' });
  const [error, setError] = useState<TendError | null>(null);
  const [starting, setStarting] = useState(false);
  const cancelRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    let current = true;
    void planLatestRestore(choice).then((result) => {
      if (!current) return;
      if (!result.ok) setFound({ state: 'error', error: result.error });
      else if (result.value.plan) setFound({ state: 'plan', plan: result.value.plan });
      else setFound({ state: 'none', reason: result.value.reason ?? 'There is no backup yet.' });
    });
    return () => {
      current = false;
    };
  }, [planLatestRestore, choice]);

  useEffect(() => {
    cancelRef.current?.focus();
  }, []);

  const plan = found.state === 'plan' ? found.plan : null;

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
    <Dialog
      title={
        choice === 'latest' ? 'Restore the latest backup?' : 'Restore the newest verified backup?'
      }
      onClose={onClose}
      className="restore-dialog"
    >
      <fieldset className="restore-fieldset" data-testid="restore-latest-choice">
        <legend className="field-label">Which backup</legend>
        {choiceLabels.map((option) => (
          <label key={option.value} className="restore-option">
            <input
              type="radio"
              name="restore-latest-choice"
              checked={choice === option.value}
              onChange={() => {
                setFound({ state: 'looking' });
                setChoice(option.value);
              }}
            />
            <span>
              <strong>{option.label}</strong>
              <span className="muted"> — {option.hint}</span>
            </span>
          </label>
        ))}
      </fieldset>
      {found.state === 'looking' ? <Loading label="Looking for the backup…" /> : null}
      {found.state === 'error' ? (
        <ErrorBox error={found.error} title="The restore cannot start" />
      ) : null}
      {error ? <ErrorBox error={error} title="The restore cannot start" /> : null}
      {found.state === 'none' ? <p data-testid="restore-latest-none">{found.reason}</p> : null}
      {plan ? (
        <>
          <p data-testid="restore-latest-backup">
            <strong>{plan.backup.id}</strong> ({backupKindName(plan.backup.kind)},{' '}
            {(plan.backup.verified
              ? verifyStateNames.verified
              : verifyStateNames.unverified
            ).toLowerCase()}
            ), made {formatAgo(plan.backup.createdAt)} ({formatDateTime(plan.backup.createdAt)}).
            Everything it holds comes back; files of its kinds that it does not hold are removed,
            except what a backup cannot hold, which stays as it is. A safety snapshot of what
            changes is taken first, so you can undo this.
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
