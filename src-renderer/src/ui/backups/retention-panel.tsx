import { Eye, Save, Scissors } from 'lucide-react';
import { useEffect, useState } from 'react';
import type { TendError } from '../../../../src-shared/errors';
import type { RetentionPolicy } from '../../../../src-shared/models/backups';
import { formatBytes, formatCount } from '../../lib/format';
import { valueOf } from '../../store/loadable';
import { useTend } from '../../store/use-tend';
import { ConfirmInline } from '../common/confirm-inline';
import { ErrorBox } from '../common/error-box';
import { Spinner } from '../common/loading';
import { backupKindName } from '../../../../src-shared/language/names';

const tiers = [
  { key: 'daily', label: 'Daily', hint: 'newest backup of each kind, each of the last N days' },
  { key: 'weekly', label: 'Weekly', hint: 'newest of each kind, each of the last N weeks' },
  { key: 'monthly', label: 'Monthly', hint: 'newest of each kind, each of the last N months' },
] as const;

const plural = new Intl.PluralRules('en-US');

/** "1 backup", "12 backups". */
export function formatBackups(count: number): string {
  return `${formatCount(count)} ${plural.select(count) === 'one' ? 'backup' : 'backups'}`;
}

const limits: Readonly<Record<keyof RetentionPolicy, number>> = {
  daily: 365,
  weekly: 520,
  monthly: 240,
};

/** Parses the three fields; a message per field that is not a whole number in range. */
export function parsePolicy(form: Record<keyof RetentionPolicy, string>): {
  policy: RetentionPolicy | null;
  issues: Partial<Record<keyof RetentionPolicy, string>>;
} {
  const issues: Partial<Record<keyof RetentionPolicy, string>> = {};
  const values: Partial<RetentionPolicy> = {};
  for (const { key } of tiers) {
    const text = form[key].trim();
    const value = Number(text);
    if (text === '' || !Number.isInteger(value) || value < 0 || value > limits[key]) {
      issues[key] = `Type a whole number from 0 to ${limits[key]}.`;
    } else values[key] = value;
  }
  return Object.keys(issues).length > 0
    ? { policy: null, issues }
    : { policy: values as RetentionPolicy, issues };
}

/**
 * Retention: how many daily, weekly and monthly backups to keep, a preview of what would go
 * and why under the numbers typed, and "Prune now".
 */
export function RetentionPanel(): React.JSX.Element | null {
  const settings = valueOf(useTend((state) => state.settings));
  if (!settings) return null;
  const saved = settings.backup.retention;
  // A new form when the saved numbers change (saved here or in Settings).
  return <RetentionForm key={`${saved.daily}/${saved.weekly}/${saved.monthly}`} saved={saved} />;
}

