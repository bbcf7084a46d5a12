import { useEffect } from 'react';
import { assertNever } from '../../../../src-shared/errors';
import { useTend } from '../../store/use-tend';
import { ErrorBox } from '../common/error-box';
import { Loading } from '../common/loading';
import { FirstRunPage } from '../first-run/first-run-page';
import { pages } from './pages';
import { ConnectionBanner } from './connection-banner';
import { Sidebar } from './sidebar';
import { useHashNavigation } from './use-hash-navigation';
import './shell.css';

/** The app: the first-run page until a root is open, then the sidebar and the current page. */
export function App(): React.JSX.Element {
  const root = useTend((state) => state.root);
  const firstRunActive = useTend((state) => state.firstRun.active);
  const loadRoot = useTend((state) => state.loadRoot);
  const connection = useTend((state) => state.connection);

  // Lost before a data folder was shown: the banner is the page.
  if (connection.status !== 'online' && root.status !== 'open') {
    return (
      <div className="centered">
        <div className="centered-box">
          <ConnectionBanner connection={connection} />
        </div>
      </div>
    );
  }
  if (firstRunActive) return <FirstRunPage />;
  switch (root.status) {
    case 'loading':
      return (
        <div className="centered">
          <Loading label="Opening Tend…" />
        </div>
      );
    case 'none':
      return <FirstRunPage />;
    case 'error':
      return (
        <div className="centered">
          <div className="centered-box">
            <ErrorBox
              error={root.error}
              title="Tend could not open its data folder"
              onRetry={() => void loadRoot()}
            />
          </div>
        </div>
      );
    case 'open':
      return <Shell />;
    default:
      return assertNever(root);
  }
}

function Shell(): React.JSX.Element {
  const page = useTend((state) => state.page);
  const loadJobs = useTend((state) => state.loadJobs);
  const connection = useTend((state) => state.connection);
  useHashNavigation();

  useEffect(() => {
    void loadJobs();
  }, [loadJobs]);

  const Page = pages[page].component;
  return (
    <div className="shell">
      <Sidebar />
      <main className="main" id="main">
        {/* Lost Tend: one banner, not an error and a spinner in every panel of the page. */}
        {connection.status === 'online' ? <Page /> : <ConnectionBanner connection={connection} />}
      </main>
    </div>
  );
}
