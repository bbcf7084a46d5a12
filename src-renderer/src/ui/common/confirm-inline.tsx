import type { LucideIcon } from 'lucide-react';
import { useState } from 'react';
import { Spinner } from './loading';

/**
 * A button that asks before it acts, in place: pressed, it gives way to the question, a danger
 * button that does it and "Keep all" that takes it back. While the act runs (`busy`) the button
 * shows a spinner and waits.
 */
export function ConfirmInline(props: {
  icon: LucideIcon;
  /** The asking button's words: "Prune now", "Thin out now…". */
  label: string;
  question: string;
  /** The danger button's words: "Delete them". */
  confirmLabel: string;
  onConfirm: () => void;
  busy: boolean;
  disabled?: boolean;
  title?: string | undefined;
}): React.JSX.Element {
  const { icon: Icon } = props;
  const [confirming, setConfirming] = useState(false);
  if (confirming) {
    return (
      <>
        <span>{props.question}</span>
        <button
          type="button"
          className="button button-danger"
          onClick={() => {
            setConfirming(false);
            props.onConfirm();
          }}
        >
          <Icon size={16} aria-hidden /> {props.confirmLabel}
        </button>
        <button type="button" className="button" onClick={() => setConfirming(false)}>
          Keep all
        </button>
      </>
    );
  }
  return (
    <button
      type="button"
      className="button"
      onClick={() => setConfirming(true)}
      disabled={props.busy || props.disabled}
      title={props.title}
    >
      {props.busy ? <Spinner /> : <Icon size={16} aria-hidden />} {props.label}
    </button>
  );
}
