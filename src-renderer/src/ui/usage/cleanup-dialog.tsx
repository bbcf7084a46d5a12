import { Trash2 } from 'lucide-react';
import { useEffect, useState } from 'react';
import type { TendError } from '../../../../src-shared/errors';
import type { CleanCeiling, CleanKind, CleanPlan } from '../../../../src-shared/models/usage';
import { formatAgo, formatBytes, formatFiles } from '../../lib/format';
import { useTend } from '../../store/use-tend';
import { Dialog } from '../common/dialog';
import { ErrorBox } from '../common/error-box';
import { Loading, Spinner } from '../common/loading';

const actionLabel = { delete: 'Delete', gzip: 'Gzip', vacuum: 'VACUUM', compact: 'Compact' };

/** A share of the data folder as a person reads it: 62.5%. */
function formatShare(share: number): string {
  return `${Math.round(share * 1000) / 10}%`;
}

/** Why a cleanup asks again, with the numbers, in the page's own units. */
function ceilingText(ceiling: CleanCeiling): string {
  const reasons = [
    ceiling.share > ceiling.maxShare
      ? `${formatShare(ceiling.share)} of the data folder (${formatBytes(ceiling.bytes)} of ${formatBytes(ceiling.folderBytes)}), more than the ${formatShare(ceiling.maxShare)} a cleanup removes without asking`
      : null,
    ceiling.files > ceiling.maxFiles
      ? `${formatFiles(ceiling.files)}, more than the ${formatFiles(ceiling.maxFiles)} a cleanup removes without asking`
      : null,
  ].filter(Boolean);
  return `It would remove ${reasons.join(', and ')}. Check the list above first.`;
}

/**
 * The preview of one cleanup: the rule, then every file with its size and why it can go.
 * Nothing is touched until the person confirms; the cleanup then runs as a job that deletes
 * only these files, and skips any that changed meanwhile.
 */
export function CleanupDialog(props: { kind: CleanKind; onClose: () => void }): React.JSX.Element {
  const { kind, onClose } = props;
  const planCleanup = useTend((state) => state.planCleanup);
  const applyCleanup = useTend((state) => state.applyCleanup);
  const [gzip, setGzip] = useState(false);
  // The answer is kept with the request it answers, so a stale one never shows as current.
  const [answer, setAnswer] = useState<{
    key: string;
    plan: CleanPlan | null;
    error: TendError | null;
  } | null>(null);
  const [applyError, setApplyError] = useState<TendError | null>(null);
  const [applying, setApplying] = useState(false);
  // A cleanup over the ceiling runs only once the person ticked that they checked the numbers.
  const [confirmedPlan, setConfirmedPlan] = useState<string | null>(null);
  const key = `${kind}:${gzip}`;
  const plan = answer?.key === key ? answer.plan : null;
  const error = applyError ?? (answer?.key === key ? answer.error : null);

  useEffect(() => {
    let current = true;
    void planCleanup(kind, gzip).then((result) => {
      if (!current) return;
      setAnswer({
        key: `${kind}:${gzip}`,
        plan: result.ok ? result.value : null,
        error: result.ok ? null : result.error,
      });
    });
    return () => {
      current = false;
    };
  }, [kind, gzip, planCleanup]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  const apply = async () => {
    if (!plan) return;
    setApplying(true);
    const result = await applyCleanup(plan.id, confirmedPlan === plan.id);
    setApplying(false);
    if (result.ok) onClose();
    else setApplyError(result.error);
  };

  const deletes = plan?.items.filter((i) => i.action === 'delete').length ?? 0;
  const gzips = plan?.items.filter((i) => i.action === 'gzip').length ?? 0;
  const confirm = [
    deletes > 0 ? `Delete ${formatFiles(deletes)}` : null,
    gzips > 0 ? `gzip ${formatFiles(gzips)}` : null,
  ]
    .filter(Boolean)
    .join(', ');

  return (
    <Dialog
      title={<>Clean up: {plan?.title.toLowerCase() ?? kind}</>}
      onClose={onClose}
      className="cleanup-dialog"
    >
      {error ? <ErrorBox error={error} title="Could not prepare the cleanup" /> : null}
      {!plan && !error ? <Loading label="Listing the files…" /> : null}
      {plan ? (
        <>
          <p className="muted">{plan.rule}</p>
          {kind === 'logs' ? (
            <label className="row">
              <input
                type="checkbox"
                checked={gzip}
                onChange={(event) => setGzip(event.target.checked)}
              />
              Also gzip plain logs older than a week (they stay readable with zcat)
            </label>
          ) : null}
          <p data-testid="cleanup-total">
            <strong>{formatFiles(plan.items.length)}</strong>, {formatBytes(plan.totalBytes)}; frees
            about <strong>{formatBytes(plan.reclaimBytes)}</strong>.
          </p>
          {plan.items.length > 0 ? (
            <div className="table-wrap cleanup-files">
              <table className="table">
                <thead>
                  <tr>
                    <th>File</th>
                    <th>Action</th>
                    <th className="num">Size</th>
                    <th>Why</th>
                  </tr>
                </thead>
                <tbody>
                  {plan.items.map((item) => (
                    <tr key={item.path}>
                      <td className="mono cleanup-path" title={item.path}>
                        {item.path}
                      </td>
                      <td>{actionLabel[item.action]}</td>
                      <td className="num">{formatBytes(item.bytes)}</td>
                      <td
                        className="muted"
                        title={`changed ${formatAgo(new Date(item.mtimeMs).toISOString())}`}
                      >
                        {item.reason}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <p className="muted">Nothing to clean up here right now.</p>
          )}
          {plan.applicable && plan.confirm ? (
            <div className="notice notice-warning" role="alert" data-testid="cleanup-ceiling">
              <div>
                <p>
                  <strong>This is a large cleanup.</strong> {ceilingText(plan.confirm)}
                </p>
                <label className="row">
                  <input
                    type="checkbox"
                    checked={confirmedPlan === plan.id}
                    onChange={(event) => setConfirmedPlan(event.target.checked ? plan.id : null)}
                  />
                  I checked the list: clean up these {formatFiles(plan.confirm.files)}
                </label>
              </div>
            </div>
          ) : null}
          <div className="dialog-actions">
            <button type="button" className="button" onClick={onClose}>
              Cancel
            </button>
            {plan.applicable ? (
              <button
                type="button"
                className="button button-danger"
                disabled={
                  plan.items.length === 0 ||
                  applying ||
                  (plan.confirm !== null && confirmedPlan !== plan.id)
                }
                onClick={() => void apply()}
              >
                {applying ? <Spinner /> : <Trash2 size={16} aria-hidden />} {confirm || 'Clean up'}{' '}
                ({formatBytes(plan.totalBytes)})
              </button>
            ) : null}
          </div>
        </>
      ) : null}
    </Dialog>
  );
}
