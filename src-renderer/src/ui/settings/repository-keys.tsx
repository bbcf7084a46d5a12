import { KeyRound, LockOpen, Trash2 } from 'lucide-react';
import { useEffect, useState } from 'react';
import type { TendError } from '../../../../src-shared/errors';
import type { OutputOf } from '../../../../src-shared/contract';
import { formatDateTime } from '../../../../src-shared/language/dates';
import { valueOf } from '../../store/loadable';
import { useTend } from '../../store/use-tend';
import { ErrorBox } from '../common/error-box';
import { Spinner } from '../common/loading';
import { PassphraseField } from './passphrase-field';
import { RecoverySheet } from './recovery-sheet';

/** A key just added: its id, and its passphrase while the person may still use it here. */
interface AddedKey {
  readonly answer: OutputOf<'repository:key-add'>;
  readonly passphrase: string;
  /** The recovery sheet of a generated passphrase was dismissed. */
  readonly sheetDone: boolean;
}

/**
 * Settings › Encrypted backups › Keys (issue 12): the passphrases that open the repository.
 * Add one (typed twice, or generated and shown once with its recovery sheet), use it on this
 * computer, remove another; the key this app opens the repository with is marked and cannot be
 * removed, so the last key never goes. Changing the passphrase is adding a key and removing the
 * old one: no backup is rewritten.
 */
export function RepositoryKeys(): React.JSX.Element {
  const keys = useTend((state) => state.repositoryKeys);
  const load = useTend((state) => state.loadRepositoryKeys);
  const addKey = useTend((state) => state.addRepositoryKey);
  const removeKey = useTend((state) => state.removeRepositoryKey);
  const unlock = useTend((state) => state.unlockRepository);
  const shown = valueOf(keys);

  const [first, setFirst] = useState('');
  const [second, setSecond] = useState('');
  const [added, setAdded] = useState<AddedKey | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<TendError | null>(null);
  const [news, setNews] = useState<string | null>(null);

  useEffect(() => {
    void load();
  }, [load]);

  async function run(work: () => Promise<void>): Promise<void> {
    setBusy(true);
    setError(null);
    setNews(null);
    try {
      await work();
    } finally {
      setBusy(false);
    }
  }

  const mismatch = first !== '' && second !== '' && first !== second;
  const canAdd = !busy && (first === '' ? second === '' : first === second);

  const onAdd = () =>
    run(async () => {
      const result = await addKey(first === '' ? null : first);
      if (!result.ok) return setError(result.error);
      setAdded({
        answer: result.value,
        passphrase: result.value.generatedPassphrase ?? first,
        sheetDone: result.value.generatedPassphrase === null,
      });
      setFirst('');
      setSecond('');
    });

  const onUseHere = (key: AddedKey) =>
    run(async () => {
      const result = await unlock(key.passphrase);
      if (!result.ok) return setError(result.error);
      setAdded(null);
      setNews(
        `This app now opens the repository with key ${key.answer.id.slice(0, 8)}. You can remove the old key.`,
      );
    });

  const onRemove = (id: string) =>
    run(async () => {
      const result = await removeKey(id);
      setConfirming(null);
      if (!result.ok) return setError(result.error);
      setNews(
        `Removed key ${id.slice(0, 8)}: its passphrase no longer opens these backups.${
          result.value.keyringForgotten
            ? ' Tend forgot it in the OS keyring too, where "tend repo key remember" kept it.'
            : ''
        }`,
      );
    });

  if (added && !added.sheetDone) {
    return (
      <RecoverySheet
        created={added.answer}
        onDone={() => setAdded({ ...added, sheetDone: true })}
      />
    );
  }

  return (
    <div className="repository-keys" data-testid="repository-keys">
      <h3 className="repository-keys-title">Keys</h3>
      <p className="muted">
        Each key is a passphrase that opens these backups. To change the passphrase, add a new key,
        use it on this computer, then remove the old one: no backup is rewritten.
      </p>
      {keys.status === 'error' ? <ErrorBox error={keys.error} onRetry={() => void load()} /> : null}
      {shown ? (
        <table className="table" data-testid="repository-key-list">
          <thead>
            <tr>
              <th scope="col">Key</th>
              <th scope="col">Made by</th>
              <th scope="col">Made</th>
              <th scope="col">Remove</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((key) => (
              <tr key={key.id} data-key-id={key.id} data-current={key.current}>
                <td>
                  <code>{key.id.slice(0, 8)}</code>{' '}
                  {key.current ? <span className="badge badge-ok">This app’s key</span> : null}
                </td>
                <td>
                  {key.username || key.hostname
                    ? `${key.username ?? '?'}@${key.hostname ?? '?'}`
                    : '—'}
                </td>
                <td>{key.created ? formatDateTime(key.created) : '—'}</td>
                <td className="repository-key-actions">
                  {key.current ? (
                    <span className="muted">
                      In use here: to remove it, use another key on this computer first.
                    </span>
                  ) : confirming === key.id ? (
                    <span className="button-row">
                      <span>Its passphrase will no longer open these backups.</span>
                      <button
                        type="button"
                        className="button button-small button-danger"
                        disabled={busy}
                        onClick={() => void onRemove(key.id)}
                      >
                        Remove key {key.id.slice(0, 8)}
                      </button>
                      <button
                        type="button"
                        className="button button-small"
                        onClick={() => setConfirming(null)}
                      >
                        Keep it
                      </button>
                    </span>
                  ) : (
                    <button
                      type="button"
                      className="button button-small"
                      disabled={busy}
                      onClick={() => setConfirming(key.id)}
                      aria-label={`Remove key ${key.id.slice(0, 8)}…`}
                    >
                      <Trash2 size={14} aria-hidden /> Remove…
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <Spinner />
      )}

      {added ? (
        <div className="notice notice-ok" role="status" data-testid="repository-key-added">
          <p>
            Added key <code>{added.answer.id.slice(0, 8)}</code>. Its passphrase opens these backups
            now; this app still uses its old key.
          </p>
          <div className="button-row">
            <button
              type="button"
              className="button button-primary"
              disabled={busy}
              onClick={() => void onUseHere(added)}
            >
              <LockOpen size={16} aria-hidden /> Use the new key on this computer
            </button>
            <button type="button" className="button" onClick={() => setAdded(null)}>
              Not now
            </button>
          </div>
        </div>
      ) : null}

      <div className="fieldset">
        <PassphraseField
          id="repository-key-new"
          label="New key: passphrase"
          value={first}
          onChange={setFirst}
          autoComplete="new-password"
        />
        <PassphraseField
          id="repository-key-again"
          label="New key: the passphrase again"
          value={second}
          onChange={setSecond}
          autoComplete="new-password"
          invalid={mismatch}
          after={
            <button
              type="button"
              className="button"
              disabled={!canAdd}
              onClick={() => void onAdd()}
            >
              <KeyRound size={16} aria-hidden /> Add key
            </button>
          }
          hint={
            mismatch
              ? 'The two passphrases differ: type the same one twice.'
              : 'Left empty, Tend makes a strong one and shows it once, with a recovery sheet.'
          }
        />
      </div>

      {busy ? <Spinner /> : null}
      {error ? <ErrorBox error={error} /> : null}
      {news ? (
        <p className="notice notice-ok" role="status">
          {news}
        </p>
      ) : null}
    </div>
  );
}
