import { X } from 'lucide-react';
import { useEffect, useId, useLayoutEffect, useRef, useState, type ReactNode } from 'react';

// The element that last had the focus. A dialog that opens on another page (the Backups
// page's "Restore latest backup…" opens it on the Restore page) finds the focus on the body:
// its opener was removed with the page it was on, but this still names it.
let lastFocused: HTMLElement | null = null;
document.addEventListener('focusin', (event) => {
  if (event.target instanceof HTMLElement) lastFocused = event.target;
});

/**
 * Where the focus goes back to when a dialog closes: the button that opened it, or, when that
 * button went away meanwhile (the dialog moved to another page), a button of the same name on
 * the page shown now, else the page's heading.
 */
function returnFocus(opener: HTMLElement | null, openerText: string): void {
  if (opener?.isConnected) {
    opener.focus();
    return;
  }
  const twin = Array.from(document.querySelectorAll<HTMLButtonElement>('button')).find(
    (button) => !button.disabled && button.textContent?.trim() === openerText,
  );
  if (twin) twin.focus();
  else document.querySelector<HTMLElement>('main h1')?.focus();
}

/**
 * A modal card over a dimmed page, with its title and a Close button: the native `<dialog>`
 * opened with `showModal()`, so the page behind is inert (Tab stays in the dialog), the focus
 * moves into it, and Escape closes it. A click on the dimmed page closes it too. When it
 * closes, the focus returns to the button that opened it.
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
  const ref = useRef<HTMLDialogElement>(null);
  // Taken once, as the dialog first renders: what had the focus then opened it.
  const [opener] = useState(() => {
    const active = document.activeElement;
    const element =
      active instanceof HTMLElement && active !== document.body ? active : lastFocused;
    return { element, text: element?.textContent?.trim() ?? '' };
  });
  const closeRef = useRef(onClose);
  useEffect(() => {
    closeRef.current = onClose;
  }, [onClose]);

  // A layout effect: the dialog is modal before any child's effect moves the focus within it.
  useLayoutEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (!dialog.open) dialog.showModal();
    // Escape: the browser's cancel, turned into the page's own close.
    const onCancel = (event: Event) => {
      event.preventDefault();
      closeRef.current();
    };
    dialog.addEventListener('cancel', onCancel);
    return () => {
      dialog.removeEventListener('cancel', onCancel);
      if (dialog.open) dialog.close();
      // After React has put the page back, so a button of the new page can take the focus.
      queueMicrotask(() => returnFocus(opener.element, opener.text));
    };
  }, [opener]);

  return (
    <dialog
      ref={ref}
      className={className ? `dialog ${className}` : 'dialog'}
      aria-labelledby={titleId}
      // The card fills the dialog; a click on the dialog element itself is on the backdrop.
      onClick={(event) => {
        if (event.target === event.currentTarget) onClose();
      }}
    >
      <div className="dialog-body">
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
    </dialog>
  );
}
