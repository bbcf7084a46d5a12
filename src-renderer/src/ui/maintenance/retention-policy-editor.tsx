import { useEffect, useState } from 'react';
import type { TendError } from '../../../../src-shared/errors';
import type { RetentionPolicy } from '../../../../src-shared/models/maintenance';
import { valueOf } from '../../store/loadable';
import { useTend } from '../../store/use-tend';
import { ErrorBox } from '../common/error-box';
import { Loading, Spinner } from '../common/loading';

type Draft = Record<'hotDays' | 'warmDays' | 'coldDays' | 'scrubAfterDays', string>;

function draftOf(policy: RetentionPolicy): Draft {
  return {
    hotDays: String(policy.hotDays),
    warmDays: String(policy.warmDays),
    coldDays: String(policy.coldDays),
    scrubAfterDays: policy.scrubAfterDays === null ? '' : String(policy.scrubAfterDays),
  };
}

const fields: ReadonlyArray<{ key: keyof Draft; label: string; hint: string }> = [
  { key: 'hotDays', label: 'Hot (days)', hint: 'Full rows in assistant.db' },
  { key: 'warmDays', label: 'Warm (days)', hint: 'Daily aggregates in history.db' },
  { key: 'coldDays', label: 'Cold (days)', hint: 'Compressed archives, then deleted' },
  { key: 'scrubAfterDays', label: 'Scrub after (days)', hint: 'Empty turns the scrub off' },
];

/**
 * The interactions table's retention policy as a small form: days hot, warm and cold, and the
 * age at which the privacy scrub applies. Made to sit on the Settings page (and shown on
 * Maintenance); the engine checks it again (warm ≥ hot, cold ≥ warm).
 */
export function RetentionPolicyEditor(): React.JSX.Element | null {
  const policy = useTend((state) => state.retentionPolicy);
  const load = useTend((state) => state.loadRetentionPolicy);
  const save = useTend((state) => state.saveRetentionPolicy);
  // Edits belong to the policy they were made on; a newly loaded policy starts a fresh draft.
  const [edits, setEdits] = useState<{ on: RetentionPolicy; draft: Draft } | null>(null);
  const [error, setError] = useState<TendError | null>(null);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (policy.status === 'idle') void load();
  }, [policy.status, load]);
  const current = valueOf(policy);
  const draft = current ? (edits?.on === current ? edits.draft : draftOf(current)) : null;

  if (policy.status === 'error' && policy.error.code === 'ASSISTANT_DB_MISSING') return null;
  // A folder whose app keeps its own policy (the analytics system's data_retention_policy):
  // where it lives, not an error.
  if (policy.status === 'error' && policy.error.code === 'PROFILE_UNSUPPORTED')
    return (
      <p className="muted" data-testid="retention-policy-elsewhere">
        {policy.error.message}
      </p>
    );
  if (policy.status === 'error')
    return <ErrorBox error={policy.error} title="Could not read the retention policy" />;
  if (!draft) return <Loading label="Reading the retention policy…" />;

  async function submit(event: React.FormEvent): Promise<void> {
    event.preventDefault();
    if (!draft) return;
    setSaving(true);
    setError(null);
    setSaved(false);
    const result = await save({
      tableName: 'interactions',
      hotDays: Number(draft.hotDays),
      warmDays: Number(draft.warmDays),
      coldDays: Number(draft.coldDays),
      scrubAfterDays: draft.scrubAfterDays.trim() === '' ? null : Number(draft.scrubAfterDays),
    });
    setSaving(false);
    if (result.ok) setSaved(true);
    else setError(result.error);
  }

  return (
    <form
      className="retention-form"
      onSubmit={(event) => void submit(event)}
      data-testid="retention-form"
    >
      <div className="retention-fields">
        {fields.map((field) => (
          <label key={field.key} className="field">
            <span className="field-label">{field.label}</span>
            <input
              className="input"
              type="number"
              min={1}
              value={draft[field.key]}
              onChange={(event) => {
                setSaved(false);
                if (current)
                  setEdits({ on: current, draft: { ...draft, [field.key]: event.target.value } });
              }}
            />
            <span className="field-hint">{field.hint}</span>
          </label>
        ))}
      </div>
      {error ? <ErrorBox error={error} title="The policy was not saved" /> : null}
      <div className="row">
        <button type="submit" className="button button-primary" disabled={saving}>
          {saving ? <Spinner /> : null} Save retention policy
        </button>
        {saved ? <span className="muted">Saved; the next archival run follows it.</span> : null}
      </div>
    </form>
  );
}
