import { useEffect } from 'react';
import { formatBytes } from '../../lib/format';
import { valueOf } from '../../store/loadable';
import { useTend } from '../../store/use-tend';
import { ErrorBox } from '../common/error-box';
import { Loading } from '../common/loading';

/**
 * The connection's check: the server's version, the database's size and tables, the pg_dump
 * Tend runs (and that it can dump this server), the cache beside it, and a restore that
 * stopped part way and was cleaned.
 */
export function ConnectionPanel(): React.JSX.Element {
  const check = useTend((state) => state.postgresCheck);
  const loadCheck = useTend((state) => state.loadPostgresCheck);

  useEffect(() => {
    if (check.status === 'idle') void loadCheck();
  }, [check.status, loadCheck]);

  const value = valueOf(check);
  return (
    <section className="panel" aria-labelledby="database-connection" data-testid="database-check">
      <div className="panel-head">
        <h2 className="panel-title" id="database-connection">
          Connection
        </h2>
        {value ? <span className="badge badge-ok">Connected</span> : null}
      </div>
      {check.status === 'error' ? (
        <ErrorBox
          error={check.error}
          title="Tend cannot reach the database"
          onRetry={() => void loadCheck()}
        />
      ) : !value ? (
        <Loading label="Checking the database…" />
      ) : (
        <>
          <dl className="definition-list">
            <dt>Database</dt>
            <dd className="mono">{value.target}</dd>
            <dt>Server</dt>
            <dd>PostgreSQL {value.serverVersion}</dd>
            <dt>Size</dt>
            <dd data-testid="database-size">
              {formatBytes(value.databaseBytes)} in {value.tableCount}{' '}
              {value.tableCount === 1 ? 'table' : 'tables'}
            </dd>
            <dt>pg_dump</dt>
            <dd>
              {value.pgDump.version} <span className="muted mono">({value.pgDump.path})</span>, able
              to dump this server
            </dd>
            {value.caches.map((cache) => (
              <FragmentCache key={cache.location ?? 'cache'} cache={cache} />
            ))}
          </dl>
          {value.cleanedScratch.length > 0 ? (
            <p className="notice notice-warning" role="status">
              A restore had stopped part way; its scratch database {value.cleanedScratch.join(', ')}{' '}
              was dropped. The live database was not touched.
            </p>
          ) : null}
        </>
      )}
    </section>
  );
}

function FragmentCache(props: {
  cache: { location: string | null; reason: string };
}): React.JSX.Element {
  return (
    <>
      <dt>Redis</dt>
      <dd>
        <span className="mono">{props.cache.location ?? '(not named)'}</span>{' '}
        <span className="muted">— {props.cache.reason}</span>
      </dd>
    </>
  );
}
