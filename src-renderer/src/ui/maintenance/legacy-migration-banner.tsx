import { FolderInput } from 'lucide-react';
import { useTend } from '../../store/use-tend';

/**
 * Offers the legacy migration when the open root still has an old `data/` folder. The
 * Overview page places it; it shows nothing otherwise.
 */
export function LegacyMigrationBanner(): React.JSX.Element | null {
  const root = useTend((state) => state.root);
  const navigate = useTend((state) => state.navigate);
  if (root.status !== 'open' || !root.info.hasLegacyData) return null;
  return (
    <div className="notice notice-warning legacy-banner" role="status" data-testid="legacy-banner">
      <FolderInput size={18} aria-hidden />
      <div>
        <strong>An old data/ folder was found.</strong> Its files belong in local_data/ now. Tend
        can move them with a preview of every file, a backup first, and an undo.
      </div>
      <span className="spacer" />
      <button
        type="button"
        className="button button-primary"
        onClick={() => navigate('maintenance')}
      >
        Review the migration
      </button>
    </div>
  );
}
