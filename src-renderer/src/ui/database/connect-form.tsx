import { PlugZap } from 'lucide-react';
import { useState } from 'react';
import type { TendError } from '../../../../src-shared/errors';
import { useTend } from '../../store/use-tend';
import { ErrorBox } from '../common/error-box';
import { Spinner } from '../common/loading';

type PasswordFrom = 'env' | 'file' | 'none';

/**
 * Connects Tend to the bot's database (`tend pg connect`): the URL without its password, and
 * where the password comes from — an environment variable of Tend's process, or a
 * .pgpass-style file only you can read. Nothing is saved unless the check passes.
 */
export function ConnectForm(): React.JSX.Element {
  const connectDatabase = useTend((state) => state.connectDatabase);
  const [url, setUrl] = useState('');
  const [from, setFrom] = useState<PasswordFrom>('env');
  const [variable, setVariable] = useState('PGPASSWORD');
  const [file, setFile] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<TendError | null>(null);

  async function connect(): Promise<void> {
    setBusy(true);
    setError(null);
    const password =
      from === 'env'
        ? { from, variable: variable.trim() }
        : from === 'file'
          ? { from, path: file.trim() }
          : { from };
    const result = await connectDatabase({ url: url.trim(), password });
    setBusy(false);
    if (!result.ok) setError(result.error);
  }

  return (
    <form
      className="form"
      data-testid="database-connect"
      onSubmit={(event) => {
        event.preventDefault();
        void connect();
      }}
    >
      <div className="field">
        <label htmlFor="database-url" className="field-label">
          Database URL, without the password
        </label>
        <input
          id="database-url"
          className="input mono"
          value={url}
          placeholder="postgresql://postgres@localhost:5432/impactbot_v2"
          onChange={(event) => setUrl(event.target.value)}
        />
      </div>
      <fieldset className="database-choices">
        <legend className="field-label">The password comes from</legend>
        <label className="database-option">
          <input
            type="radio"
            name="database-password"
            checked={from === 'env'}
            onChange={() => setFrom('env')}
          />
          <span>An environment variable Tend was started with</span>
        </label>
        {from === 'env' ? (
          <input
            aria-label="Name of the variable"
            className="input mono"
            value={variable}
            onChange={(event) => setVariable(event.target.value)}
          />
        ) : null}
        <label className="database-option">
          <input
            type="radio"
            name="database-password"
            checked={from === 'file'}
            onChange={() => setFrom('file')}
          />
          <span>A .pgpass-style file only you can read (chmod 600)</span>
        </label>
        {from === 'file' ? (
          <input
            aria-label="Path of the password file"
            className="input mono"
            value={file}
            placeholder="/home/you/.pgpass"
            onChange={(event) => setFile(event.target.value)}
          />
        ) : null}
        <label className="database-option">
          <input
            type="radio"
            name="database-password"
            checked={from === 'none'}
            onChange={() => setFrom('none')}
          />
          <span>No password (trust or peer authentication)</span>
        </label>
      </fieldset>
      <p className="field-hint">
        Tend keeps the URL, never the password. A wrong password, an unreachable server or a missing
        database saves nothing.
      </p>
      {error ? <ErrorBox error={error} title="Tend could not connect" /> : null}
      <div className="form-actions">
        <button
          type="submit"
          className="button button-primary"
          disabled={busy || url.trim() === ''}
        >
          {busy ? <Spinner /> : <PlugZap size={16} aria-hidden />} Check and connect
        </button>
      </div>
    </form>
  );
}
