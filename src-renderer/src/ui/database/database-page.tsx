import { RefreshCw } from 'lucide-react';
import { useEffect } from 'react';
import { valueOf } from '../../store/loadable';
import { useTend } from '../../store/use-tend';
import { ErrorBox } from '../common/error-box';
import { Loading } from '../common/loading';
import { PageHeader } from '../common/page-header';
import { ConnectForm } from './connect-form';
import { ConnectionPanel } from './connection-panel';
import { DatabaseBackupsPanel } from './database-backups-panel';
import { MigrationsPanel } from './migrations-panel';
import { UndoPanel } from './undo-panel';
import './database.css';

/**
 * Database: for a folder whose data lives in PostgreSQL (seed 003), what `tend pg` does —
 * the connection and its check, backups of the database, restore by swap, undo and the
 * databases kept for it, migrations and the integrity check.
 */
export function DatabasePage(): React.JSX.Element {
  const status = useTend((state) => state.postgresStatus);
  const loadStatus = useTend((state) => state.loadPostgresStatus);
  const loadCheck = useTend((state) => state.loadPostgresCheck);
  const loadBackups = useTend((state) => state.loadDatabaseBackups);

  useEffect(() => {
    if (status.status === 'idle') void loadStatus();
  }, [status.status, loadStatus]);

  const info = valueOf(status);
  return (
    <>
      <PageHeader
        title="Database"
        subtitle="The bot's PostgreSQL database: backups, restore by swap, undo and migrations."
        actions={
          info?.connected ? (
            <button
              type="button"
              className="button"
              onClick={() => {
                void loadCheck();
                void loadBackups();
              }}
            >
              <RefreshCw size={16} aria-hidden /> Check again
            </button>
          ) : null
        }
      />
      {status.status === 'error' ? (
        <ErrorBox error={status.error} title="Could not read the folder" onRetry={loadStatus} />
      ) : !info ? (
        <Loading label="Reading the folder…" />
      ) : !info.applies ? (
        <p className="empty" data-testid="database-not-applicable">
          This folder does not keep its data in PostgreSQL, so there is no database to look after
          here.
        </p>
      ) : !info.connected ? (
        <section className="panel" data-testid="database-not-connected">
          <h2 className="panel-title">Connect Tend to the database</h2>
          <p>
            The data of this bot lives in PostgreSQL. Tell Tend where it is; the command line does
            the same: <span className="mono">tend pg connect URL --password-env VARIABLE</span>.
          </p>
          <ConnectForm />
        </section>
      ) : (
        <>
          <ConnectionPanel />
          <DatabaseBackupsPanel />
          <UndoPanel />
          <MigrationsPanel />
        </>
      )}
    </>
  );
}
