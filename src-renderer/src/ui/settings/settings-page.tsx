import { FolderOpen, RotateCcw, Save } from 'lucide-react';
import { useEffect, useMemo, useState, type FormEvent, type ReactNode } from 'react';
import type { TendError } from '../../../../src-shared/errors';
import type { Settings } from '../../../../src-shared/models/settings';
import {
  checkSettingsForm,
  sameForm,
  settingsFieldPaths,
  settingsToForm,
  type FieldIssues,
  type SettingsField,
  type SettingsForm,
} from '../../lib/settings-form';
import { useTend } from '../../store/use-tend';
import { ErrorBox } from '../common/error-box';
import { FieldMessage } from '../common/field-message';
import { Loading, Spinner } from '../common/loading';
import { PageHeader } from '../common/page-header';
import { RetentionPolicyEditor } from '../maintenance/retention-policy-editor';
import './settings.css';

/** Settings: where backups go, how long they are kept, schedules, cleanup limits and alerts. */
export function SettingsPage(): React.JSX.Element {
  const settings = useTend((state) => state.settings);
  const problem = useTend((state) => state.settingsProblem);
  const loadSettings = useTend((state) => state.loadSettings);
  const hasAssistantDb = useTend(
    (state) => state.root.status === 'open' && state.root.info.hasAssistantDb,
  );
  // Kept here: a save remounts the editor (its key is the saved settings).
  const [savedAt, setSavedAt] = useState<Date | null>(null);

  useEffect(() => {
    if (settings.status === 'idle') void loadSettings();
  }, [settings.status, loadSettings]);

  return (
    <>
      <PageHeader
        title="Settings"
        subtitle="Saved in the data folder's .tend/settings.json; the command line and the desktop app share them."
      />
      {problem ? (
        <ErrorBox
          error={problem}
          title="The settings file could not be used, so the defaults are shown. Saving replaces it (the old file is kept beside it)."
        />
      ) : null}
      {settings.status === 'error' ? (
        <ErrorBox
          error={settings.error}
          title="Could not read the settings"
          onRetry={() => void loadSettings()}
        />
      ) : settings.status === 'ready' ? (
        // Keyed by the saved settings: a save from elsewhere (the CLI, another window) shows
        // the new values instead of a stale form.
        <SettingsEditor
          key={JSON.stringify(settings.value)}
          saved={settings.value}
          savedAt={savedAt}
          onSaved={setSavedAt}
        />
      ) : (
        <Loading label="Reading the settings…" />
      )}
      {hasAssistantDb ? (
        <section className="panel" aria-labelledby="analytics-retention-title">
          <h2 className="panel-title" id="analytics-retention-title">
            Analytics retention
          </h2>
          <p className="muted">
            How long the assistant&apos;s interactions stay in full detail, as daily aggregates and
            as compressed monthly archives. Kept in the assistant&apos;s database, so it is saved on
            its own, apart from the settings above.
          </p>
          <RetentionPolicyEditor />
        </section>
      ) : null}
    </>
  );
}

