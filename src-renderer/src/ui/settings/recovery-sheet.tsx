import { Printer } from 'lucide-react';
import type { RepositoryCreated } from '../../../../src-shared/models/repository';

/**
 * The recovery sheet, shown once (a new repository, a new key): printed or copied, then
 * dismissed for good.
 */
export function RecoverySheet(props: {
  created: Pick<RepositoryCreated, 'generatedPassphrase' | 'recoverySheet'>;
  onDone: () => void;
}): React.JSX.Element {
  const { created, onDone } = props;
  return (
    <div className="recovery-sheet" data-testid="recovery-sheet">
      <p className="notice notice-warning" role="alert">
        {created.generatedPassphrase
          ? 'This is the only time Tend shows this passphrase. Print this sheet or write it down now, and keep it away from this computer: a lost passphrase is lost backups.'
          : 'Print this sheet and write your passphrase on it by hand: a lost passphrase is lost backups.'}
      </p>
      {created.generatedPassphrase ? (
        <p>
          Passphrase: <code data-testid="generated-passphrase">{created.generatedPassphrase}</code>
        </p>
      ) : null}
      <pre className="recovery-sheet-text">{created.recoverySheet}</pre>
      <div className="button-row">
        <button type="button" className="button" onClick={() => window.print()}>
          <Printer size={16} aria-hidden /> Print
        </button>
        <button type="button" className="button button-primary" onClick={onDone}>
          I have kept it safe
        </button>
      </div>
    </div>
  );
}
