import { PlugZap, RefreshCw } from 'lucide-react';
import { assertNever } from '../../../../src-shared/errors';
import type { Connection } from '../../store/connection-slice';
import { formatAgo } from '../../lib/format';

/**
 * One page-wide word when the page has lost Tend, instead of an error in every panel: Tend
 * stopped (asked again by itself), or it was restarted and this page's key is old (open the
 * new address; trying again cannot help), or the page was opened without a key.
 */
export function ConnectionBanner(props: {
  connection: Exclude<Connection, { status: 'online' }>;
}): React.JSX.Element {
  const { connection } = props;
  const title =
    connection.status === 'stopped'
      ? 'Tend stopped'
      : connection.status === 'stale-key'
        ? 'Tend was restarted: open its new address'
        : connection.status === 'no-key'
          ? 'This page has no key to Tend'
          : assertNever(connection);
  return (
    <section
      className="connection-banner notice notice-warning"
      role="alert"
      aria-labelledby="connection-title"
      data-testid="connection-banner"
      data-status={connection.status}
    >
      <PlugZap size={22} aria-hidden className="connection-icon" />
      <div className="connection-body">
        <h2 id="connection-title">
          {title}{' '}
          <code className="error-code">
            {connection.status === 'stopped' ? 'HOST_UNREACHABLE' : 'UNAUTHORIZED'}
          </code>
        </h2>
        {connection.status === 'stopped' ? (
          <>
            <p>
              This page cannot reach Tend at {window.location.host} since{' '}
              {formatAgo(connection.since)}. Nothing here is lost: start it again (
              <code>tend serve</code>) and this page picks up where it was.
            </p>
            <p className="muted connection-retry">
              <RefreshCw size={14} aria-hidden className="spin" /> Trying again every few seconds…
            </p>
          </>
        ) : connection.status === 'stale-key' ? (
          <p>
            Each start of <code>tend serve</code> makes a new key, and this page still has the old
            one. Open the address <code>tend serve</code> printed when it started again (it ends in{' '}
            <code>?token=…</code>); this page cannot use the new Tend.
          </p>
        ) : (
          <p>
            Open the full address <code>tend serve</code> printed (it ends in <code>?token=…</code>
            ).
          </p>
        )}
      </div>
    </section>
  );
}