function SettingsEditor(props: {
  saved: Settings;
  savedAt: Date | null;
  onSaved: (at: Date | null) => void;
}): React.JSX.Element {
  const { saved, savedAt, onSaved } = props;
  const saveSettings = useTend((state) => state.saveSettings);
  const pickFolder = useTend((state) => state.pickFolder);
  const savedForm = useMemo(() => settingsToForm(saved), [saved]);
  const [form, setForm] = useState<SettingsForm>(savedForm);
  const [issues, setIssues] = useState<FieldIssues>({});
  const [general, setGeneral] = useState<ReadonlyArray<string>>([]);
  const [error, setError] = useState<TendError | null>(null);
  const [saving, setSaving] = useState(false);
  const canPick = window.tend !== undefined;
  const dirty = !sameForm(form, savedForm);

  function update(field: SettingsField, value: string): void {
    setForm((current) => ({ ...current, [field]: value }));
    setIssues((current) => ({ ...current, [field]: undefined }));
    onSaved(null);
  }

  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault();
    setError(null);
    const checked = checkSettingsForm(form, saved);
    if (!checked.ok) {
      setIssues(checked.issues);
      setGeneral(checked.general);
      return;
    }
    setIssues({});
    setGeneral([]);
    setSaving(true);
    const result = await saveSettings(checked.settings);
    setSaving(false);
    if (result.ok) {
      setForm(settingsToForm(result.value));
      onSaved(new Date());
      return;
    }
    // The engine checks again (cron expressions with croner): put its issues under the fields.
    const engineIssues = readIssues(result.error);
    if (Object.keys(engineIssues).length > 0) setIssues(engineIssues);
    else setError(result.error);
  }

  async function browseDestination(): Promise<void> {
    const result = await pickFolder('destination');
    if (!result.ok) setError(result.error);
    else if (result.value.path) update('destination', result.value.path);
  }

  const field = (
    name: SettingsField,
    label: string,
    hint: ReactNode,
    options: { suffix?: string; mono?: boolean; wide?: boolean; after?: ReactNode } = {},
  ) => (
    <div className={options.wide ? 'field field-wide' : 'field'}>
      <label htmlFor={`setting-${name}`}>{label}</label>
      <div className="input-row">
        <input
          id={`setting-${name}`}
          className={options.mono ? 'input mono' : 'input'}
          value={form[name]}
          onChange={(event) => update(name, event.target.value)}
          aria-invalid={issues[name] ? true : undefined}
          aria-describedby={`setting-${name}-hint setting-${name}-message`}
          spellCheck={false}
          autoComplete="off"
        />
        {options.suffix ? <span className="input-suffix">{options.suffix}</span> : null}
        {options.after}
      </div>
      <p className="field-hint" id={`setting-${name}-hint`}>
        {hint}
      </p>
      <FieldMessage id={`setting-${name}-message`} message={issues[name]} />
    </div>
  );

  return (
    <form className="form" onSubmit={(event) => void submit(event)} noValidate>
      <section className="panel">
        <h2 className="panel-title">Backups</h2>
        <div className="fieldset">
          {field(
            'destination',
            'Backup folder',
            'A folder outside the data folder; an external drive is best. Empty until you choose one.',
            {
              mono: true,
              wide: true,
              after: canPick ? (
                <button type="button" className="button" onClick={() => void browseDestination()}>
                  <FolderOpen size={16} aria-hidden /> Browse…
                </button>
              ) : undefined,
            },
          )}
          {field('retentionDaily', 'Daily backups kept', 'The newest backup of each day.', {
            suffix: 'days',
          })}
          {field('retentionWeekly', 'Weekly backups kept', 'The newest backup of each week.', {
            suffix: 'weeks',
          })}
          {field('retentionMonthly', 'Monthly backups kept', 'The newest backup of each month.', {
            suffix: 'months',
          })}
          <div className="field">
            <label htmlFor="setting-unreadableFiles">A file that cannot be read</label>
            <select
              id="setting-unreadableFiles"
              className="select"
              value={form.unreadableFiles}
              onChange={(event) => update('unreadableFiles', event.target.value)}
            >
              <option value="fail">Fails the backup</option>
              <option value="warn">Is left out, with a warning</option>
            </select>
            <p className="field-hint">Either way, it is never skipped silently.</p>
          </div>
        </div>
      </section>

      <section className="panel">
        <h2 className="panel-title">Schedules</h2>
        <p className="muted">
          Five cron fields: minute, hour, day of month, month, day of week. A run missed while the
          computer was off runs once when Tend starts again.
        </p>
        <div className="fieldset">
          {field('scheduleCritical', 'Critical backup', 'Default 0 3 * * * — every day at 03:00.', {
            mono: true,
          })}
          {field(
            'scheduleWeeklyFull',
            'Weekly full backup',
            'Default 0 4 * * 0 — Sundays at 04:00.',
            { mono: true },
          )}
          {field(
            'scheduleMonthlyFull',
            'Monthly full backup',
            'Default 0 5 1 * * — the 1st of each month at 05:00.',
            { mono: true },
          )}
        </div>
      </section>

      <section className="panel">
        <h2 className="panel-title">Cleanup</h2>
        <div className="fieldset">
          {field('logRetentionDays', 'Keep logs for', 'Older log files can be cleaned up.', {
            suffix: 'days',
          })}
          {field('cacheCapGb', 'Cache size cap', 'The oldest cache files go first above this.', {
            suffix: 'GiB',
          })}
          {field('cacheMaxAgeDays', 'Cache files older than', 'can be cleaned up.', {
            suffix: 'days',
          })}
        </div>
      </section>

      <section className="panel">
        <h2 className="panel-title">Alerts</h2>
        <div className="fieldset">
          {field('freeSpaceMinGb', 'Warn when free disk space is under', 'On the data disk.', {
            suffix: 'GiB',
          })}
          {field(
            'weeklyGrowthFactor',
            'Warn when a category grows by a factor of',
            '2 means: it doubled within a week.',
            { suffix: '× a week' },
          )}
        </div>
      </section>

      {general.length > 0 ? (
        <div className="error-box" role="alert">
          <ul className="plain-list">
            {general.map((message) => (
              <li key={message}>{message}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {error ? <ErrorBox error={error} title="The settings were not saved" /> : null}

      <div className="form-actions sticky-actions">
        <button type="submit" className="button button-primary" disabled={saving || !dirty}>
          {saving ? <Spinner /> : <Save size={16} aria-hidden />} Save settings
        </button>
        <button
          type="button"
          className="button"
          disabled={saving || !dirty}
          onClick={() => {
            setForm(savedForm);
            setIssues({});
            setGeneral([]);
            setError(null);
          }}
        >
          <RotateCcw size={16} aria-hidden /> Undo changes
        </button>
        <span className="muted" role="status">
          {dirty ? 'You have unsaved changes.' : savedAt ? 'Saved.' : 'No changes.'}
        </span>
      </div>
    </form>
  );
}

/** Issues the engine returned, placed under the fields they are about. */
function readIssues(error: TendError): FieldIssues {
  const details = error.details as
    { issues?: Array<{ path: string; message: string }> } | undefined;
  const issues: FieldIssues = {};
  for (const issue of details?.issues ?? []) {
    for (const [field, path] of Object.entries(settingsFieldPaths)) {
      if (path === issue.path) issues[field as SettingsField] = issue.message;
    }
  }
  return issues;
}
