import { Sprout } from 'lucide-react';
import { pageIds, pageShownFor } from '../../store/navigation-slice';
import { useTend } from '../../store/use-tend';
import { pages } from './pages';

/** The left sidebar: the app's name, one button per page, and the open data folder. */
export function Sidebar(): React.JSX.Element {
  const page = useTend((state) => state.page);
  const navigate = useTend((state) => state.navigate);
  const root = useTend((state) => state.root);
  const rootPath = root.status === 'open' ? root.info.path : null;
  // Some pages belong to folders of one kind (Database: a PostgreSQL-backed bot's).
  const profile = root.status === 'open' ? root.info.profile.id : null;
  const shown = pageIds.filter((id) => pageShownFor(id, profile));

  return (
    <aside className="sidebar">
      <div className="brand">
        <Sprout className="brand-icon" size={22} aria-hidden />
        <span className="brand-name">Tend</span>
      </div>
      <nav className="sidebar-nav" aria-label="Pages">
        <ul>
          {shown.map((id) => {
            const { label: fixed, labelFor, icon: Icon } = pages[id];
            const label = labelFor && root.status === 'open' ? labelFor(root.info.profile) : fixed;
            return (
              <li key={id}>
                <button
                  type="button"
                  className="nav-item"
                  aria-current={page === id ? 'page' : undefined}
                  onClick={() => navigate(id)}
                  title={label}
                >
                  <Icon size={18} aria-hidden />
                  <span className="nav-label">{label}</span>
                </button>
              </li>
            );
          })}
        </ul>
      </nav>
      {rootPath ? (
        <div className="sidebar-root" title={rootPath}>
          <span className="sidebar-root-label">Data folder</span>
          <span className="sidebar-root-path">{rootPath}</span>
        </div>
      ) : null}
    </aside>
  );
}
