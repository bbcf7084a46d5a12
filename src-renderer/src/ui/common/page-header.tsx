import type { ReactNode } from 'react';

/** The title row of a page, with its actions on the right. */
export function PageHeader(props: {
  title: string;
  subtitle?: ReactNode;
  actions?: ReactNode;
}): React.JSX.Element {
  return (
    <header className="page-header">
      <div className="page-header-text">
        {/* Focusable, so the focus has a place to go back to when a dialog closes. */}
        <h1 tabIndex={-1}>{props.title}</h1>
        {props.subtitle ? <div className="page-subtitle">{props.subtitle}</div> : null}
      </div>
      {props.actions ? <div className="page-actions">{props.actions}</div> : null}
    </header>
  );
}
