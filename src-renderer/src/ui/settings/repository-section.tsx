import { FolderOpen, KeyRound, LockOpen, ShieldCheck, TestTube2 } from 'lucide-react';
import { useEffect, useState } from 'react';
import type { TendError } from '../../../../src-shared/errors';
import type {
  DestinationTest,
  RepositoryCreated,
  RepositoryDestinationKind,
} from '../../../../src-shared/models/repository';
import { formatBytes } from '../../../../src-shared/language/bytes';
import {
  checkRepositoryForm,
  repositoryFormFrom,
  type RepositoryForm,
  type RepositoryFormIssues,
} from '../../lib/repository-form';
import { valueOf } from '../../store/loadable';
import { useTend } from '../../store/use-tend';
import { ErrorBox } from '../common/error-box';
import { Spinner } from '../common/loading';
import { DestinationFields } from './destination-fields';
import { PassphraseField } from './passphrase-field';
import { RecoverySheet } from './recovery-sheet';
import { RepositoryKeys } from './repository-keys';
import './repository-section.css';

const kindNames: Record<RepositoryDestinationKind, string> = {
  local: 'A folder (an external disk)',
  sftp: 'An SFTP server',
  s3: 'S3-compatible storage (AWS, B2, R2, MinIO …)',
};

const stepNames: Record<DestinationTest['steps'][number]['step'], string> = {
  reach: 'Reach the place',
  write: 'Write a test file',
  'read-back': 'Read it back',
  delete: 'Delete it',
  'free-space': 'Free space',
};

/**
 * Settings › Encrypted backups (issue 12): where the encrypted repository is (a folder, SFTP or
 * S3), a test of the place step by step, creating the repository with a passphrase the person
 * types or one Tend makes (shown once, with a printable recovery sheet), and the passphrase for
 * this session. Once set, scheduled backups go to the repository.
 */
export function RepositorySection(): React.JSX.Element {
  const status = useTend((state) => state.repositoryStatus);
  const load = useTend((state) => state.loadRepositoryStatus);
  const shown = valueOf(status);

  useEffect(() => {
    if (status.status === 'idle') void load();
  }, [status.status, load]);

  return (
    <section className="panel" aria-labelledby="repository-title" data-testid="repository-section">
      <h2 className="panel-title" id="repository-title">
        Encrypted backups
      </h2>
      <p className="muted">
        Incremental, deduplicated and encrypted backups in a restic repository: only what changed is
        stored, and the <code>restic</code> program opens it too. Once set, scheduled backups go
        here; archives stay available from the Backups page.
      </p>
      {status.status === 'error' ? (
        <ErrorBox error={status.error} onRetry={() => void load()} />
      ) : null}
      {shown ? <RepositoryEditor /> : <Spinner />}
    </section>
  );
}

