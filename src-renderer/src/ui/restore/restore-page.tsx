import { ArchiveRestore } from 'lucide-react';
import { useEffect } from 'react';
import { isRootRestore } from '../../store/restore-slice';
import { useTend } from '../../store/use-tend';
import { PageHeader } from '../common/page-header';
import { restoreIntro } from '../profile/profile-words';
import { useOpenProfile } from '../profile/use-open-profile';
import { LastRestorePanel } from './last-restore-panel';
import { MoveBackupsPanel } from './move-backups-panel';
import { RestoreLatestDialog } from './restore-latest-dialog';
import { RestoreWizard } from './restore-wizard';
import './restore.css';

/**
 * Restore: the last restore with its undo, a wizard (choose a backup, choose what, preview,
 * confirm and watch, report), and moving backups between machines (import, export).
 */
export function RestorePage(): React.JSX.Element {
  const confirmOpen = useTend((state) => state.restoreConfirmOpen);
  const openConfirm = useTend((state) => state.openRestoreConfirm);
  const closeConfirm = useTend((state) => state.closeRestoreConfirm);
  const watchRestore = useTend((state) => state.watchRestore);
  const restoreRunning = useTend((state) => Object.values(state.runningJobs).some(isRootRestore));
  const profile = useOpenProfile();
  useEffect(() => watchRestore(), [watchRestore]);
  return (
    <>
      <PageHeader
        title="Restore"
        subtitle={restoreIntro(profile)}
        actions={
          <button
            type="button"
            className="button button-primary"
            onClick={openConfirm}
            disabled={restoreRunning}
            title={restoreRunning ? 'A restore is running; it has to end first.' : undefined}
          >
            <ArchiveRestore size={16} aria-hidden /> Restore latest backup…
          </button>
        }
      />
      <LastRestorePanel />
      <RestoreWizard />
      <MoveBackupsPanel />
      {confirmOpen ? <RestoreLatestDialog onClose={closeConfirm} /> : null}
    </>
  );
}
