import { X } from 'lucide-react';
import { useEffect, useId, type ReactNode } from 'react';

/**
 * A modal card over a dimmed page, with its title and a Close button. A click outside the
 * card or Escape closes it too.
 */
export function Dialog(props: {
  title: ReactNode;
  onClose: () => void;
  /** Extra class for the card (its width, its layout). */
  className?: string;
  children: ReactNode;
}): React.JSX.Element {
  const { title, onClose, className, children } = props;
  const titleId = useId();

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  return (
    <div className="dialog-backdrop" onClick={onClose}>
      <div
        className={className ? `dialog ${className}` : 'dialog'}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        onClick={(event) => event.stopPropagation()}
      >
        <div className="row">
          <h2 className="panel-title" id={titleId}>
            {title}
          </h2>
          <span className="spacer" />
          <button type="button" className="button button-small" onClick={onClose}>
            <X size={14} aria-hidden /> Close
          </button>
        </div>
        {children}
      </div>
    </div>
  );
}
