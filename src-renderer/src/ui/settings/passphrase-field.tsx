import type { ReactNode } from 'react';

/**
 * One passphrase row of Settings › Encrypted backups: its label, a password input that keeps
 * what is typed out of autofill's reach (`new-password` for a new one, `current-password` to
 * open a repository), the button that uses it beside the input, and a hint under it.
 */
export function PassphraseField(props: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  autoComplete: 'new-password' | 'current-password';
  invalid?: boolean;
  /** The button that acts on this passphrase, beside the input. */
  after?: ReactNode;
  hint?: ReactNode;
}): React.JSX.Element {
  const { id, label, value, onChange, autoComplete, invalid, after, hint } = props;
  const input = (
    <input
      id={id}
      className="input"
      type="password"
      value={value}
      onChange={(event) => onChange(event.target.value)}
      autoComplete={autoComplete}
      aria-invalid={invalid ? true : undefined}
    />
  );
  return (
    <div className="field field-wide">
      <label htmlFor={id}>{label}</label>
      {after ? (
        <div className="input-row">
          {input}
          {after}
        </div>
      ) : (
        input
      )}
      {hint ? <p className="field-hint">{hint}</p> : null}
    </div>
  );
}
