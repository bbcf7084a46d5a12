import { CircleX, RefreshCw } from 'lucide-react';
import type { TendError } from '../../../../src-shared/errors';

/** A failed request, with its stable code and the engine's message; never a blank page. */
export function ErrorBox(props: {
  error: TendError;
  title?: string;
  onRetry?: () => void;
}): React.JSX.Element {
  const { error, title, onRetry } = props;
  return (
    <div className="error-box" role="alert">
      <CircleX className="error-box-icon" aria-hidden size={20} />
      <div className="error-box-body">
        <p className="error-box-title">
          {title ?? 'Something went wrong'} <code className="error-code">{error.code}</code>
        </p>
        <p className="error-box-message">{error.message}</p>
        {onRetry ? (
          <button type="button" className="button button-small" onClick={onRetry}>
            <RefreshCw size={14} aria-hidden /> Try again
          </button>
        ) : null}
      </div>
    </div>
  );
}