function RepositoryEditor(): React.JSX.Element {
  const status = valueOf(useTend((state) => state.repositoryStatus))!;
  const testRepository = useTend((state) => state.testRepository);
  const setRepository = useTend((state) => state.setRepository);
  const createRepository = useTend((state) => state.createRepository);
  const unlockRepository = useTend((state) => state.unlockRepository);
  const forgetSftpPassword = useTend((state) => state.forgetSftpPassword);
  const backUp = useTend((state) => state.backUpToRepository);
  const pickFolder = useTend((state) => state.pickFolder);
  const canPick = typeof window !== 'undefined' && window.tend !== undefined;

  const [form, setForm] = useState<RepositoryForm>(() => repositoryFormFrom(status.destination));
  // The desktop's picker hands out a handle for the folder; the web host takes the typed path.
  const [folderHandle, setFolderHandle] = useState<string | null>(null);
  const [test, setTest] = useState<DestinationTest | null>(null);
  const [error, setError] = useState<TendError | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [ownPassphrase, setOwnPassphrase] = useState('');
  const [unlockWith, setUnlockWith] = useState('');
  const [created, setCreated] = useState<RepositoryCreated | null>(null);
  const [news, setNews] = useState<string | null>(null);

  const [issues, setIssues] = useState<RepositoryFormIssues>({});
  // The kept password belongs to the server in settings: said while the form names that kind.
  const passwordKept = status.sftpPasswordKept === true && form.kind === 'sftp';

  const update = <K extends keyof RepositoryForm>(name: K, value: RepositoryForm[K]) => {
    setForm((current) => ({ ...current, [name]: value }));
    if (name === 'folder') setFolderHandle(null);
    setIssues(({ [name]: _fixed, ...rest }) => rest);
    setTest(null);
  };
  /** The input to send, or null (each refusal shown under its field). */
  const input = () => {
    const check = checkRepositoryForm(form, folderHandle ?? form.folder);
    setIssues(check.ok ? {} : check.issues);
    return check.ok ? check.input : null;
  };

  async function run<T>(label: string, work: () => Promise<T>): Promise<T | undefined> {
    setBusy(label);
    setError(null);
    setNews(null);
    try {
      return await work();
    } finally {
      setBusy(null);
    }
  }

  const onTest = () => {
    const checked = input();
    if (!checked) return setTest(null);
    return run('test', async () => {
      const result = await testRepository(checked);
      if (result.ok) setTest(result.value);
      else setError(result.error);
    });
  };

  const onSave = () => {
    const checked = input();
    if (!checked) return;
    return run('save', async () => {
      const result = await setRepository(checked);
      if (result.ok) setNews('Saved: scheduled backups now go to the encrypted repository.');
      else setError(result.error);
    });
  };

  const onTurnOff = () =>
    run('off', async () => {
      const result = await setRepository({ destination: null });
      if (!result.ok) setError(result.error);
    });

  const onCreate = () =>
    run('create', async () => {
      const result = await createRepository(ownPassphrase ? ownPassphrase : null);
      if (result.ok) {
        setCreated(result.value);
        setOwnPassphrase('');
      } else setError(result.error);
    });

  const onUnlock = () =>
    run('unlock', async () => {
      const result = await unlockRepository(unlockWith);
      if (result.ok) setUnlockWith('');
      else setError(result.error);
    });

  const onForgetPassword = () =>
    run('forget-password', async () => {
      const result = await forgetSftpPassword();
      if (result.ok) setNews('Forgot the kept SFTP password.');
      else setError(result.error);
    });

  const onBackUp = () =>
    run('backup', async () => {
      const result = await backUp('critical');
      if (result.ok) setNews('The encrypted backup started; the Jobs page follows it.');
      else setError(result.error);
    });

  async function browse(): Promise<void> {
    const result = await pickFolder('destination');
    if (!result.ok) setError(result.error);
    else if (result.value.path) {
      setForm((current) => ({ ...current, folder: result.value.path! }));
      setFolderHandle(result.value.handle);
    }
  }

  if (created) return <RecoverySheet created={created} onDone={() => setCreated(null)} />;

  return (
    <div className="repository-editor">
      {status.location ? (
        <p data-testid="repository-location">
          Scheduled backups go to <code>{status.location}</code>.{' '}
          {status.passphraseKnown
            ? status.passphraseKept === 'keychain'
              ? 'Its passphrase is kept in this computer’s keychain.'
              : status.passphraseKept === 'environment'
                ? 'Its passphrase comes from the environment (TEND_PASSWORD or TEND_PASSWORD_FILE).'
                : 'Its passphrase is known until Tend stops.'
            : 'Tend does not know its passphrase now: create the repository, or unlock it below.'}
        </p>
      ) : (
        <p className="muted" data-testid="repository-location">
          Off: scheduled backups write archives to the backup folder.
        </p>
      )}

      <div className="fieldset">
        <div className="field field-wide">
          <label htmlFor="repository-kind">Where</label>
          <select
            id="repository-kind"
            className="select"
            value={form.kind}
            onChange={(event) => update('kind', event.target.value as RepositoryDestinationKind)}
          >
            {(Object.keys(kindNames) as RepositoryDestinationKind[]).map((kind) => (
              <option key={kind} value={kind}>
                {kindNames[kind]}
              </option>
            ))}
          </select>
        </div>
        <DestinationFields
          form={form}
          issues={issues}
          s3KeysKnown={status.s3KeysKnown === true}
          sftpPasswordKept={passwordKept}
          forgetPassword={
            passwordKept ? (
              <button
                type="button"
                className="button"
                disabled={busy !== null}
                onClick={() => void onForgetPassword()}
              >
                Forget it
              </button>
            ) : undefined
          }
          update={update}
          browse={
            canPick ? (
              <button type="button" className="button" onClick={() => void browse()}>
                <FolderOpen size={16} aria-hidden /> Browse…
              </button>
            ) : undefined
          }
        />
      </div>

      <div className="button-row">
        <button
          type="button"
          className="button"
          disabled={busy !== null}
          onClick={() => void onTest()}
        >
          <TestTube2 size={16} aria-hidden /> Test
        </button>
        <button
          type="button"
          className="button button-primary"
          disabled={busy !== null}
          onClick={() => void onSave()}
        >
          <ShieldCheck size={16} aria-hidden /> Use for scheduled backups
        </button>
        {status.destination ? (
          <button
            type="button"
            className="button"
            disabled={busy !== null}
            onClick={() => void onTurnOff()}
          >
            Turn off
          </button>
        ) : null}
        {busy ? <Spinner /> : null}
      </div>

      {test ? <TestReport test={test} /> : null}
      {error ? <ErrorBox error={error} /> : null}
      {news ? (
        <p className="notice notice-ok" role="status">
          {news}
        </p>
      ) : null}

      {status.destination && !status.passphraseKnown ? (
        <div className="fieldset" data-testid="repository-passphrase">
          <PassphraseField
            id="repository-new-passphrase"
            label="New repository: passphrase"
            value={ownPassphrase}
            onChange={setOwnPassphrase}
            autoComplete="new-password"
            after={
              <button
                type="button"
                className="button button-primary"
                disabled={busy !== null}
                onClick={() => void onCreate()}
              >
                <KeyRound size={16} aria-hidden /> Create repository
              </button>
            }
            hint="Left empty, Tend makes a strong one and shows it once. A lost passphrase is lost backups: nobody, Tend included, can read them without it."
          />
          <PassphraseField
            id="repository-unlock"
            label="Existing repository: its passphrase"
            value={unlockWith}
            onChange={setUnlockWith}
            autoComplete="current-password"
            after={
              <button
                type="button"
                className="button"
                disabled={busy !== null || !unlockWith}
                onClick={() => void onUnlock()}
              >
                <LockOpen size={16} aria-hidden /> Unlock
              </button>
            }
          />
        </div>
      ) : null}

      {status.destination && status.passphraseKnown ? (
        <>
          <div className="button-row">
            <button
              type="button"
              className="button"
              disabled={busy !== null}
              onClick={() => void onBackUp()}
            >
              Back up to the repository now
            </button>
          </div>
          <RepositoryKeys />
        </>
      ) : null}
    </div>
  );
}

function TestReport(props: { test: DestinationTest }): React.JSX.Element {
  const { test } = props;
  return (
    <div
      className={test.ok ? 'notice notice-ok' : 'notice notice-warning'}
      data-testid="repository-test"
    >
      {/* One child: a notice lays its children out in a row, the summary beside the steps. */}
      <div>
        <p>
          {test.ok ? 'The place works.' : 'The place does not work yet.'}{' '}
          {test.repositoryPresent
            ? 'A repository is there already: unlock it with its passphrase.'
            : ''}
        </p>
        <ul className="step-list">
          {test.steps.map((step) => (
            <li key={step.step} data-step={step.step} data-status={step.status}>
              <strong>{stepNames[step.step]}</strong>: {step.status}
              {step.step === 'free-space' && test.freeBytes !== null
                ? ` (${formatBytes(test.freeBytes)} free)`
                : ''}{' '}
              — {step.detail}
              {step.code ? <code className="error-code"> {step.code}</code> : null}
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
