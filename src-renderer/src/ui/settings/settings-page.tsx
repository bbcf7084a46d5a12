import { FolderOpen, RotateCcw, Save } from 'lucide-react';
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { TendError } from '../../../../src-shared/errors';
import type { Settings } from '../../../../src-shared/models/settings';
import { warnAgeNote } from '../../../../src-shared/models/settings-rules';
import {
  changedFields,
  checkSettingsForm,
  issuesFromDetails,
  openAtLoginSetting,
  rebaseForm,
  settingsFields,
  settingsToForm,
  type FieldIssues,
  type OpenAtLoginChoice,
  type SettingsField,
  type SettingsForm,
} from '../../lib/settings-form';
import { valueOf } from '../../store/loadable';
import { useTend } from '../../store/use-tend';
import { ErrorBox } from '../common/error-box';
import { FieldMessage } from '../common/field-message';
import { Loading, Spinner } from '../common/loading';
import { PageHeader } from '../common/page-header';
import { RetentionPolicyEditor } from '../maintenance/retention-policy-editor';
import { MovePanel } from './move-panel';
import { RepositorySection } from './repository-section';
import './settings.css';

/** Settings: where backups go, how long they are kept, schedules, cleanup limits and alerts. */
export function SettingsPage(): React.JSX.Element {
  const settings = useTend((state) => state.settings);
  const problem = useTend((state) => state.settingsProblem);
  const loadSettings = useTend((state) => state.loadSettings);
  const hasAssistantDb = useTend(
    (state) => state.root.status === 'open' && state.root.info.hasAssistantDb,
  );

  const shown = valueOf(settings);

  useEffect(() => {
    if (settings.status === 'idle') void loadSettings();
  }, [settings.status, loadSettings]);

  return (
    <>
      <PageHeader
        title="Settings"
        subtitle="Saved in Tend's own state folder, never in the data folder; the command line and the desktop app share them."
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
      ) : null}
      {shown ? (
        // One editor for the page's life, kept while the settings are read again: it follows
        // saves made elsewhere without losing what is typed in it.
        <SettingsEditor saved={shown} />
      ) : settings.status !== 'error' ? (
        <Loading label="Reading the settings…" />
      ) : null}
      <RepositorySection />
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
      <MovePanel />
    </>
  );
}

