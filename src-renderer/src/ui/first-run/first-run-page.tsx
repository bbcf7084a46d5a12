import { FolderOpen, FolderPlus, Sparkles, Sprout } from 'lucide-react';
import { useEffect, useState, type FormEvent } from 'react';
import type { TendError } from '../../../../src-shared/errors';
import type { FolderSurvey, ProfileId } from '../../../../src-shared/models/profiles';
import { FolderFindingsSchema, type FolderFindings } from '../../../../src-shared/models/root';
import { valueOf } from '../../store/loadable';
import { useTend } from '../../store/use-tend';
import { ErrorBox } from '../common/error-box';
import { Spinner } from '../common/loading';
import { JobProgressRow } from '../jobs/job-progress';
import { FolderFindingsPanel } from './folder-findings';
import { FolderSurveyPanel, ProfileSelect } from './folder-survey-panel';
import './first-run.css';

type Action = 'open' | 'create' | 'demo' | 'adopt';

/** What Tend found in a folder it was asked to open, when that is not an assistant's. */
function findingsOf(error: TendError): FolderFindings | null {
  if (error.code !== 'ROOT_NOT_ASSISTANT') return null;
  const details = error.details as { findings?: unknown } | undefined;
  const parsed = FolderFindingsSchema.safeParse(details?.findings);
  return parsed.success ? parsed.data : null;
}

/** A folder waiting for the person's word: what was found, and what it holds read as a profile. */
interface Pending {
  readonly findings: FolderFindings;
  /** What to pass back: the typed path, or the desktop picker's handle. */
  readonly target: string;
  /** The folder read as the detected or chosen profile; null while none is (or it is empty). */
  readonly survey: FolderSurvey | null;
  /** The profile in the select: the detected one, the person's choice, or none yet. */
  readonly chosen: ProfileId | '';
}

/**
 * The first run: which folder should Tend look after? Open the assistant's existing folder,
 * create a new one, or try Tend on a demo folder. A folder that can never be a data folder is
 * refused with the reason. Any other folder Tend does not manage yet is read first, and
 * nothing is adopted before the person says so: a detected one is shown as its profile (how
 * sure, its stores with their sizes, its scopes), with every profile to choose from by hand;
 * one where nothing of any profile is found is said to be no assistant folder, with what was
 * found, and is read as a profile only when the person chooses one. The desktop app picks
 * folders with its own dialog (the engine takes nothing else there); the browser takes a
 * typed path.
 */
