import { useEffect } from 'react';
import { formatBytes, formatShare } from '../../lib/format';
import { valueOf } from '../../store/loadable';
import { useTend } from '../../store/use-tend';
import { ErrorBox } from '../common/error-box';
import { Loading } from '../common/loading';

/**
 * The database beside the folders, for a folder whose data lives in PostgreSQL: its size and
 * each table's, with TOAST and indexes apart (`tend pg usage`). Nothing for other folders.
 */
export function DatabaseUsagePanel(): React.JSX.Element | null {
  const status = useTend((state) => state.postgresStatus);
  const usage = useTend((state) => state.databaseUsage);
  const loadDatabaseUsage = useTend((state) => state.loadDatabaseUsage);

  useEffect(() => {
    if (status.status === 'idle') void loadDatabaseUsage();
  }, [status.status, loadDatabaseUsage]);

  const info = valueOf(status);
  if (!info?.applies) return null;
  const value = valueOf(usage);
  return (
    <section className="panel" aria-labelledby="database-usage-title">
      <div className="panel-head">
        <h2 className="panel-title" id="database-usage-title">
          The database
        </h2>
        {value ? (
          <span className="muted numeric">
            {value.database}: {formatBytes(value.databaseBytes)}
          </span>
        ) : null}
      </div>
      {!info.connected ? (
        <p className="muted">
          The data of this bot lives in PostgreSQL. Connect Tend to it to see and back it up:{' '}
          <span className="mono">tend pg connect URL --password-env VARIABLE</span>
        </p>
      ) : usage.status === 'error' ? (
        <ErrorBox
          error={usage.error}
          title="Could not read the database"
          onRetry={() => void loadDatabaseUsage()}
        />
      ) : value ? (
        <table className="table" data-testid="database-usage">
          <thead>
            <tr>
              <th scope="col">Table</th>
              <th scope="col" className="numeric">
                Total
              </th>
              <th scope="col" className="numeric">
                Rows
              </th>
              <th scope="col" className="numeric">
                TOAST
              </th>
              <th scope="col" className="numeric">
                Indexes
              </th>
            </tr>
          </thead>
          <tbody>
            {value.tables.map((table) => (
              <tr key={`${table.schema}.${table.name}`}>
                <td className="mono">
                  {table.schema === 'public' ? table.name : `${table.schema}.${table.name}`}
                </td>
                <td className="numeric" data-bytes={table.totalBytes}>
                  {formatBytes(table.totalBytes)}{' '}
                  <span className="muted">
                    {formatShare(table.totalBytes, value.databaseBytes)}
                  </span>
                </td>
                <td className="numeric">{Math.max(0, Math.round(table.estimatedRows))}</td>
                <td className="numeric">{formatBytes(table.toastBytes)}</td>
                <td className="numeric">{formatBytes(table.indexBytes)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <Loading label="Reading the database…" />
      )}
    </section>
  );
}