function RetentionForm(props: { saved: RetentionPolicy }): React.JSX.Element {
  const { saved } = props;
  const settings = valueOf(useTend((state) => state.settings));
  const saveSettings = useTend((state) => state.saveSettings);
  const plan = useTend((state) => state.prunePlan);
  const previewPrune = useTend((state) => state.previewPrune);
  // The history as the page last loaded it: a new list (a backup ended, one was deleted or
  // verified) means a new preview.
  const history = valueOf(useTend((state) => state.backups));
  const prune = useTend((state) => state.prune);
  const repositorySet = useTend((state) => valueOf(state.repositoryStatus)?.destination != null);
  const [form, setForm] = useState<Record<keyof RetentionPolicy, string>>({
    daily: String(saved.daily),
    weekly: String(saved.weekly),
    monthly: String(saved.monthly),
  });
  const [error, setError] = useState<TendError | null>(null);
  const [working, setWorking] = useState<'save' | 'prune' | null>(null);

  // The policy the preview shows: the saved one, or the numbers typed when Preview was pressed.
  const [previewing, setPreviewing] = useState<RetentionPolicy>(saved);

  useEffect(() => {
    void previewPrune(previewing);
  }, [previewing, history, previewPrune]);

  const { policy, issues } = parsePolicy(form);
  const changed =
    policy !== null &&
    (policy.daily !== saved.daily ||
      policy.weekly !== saved.weekly ||
      policy.monthly !== saved.monthly);
  const current = valueOf(plan);
  const doomed = current?.decisions.filter((decision) => decision.action === 'delete') ?? [];

  async function save(): Promise<void> {
    if (!policy || !settings) return;
    setWorking('save');
    setError(null);
    const result = await saveSettings({
      ...settings,
      backup: { ...settings.backup, retention: policy },
    });
    setWorking(null);
    if (!result.ok) setError(result.error);
  }

  async function pruneNow(): Promise<void> {
    setWorking('prune');
    setError(null);
    const result = await prune();
    setWorking(null);
    if (!result.ok) setError(result.error);
  }

  return (
    <section className="panel" aria-labelledby="backup-retention" data-testid="backup-retention">
      <div className="panel-head">
        <h2 className="panel-title" id="backup-retention">
          Retention
        </h2>
      </div>
      <p className="muted">
        Grandfather-father-son: older backups thin out. Each kind has its own slots, so a critical
        backup never takes the place of a full one, and the newest of each kind always stays. Only
        backups that can be restored fill a slot: one whose archive is missing or damaged is kept
        and named. The newest verified backup is always kept, and only backups Tend wrote for this
        data folder are ever deleted.
        {repositorySet
          ? ' The same numbers thin out the encrypted snapshots above; “Prune now” deletes archives only.'
          : null}
      </p>
      <div className="retention-fields">
        {tiers.map(({ key, label, hint }) => (
          <label className="field" key={key}>
            <span className="field-label">{label}</span>
            <input
              className="input"
              inputMode="numeric"
              value={form[key]}
              aria-invalid={issues[key] ? true : undefined}
              onChange={(event) => setForm({ ...form, [key]: event.target.value })}
            />
            <span className={issues[key] ? 'field-message' : 'field-hint'}>
              {issues[key] ?? hint}
            </span>
          </label>
        ))}
      </div>
      <div className="form-actions">
        <button
          type="button"
          className="button"
          onClick={() => policy && setPreviewing({ ...policy })}
          disabled={!policy || plan.status === 'loading'}
        >
          {plan.status === 'loading' ? <Spinner /> : <Eye size={16} aria-hidden />} Preview
        </button>
        <button
          type="button"
          className="button button-primary"
          onClick={() => void save()}
          disabled={!changed || working !== null}
        >
          {working === 'save' ? <Spinner /> : <Save size={16} aria-hidden />} Save retention
        </button>
        <span className="spacer" />
        <ConfirmInline
          icon={Scissors}
          label="Prune now"
          question={`Delete ${formatBackups(doomed.length)}?`}
          confirmLabel="Delete them"
          onConfirm={() => void pruneNow()}
          busy={working === 'prune'}
          disabled={working !== null || changed || doomed.length === 0}
          title={changed ? 'Save the new numbers first' : undefined}
        />
      </div>
      {error ? <ErrorBox error={error} title="That did not work" /> : null}
      {plan.status === 'error' ? <ErrorBox error={plan.error} title="No preview" /> : null}
      {current ? (
        <div data-testid="prune-preview">
          <p>
            {current.decisions.length === 0
              ? repositorySet
                ? 'No completed archives: nothing to keep or delete here.'
                : 'No completed backups yet: nothing to keep or delete.'
              : doomed.length === 0
                ? `Nothing to delete: ${current.decisions.length === 1 ? 'the one backup stays' : `all ${formatBackups(current.decisions.length)} stay`}.`
                : `${formatCount(doomed.length)} of ${formatBackups(current.decisions.length)} would be deleted, freeing ${formatBytes(current.freedBytes)}${changed ? ' (with the numbers above, not saved yet)' : ''}.`}
          </p>
          {current.decisions.length > 0 ? (
            <ul className="prune-list">
              {current.decisions.map((decision) => (
                <li key={decision.id} className={`prune-${decision.action}`}>
                  <span className={`badge badge-${decision.action === 'delete' ? 'bad' : 'ok'}`}>
                    {decision.action === 'delete' ? 'Goes' : 'Stays'}
                  </span>{' '}
                  <span className="badge">{backupKindName(decision.kind)}</span>{' '}
                  {decision.restorable ? null : (
                    <>
                      <span className="badge badge-warning">Cannot be restored</span>{' '}
                    </>
                  )}
                  <span className="mono">{decision.id}</span>{' '}
                  <span className="muted">— {decision.reason}</span>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