function SettingsEditor(props: { saved: Settings }): React.JSX.Element {
  const { saved } = props;
  const saveSettings = useTend((state) => state.saveSettings);
  const pickFolder = useTend((state) => state.pickFolder);
  const root = useTend((state) => (state.root.status === 'open' ? state.root.info.path : null));
  // The settings the form was made from, and the form over them.
  const [base, setBase] = useState<Settings>(saved);
  const [form, setForm] = useState<SettingsForm>(() => settingsToForm(saved));
  const [clashes, setClashes] = useState<Partial<Record<SettingsField, string>>>({});
  const [issues, setIssues] = useState<FieldIssues>({});
  const [general, setGeneral] = useState<ReadonlyArray<string>>([]);
  const [error, setError] = useState<TendError | null>(null);
  const [news, setNews] = useState<'saved' | 'elsewhere' | 'conflict' | null>(null);
  const [saving, setSaving] = useState(false);
  // What takes the focus after the next render: the first field with an issue, or the notices.
  const [focusRequest, setFocusRequest] = useState<{ target: SettingsField | 'notice' } | null>(
    null,
  );
  const focus = (target: SettingsField | 'notice') => setFocusRequest({ target });
  const noticeRef = useRef<HTMLDivElement>(null);
  const canPick = window.tend !== undefined;
  const dirty = changedFields(form, base).length > 0;
  // The warning age against the schedules as typed: a note, never a refusal.
  const typed = checkSettingsForm(form, base, root);
  const warnNote = typed.ok ? warnAgeNote(typed.settings) : null;

  // Saved elsewhere (another window, the tray, the command line, a conflict's re-read): the
  // fields not touched here follow; what was typed here stays, a clash shown beside it.
  if (saved !== base) {
    const rebased = rebaseForm(form, base, saved);
    setBase(saved);
    setForm(rebased.form);
    setClashes((current) => ({ ...current, ...rebased.clashes }));
    if (!saving) setNews((current) => (current === 'conflict' ? current : 'elsewhere'));
  }

  useEffect(() => {
    if (!focusRequest) return;
    if (focusRequest.target === 'notice') noticeRef.current?.focus();
    else document.getElementById(`setting-${focusRequest.target}`)?.focus();
  }, [focusRequest]);

  function update(field: SettingsField, value: string): void {
    setForm((current) => ({ ...current, [field]: value }));
    setIssues((current) => ({ ...current, [field]: undefined }));
    setNews((current) => (current === 'saved' ? null : current));
  }

  function showIssues(found: FieldIssues, others: ReadonlyArray<string>): void {
    setIssues(found);
    setGeneral(others);
    focus(settingsFields.find((field) => found[field]) ?? 'notice');
  }

  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault();
    if (saving) return;
    setError(null);
    const checked = checkSettingsForm(form, base, root);
    if (!checked.ok) {
      showIssues(checked.issues, checked.general);
      return;
    }
    setIssues({});
    setGeneral([]);
    setSaving(true);
    const result = await saveSettings(checked.patch);
    setSaving(false);
    if (result.ok) {
      setBase(result.value);
      setForm(settingsToForm(result.value));
      setClashes({});
      setNews('saved');
      return;
    }
    if (result.error.code === 'SETTINGS_CONFLICT') {
      // The slice has read the settings again; the form follows them (above) with the
      // person's changes kept. Say so where the eye and the focus go.
      setNews('conflict');
      focus('notice');
      return;
    }
    const placed = issuesFromDetails(result.error.details);
    if (Object.keys(placed.issues).length > 0 || placed.general.length > 0) {
      showIssues(placed.issues, placed.general);
    } else {
      setError(result.error);
      focus('notice');
    }
  }

  async function browseDestination(): Promise<void> {
    const result = await pickFolder('destination');
    if (!result.ok) setError(result.error);
    else if (result.value.path) update('destination', result.value.path);
  }

  function undoChanges(): void {
    setForm(settingsToForm(base));
    setIssues({});
    setGeneral([]);
    setClashes({});
    setError(null);
    setNews(null);
  }

  const field = (
    name: SettingsField,
    label: string,
    hint: ReactNode,
    options: {
      suffix?: string;
      mono?: boolean;
      wide?: boolean;
      after?: ReactNode;
      /** A word beside the field that is not a refusal (the save goes ahead). */
      note?: string | null;
    } = {},
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
          aria-describedby={`setting-${name}-message setting-${name}-hint`}
          spellCheck={false}
          autoComplete="off"
        />
        {options.suffix ? <span className="input-suffix">{options.suffix}</span> : null}
        {options.after}
      </div>
      <p className="field-hint" id={`setting-${name}-hint`}>
        {hint}
      </p>
      {options.note ? (
        <p className="field-note" data-testid={`note-${name}`}>
          {options.note}
        </p>
      ) : null}
      {clashes[name] !== undefined && form[name] !== clashes[name] ? (
        <p className="field-clash" data-testid={`clash-${name}`}>
          Saved elsewhere meanwhile as “{clashes[name] || 'empty'}”. Saving keeps what you typed
          here.
        </p>
      ) : null}
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
        <h2 className="panel-title">Without anyone watching</h2>
        <p className="muted">
          Backups run only while Tend runs. These keep them going when nobody opens Tend, and say so
          when they stop.
        </p>
        <div className="fieldset">
          <div className="field field-wide">
            <label htmlFor="setting-openAtLogin">Open at login</label>
            <select
              id="setting-openAtLogin"
              className="select"
              value={form.openAtLogin}
              onChange={(event) => update('openAtLogin', event.target.value as OpenAtLoginChoice)}
              aria-describedby="setting-openAtLogin-hint"
            >
              <option value="auto">Automatic: once backups have somewhere to go</option>
              <option value="on">On</option>
              <option value="off">Off</option>
            </select>
            <p
              className="field-hint"
              id="setting-openAtLogin-hint"
              data-testid="open-at-login-hint"
            >
              {openAtLoginHint(
                form.openAtLogin,
                form.destination.trim() !== '',
                props.saved.backup.repository != null,
              )}
            </p>
          </div>
          {field(
            'batteryMinPercent',
            'On battery, scheduled backups wait below',
            'They start once the computer is plugged in; a backup you start never waits. 0: never wait.',
            { suffix: '% charge' },
          )}
          {field(
            'warnAfterHours',
            'Warn when no backup has succeeded for',
            'The tray, a notification and the Overview say so, and why. 48 is two days.',
            { suffix: 'hours', note: warnNote },
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

      <div ref={noticeRef} tabIndex={-1} className="settings-notices">
        {news === 'conflict' ? (
          <div className="notice notice-warning" role="alert" data-testid="settings-conflict">
            <div>
              <strong>Not saved: the settings were changed elsewhere</strong> (another window, the
              tray or the command line) after this page read them. The fields you had not changed
              now show what is saved; your changes are kept. Check them, then save again.
            </div>
          </div>
        ) : news === 'elsewhere' ? (
          <div className="notice" role="status" data-testid="settings-elsewhere">
            These settings were just saved elsewhere. The fields you had not changed now show the
            saved values{dirty ? '; your changes are kept' : ''}.
          </div>
        ) : null}
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
      </div>

      <div className="form-actions sticky-actions">
        <button type="submit" className="button button-primary" disabled={saving || !dirty}>
          {saving ? <Spinner /> : <Save size={16} aria-hidden />} Save settings
        </button>
        <button type="button" className="button" disabled={saving || !dirty} onClick={undoChanges}>
          <RotateCcw size={16} aria-hidden /> Undo changes
        </button>
        <span className="muted" role="status" data-testid="settings-status">
          {saving
            ? 'Saving…'
            : dirty
              ? 'You have unsaved changes.'
              : news === 'saved'
                ? 'Saved.'
                : 'No changes.'}
        </span>
      </div>
    </form>
  );
}

/**
 * What the open-at-login choice does, in words: the rule behind "Automatic" and what it means
 * now, and what a machine without a desktop does instead.
 */
function openAtLoginHint(
  choice: OpenAtLoginChoice,
  hasFolder: boolean,
  hasRepository: boolean,
): string {
  const setting = openAtLoginSetting(choice);
  const now =
    setting === null
      ? hasFolder
        ? 'Now on: a backup folder is chosen.'
        : hasRepository
          ? 'Now on: encrypted backups go to a repository.'
          : 'Now off: no backup folder or encrypted repository is chosen yet.'
      : setting
        ? 'Tend opens at every login.'
        : 'Tend opens only when you open it; backups run only then.';
  return `Tend opens hidden in the tray, so the schedules run without you opening it. ${now} For the desktop app; on a server without a desktop, run “tend schedule install” instead.`;
}
