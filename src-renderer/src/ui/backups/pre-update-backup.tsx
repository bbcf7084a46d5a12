import { ShieldCheck } from 'lucide-react';
import { useEffect } from 'react';
import type { Result } from '../../../../src-shared/errors';
import type { JobRecord } from '../../../../src-shared/models/jobs';
import { valueOf } from '../../store/loadable';
import { useTend } from '../../store/use-tend';
import { Spinner } from '../common/loading';

/**
 * "Back up before an update", for a folder whose data lives in PostgreSQL (seed 003): a
 * `pre-update` backup of the database and the uploads (`tend guard`). Shown only for such a
 * folder; until Tend is connected to the database it says how.
 */
export function PreUpdateBackupButton(props: {
  busy: boolean;
  onStarted: (result: Result<JobRecord> | null) => void;
}): React.JSX.Element | null {
  const status = useTend((state) => state.postgresStatus);
  const loadStatus = useTend((state) => state.loadPostgresStatus);
  const backUpBeforeUpdate = useTend((state) => state.backUpBeforeUpdate);
  const startJobAt = useTend((state) => state.startJobAt);
  const starting = useTend((state) => state.startingAt.backup === true);

  useEffect(() => {
    if (status.status === 'idle') void loadStatus();
  }, [status.status, loadStatus]);

  const value = valueOf(status);
  if (!value?.applies) return null;
  const blocked = !value.connected
    ? 'Connect Tend to the database first: tend pg connect URL --password-env VARIABLE'
    : props.busy
      ? 'A backup is running; it has to end first.'
      : undefined;
  return (
    <button
      type="button"
      className="button"
      data-testid="pre-update-backup"
      disabled={starting || blocked !== undefined}
      title={blocked ?? 'Backs up the database and the uploads before you update the app'}
      onClick={() => void startJobAt('backup', backUpBeforeUpdate).then(props.onStarted)}
    >
      {starting ? <Spinner /> : <ShieldCheck size={16} aria-hidden />} Back up before an update
    </button>
  );
}