export function FirstRunPage(): React.JSX.Element {
  const openRoot = useTend((state) => state.openRoot);
  const createRoot = useTend((state) => state.createRoot);
  const pickFolder = useTend((state) => state.pickFolder);
  const startDemo = useTend((state) => state.startDemo);
  const demo = useTend((state) => state.firstRun.demo);
  const recent = useTend((state) => state.recentRoots);
  const loadRecentRoots = useTend((state) => state.loadRecentRoots);
  const runningJobs = useTend((state) => state.runningJobs);
  const inspectFolder = useTend((state) => state.inspectFolder);
  const surveyFolder = useTend((state) => state.surveyFolder);
  const profileList = useTend((state) => state.profileList);
  const loadProfiles = useTend((state) => state.loadProfiles);
  const [reading, setReading] = useState(false);
  const [path, setPath] = useState('');
  const [busy, setBusy] = useState<Action | null>(null);
  const [error, setError] = useState<TendError | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const canPick = typeof window !== 'undefined' && window.tend !== undefined;

  useEffect(() => {
    void loadRecentRoots();
    void loadProfiles();
  }, [loadRecentRoots, loadProfiles]);

  /**
   * Opens a folder Tend manages already; any other is read and shown, and waits for the
   * person's word (a refused or missing one is an error to show).
   */
  async function look(target: string): Promise<void> {
    const inspected = await inspectFolder(target);
    if (!inspected.ok) {
      setError(inspected.error);
      return;
    }
    const findings = inspected.value;
    if (findings.refusal !== null) {
      setError({ code: 'ROOT_NOT_ALLOWED', message: findings.refusal });
      return;
    }
    if (findings.kind === 'managed') {
      const result = await openRoot(target);
      if (!result.ok) setError(result.error);
      return;
    }
    if (findings.kind === 'empty') {
      setPending({ findings, target, survey: null, chosen: '' });
      return;
    }
    const surveyed = await surveyFolder(target);
    if (!surveyed.ok) {
      setError(surveyed.error);
      return;
    }
    setPending({
      findings,
      target,
      survey: surveyed.value.profile === null ? null : surveyed.value,
      chosen: surveyed.value.detected ?? '',
    });
  }

  /** The person chose a profile in the select: the folder is read as it (or as none). */
  async function choose(profile: ProfileId | ''): Promise<void> {
    if (!pending) return;
    if (profile === '') {
      setPending({ ...pending, survey: null, chosen: '' });
      return;
    }
    setPending({ ...pending, chosen: profile });
    setReading(true);
    setError(null);
    const surveyed = await surveyFolder(pending.target, profile);
    setReading(false);
    if (!surveyed.ok) setError(surveyed.error);
    else
      setPending((now) =>
        now && now.target === pending.target
          ? { ...now, survey: surveyed.value, chosen: profile }
          : now,
      );
  }

  /** Manages the folder as the profile read, after the person said so. */
  async function adoptAs(): Promise<void> {
    if (!pending?.survey?.profile) return;
    setBusy('adopt');
    setError(null);
    const result = await openRoot(pending.target, { adopt: true, profile: pending.survey.profile });
    if (!result.ok) setError(result.error);
    setBusy(null);
  }

  async function run(action: Exclude<Action, 'adopt'>, target: string): Promise<void> {
    const trimmed = target.trim();
    if (trimmed === '') {
      setError({ code: 'INVALID_INPUT', message: 'Type the full path of a folder first.' });
      return;
    }
    setBusy(action);
    setError(null);
    setPending(null);
    if (action === 'demo') {
      await startDemo(trimmed);
    } else if (action === 'open') {
      await look(trimmed);
    } else {
      const result = await createRoot(trimmed);
      if (!result.ok) {
        const findings = findingsOf(result.error);
        if (findings) setPending({ findings, target: trimmed, survey: null, chosen: '' });
        else setError(result.error);
      }
    }
    setBusy(null);
  }

  async function adopt(): Promise<void> {
    if (!pending) return;
    setBusy('adopt');
    setError(null);
    const result = await openRoot(pending.target, { adopt: true });
    if (!result.ok) setError(result.error);
    setBusy(null);
  }

  async function pick(action: Exclude<Action, 'adopt'>): Promise<void> {
    setError(null);
    const result = await pickFolder(action === 'open' ? 'open' : 'create');
    if (!result.ok) setError(result.error);
    else if (result.value.handle) await run(action, result.value.handle);
  }

  function submit(event: FormEvent): void {
    event.preventDefault();
    void run('open', path);
  }

  const demoJob = demo.status === 'running' ? (runningJobs[demo.jobId] ?? null) : null;
  const demoBusy = demo.status === 'starting' || demo.status === 'running';
  const recentPaths = recent.status === 'ready' ? recent.value : [];
  const disabled = busy !== null || demoBusy;
  const profiles = valueOf(profileList) ?? [];

  return (
    <div className="centered first-run">
      <div className="centered-box">
        <div className="first-run-head">
          <Sprout size={34} className="first-run-logo" aria-hidden />
          <div>
            <h1>Welcome to Tend</h1>
            <p className="muted">
              Tend looks after your local assistant&apos;s data folder: what fills the disk,
              backups, restores and index health. Which folder should it look after?
            </p>
          </div>
        </div>

        {canPick ? (
          <section className="panel" aria-label="Choose the data folder">
            <p className="field-hint">
              The folder an assistant keeps its data in: Open WebUI&apos;s data folder,
              AnythingLLM&apos;s storage, <code>~/.ollama/models</code>, or a folder with{' '}
              <code>local_data/</code>. Tend reads it first and asks before it looks after it; its
              own state lives elsewhere.
            </p>
            <div className="form-actions">
              <button
                type="button"
                className="button button-primary"
                onClick={() => void pick('open')}
                disabled={disabled}
              >
                {busy === 'open' ? <Spinner /> : <FolderOpen size={16} aria-hidden />} Choose the
                assistant&apos;s folder…
              </button>
              <button
                type="button"
                className="button"
                onClick={() => void pick('create')}
                disabled={disabled}
              >
                {busy === 'create' ? <Spinner /> : <FolderPlus size={16} aria-hidden />} Create a
                new, empty one…
              </button>
              <button
                type="button"
                className="button"
                onClick={() => void pick('demo')}
                disabled={disabled}
                title="Writes about 20 MB of realistic sample data into an empty folder"
              >
                {demo.status === 'starting' ? <Spinner /> : <Sparkles size={16} aria-hidden />} Try
                it with demo data…
              </button>
            </div>
            {error ? <ErrorBox error={error} title="That folder cannot be used" /> : null}
            {demo.status === 'failed' ? (
              <ErrorBox error={demo.error} title="The demo folder was not written" />
            ) : null}
          </section>
        ) : (
          <form className="panel" onSubmit={submit} aria-label="Choose the data folder">
            <div className="field">
              <label htmlFor="root-path">The assistant&apos;s data folder</label>
              <input
                id="root-path"
                className="input mono"
                value={path}
                onChange={(event) => setPath(event.target.value)}
                placeholder="/home/you/assistant"
                spellCheck={false}
                autoComplete="off"
                disabled={demoBusy}
              />
              <p className="field-hint">
                The folder an assistant keeps its data in: Open WebUI&apos;s data folder,
                AnythingLLM&apos;s storage, <code>~/.ollama/models</code>, or a folder with{' '}
                <code>local_data/</code>. Tend reads it first and asks before it looks after it; its
                own state lives elsewhere.
              </p>
            </div>
            <div className="form-actions">
              <button type="submit" className="button button-primary" disabled={disabled}>
                {busy === 'open' ? <Spinner /> : <FolderOpen size={16} aria-hidden />} Open this
                folder
              </button>
              <button
                type="button"
                className="button"
                onClick={() => void run('create', path)}
                disabled={disabled}
              >
                {busy === 'create' ? <Spinner /> : <FolderPlus size={16} aria-hidden />} Create a
                new, empty one here
              </button>
              <button
                type="button"
                className="button"
                onClick={() => void run('demo', path)}
                disabled={disabled}
                title="Writes about 20 MB of realistic sample data into an empty folder"
              >
                {demo.status === 'starting' ? <Spinner /> : <Sparkles size={16} aria-hidden />} Try
                it with demo data here
              </button>
            </div>
            {error ? <ErrorBox error={error} title="That folder cannot be used" /> : null}
            {demo.status === 'failed' ? (
              <ErrorBox error={demo.error} title="The demo folder was not written" />
            ) : null}
          </form>
        )}

        {pending && pending.survey ? (
          <FolderSurveyPanel
            survey={pending.survey}
            profiles={profiles}
            chosen={pending.chosen}
            reading={reading}
            busy={busy !== null}
            onChoose={(profile) => void choose(profile)}
            onAdopt={() => void adoptAs()}
            onCancel={() => setPending(null)}
          />
        ) : pending ? (
          <FolderFindingsPanel
            findings={pending.findings}
            busy={busy !== null}
            onAdopt={() => void adopt()}
            onCreate={() => void run('create', pending.target)}
            onCancel={() => setPending(null)}
            chooser={
              profiles.length > 0 ? (
                <ProfileSelect
                  profiles={profiles}
                  value={pending.chosen}
                  detected={null}
                  disabled={busy !== null || reading}
                  onChange={(profile) => void choose(profile)}
                />
              ) : null
            }
          />
        ) : null}

        {demoBusy ? (
          <section className="panel" aria-label="Writing the demo folder">
            <h2 className="panel-title">Writing the demo folder…</h2>
            {demoJob ? (
              <ul className="job-list">
                <JobProgressRow job={demoJob} />
              </ul>
            ) : (
              <p className="loading">
                <Spinner /> Starting…
              </p>
            )}
          </section>
        ) : null}

        {recentPaths.length > 0 ? (
          <section className="panel" aria-label="Recent data folders">
            <h2 className="panel-title">Used before</h2>
            <ul className="recent-list">
              {recentPaths.map((item) => (
                <li key={item}>
                  <button
                    type="button"
                    className="button-link mono"
                    onClick={() => void run('open', item)}
                    disabled={disabled}
                  >
                    {item}
                  </button>
                </li>
              ))}
            </ul>
          </section>
        ) : null}
      </div>
    </div>
  );
}
