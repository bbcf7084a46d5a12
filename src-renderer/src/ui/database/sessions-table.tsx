import type { ConnectedSessionInfo } from '../../../../src-shared/models/postgres';
import { formatAgo } from '../../lib/format';

/** Who is connected to the live database: the app, a console, another tool. */
export function SessionsTable(props: {
  sessions: ReadonlyArray<ConnectedSessionInfo>;
}): React.JSX.Element {
  return (
    <table className="table" data-testid="database-sessions">
      <thead>
        <tr>
          <th scope="col">Application</th>
          <th scope="col">User</th>
          <th scope="col">From</th>
          <th scope="col">Since</th>
          <th scope="col">State</th>
        </tr>
      </thead>
      <tbody>
        {props.sessions.map((session) => (
          <tr key={session.pid}>
            <td className="mono">{session.application || `(pid ${session.pid})`}</td>
            <td>{session.user ?? '—'}</td>
            <td className="mono">{session.clientAddress ?? 'local socket'}</td>
            <td>{session.since ? formatAgo(session.since) : '—'}</td>
            <td>{session.state ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
