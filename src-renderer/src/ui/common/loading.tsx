import { LoaderCircle } from 'lucide-react';

/** A quiet "still working" line for a request in flight. */
export function Loading(props: { label: string }): React.JSX.Element {
  return (
    <p className="loading" role="status">
      <LoaderCircle className="spin" size={16} aria-hidden /> {props.label}
    </p>
  );
}

/** A small spinner for inside a busy button. */
export function Spinner(): React.JSX.Element {
  return <LoaderCircle className="spin" size={14} aria-hidden />;
}
