import { BatteryLow, ShieldAlert } from 'lucide-react';
import { useEffect } from 'react';
import { valueOf } from '../../store/loadable';
import { useTend } from '../../store/use-tend';
import { stoppedBannerText, waitingForPowerText } from './backup-stopped-text';

/**
 * Says that backups have stopped (no good backup for longer than the set age) and why, or
 * that scheduled backups wait for power; nothing while backups run. The Overview page places
 * it at the top, beside the legacy-migration banner; the web host shows the same page.
 */
export function BackupStoppedBanner(): React.JSX.Element | null {
  const unattended = useTend((state) => state.unattended);
  const watch = useTend((state) => state.watchUnattended);
  const navigate = useTend((state) => state.navigate);
  useEffect(() => watch(), [watch]);
  const status = valueOf(unattended);
  if (!status) return null;
  const stopped = stoppedBannerText(status);
  const power = waitingForPowerText(status);
  if (stopped) {
    return (
      <div className="notice notice-warning" role="alert" data-testid="backup-stopped-banner">
        <ShieldAlert size={18} aria-hidden />
        <div>
          <strong>{stopped.title}</strong>
          {stopped.detail ? <div>{stopped.detail}</div> : null}
        </div>
        <span className="spacer" />
        <button
          type="button"
          className="button button-primary"
          onClick={() => navigate(stopped.action.page)}
        >
          {stopped.action.label}
        </button>
      </div>
    );
  }
  if (power) {
    return (
      <div className="notice" role="status" data-testid="backup-waiting-banner">
        <BatteryLow size={18} aria-hidden />
        <div>{power}</div>
      </div>
    );
  }
  return null;
}
