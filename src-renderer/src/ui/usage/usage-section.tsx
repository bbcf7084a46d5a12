import { TriangleAlert } from 'lucide-react';
import { useEffect } from 'react';
import { formatAgo } from '../../lib/format';
import { useTend } from '../../store/use-tend';
import { ReclaimablePanel } from './reclaimable-panel';
import { UsageGrowth } from './usage-growth';
import { UsageTreemap } from './usage-treemap';
import './usage.css';

/** The usage alerts of the last week: growth faster than the threshold, low free space. */
export function UsageAlerts(): React.JSX.Element | null {
  const alerts = useTend((state) => state.usageAlerts);
  if (alerts.length === 0) return null;
  return (
    <section aria-label="Disk warnings" className="usage-alerts" data-testid="usage-alerts">
      {alerts.map((alert) => (
        <div key={`${alert.key}-${alert.raisedAt}`} className="notice notice-warning" role="alert">
          <TriangleAlert size={16} aria-hidden />
          <div>
            <strong>{alert.title}</strong>{' '}
            <span className="muted">{formatAgo(alert.raisedAt)}</span>
            <div>{alert.message}</div>
          </div>
        </div>
      ))}
    </section>
  );
}

/**
 * The usage part of Overview: warnings, the folder map with the largest files, growth over
 * time, and what can be cleaned up. Loads itself and follows scans while it is shown.
 */
export function UsageSection(): React.JSX.Element {
  const watchUsage = useTend((state) => state.watchUsage);
  const loadTree = useTend((state) => state.loadUsageTree);
  const loadHistory = useTend((state) => state.loadUsageHistory);
  const loadReclaimable = useTend((state) => state.loadReclaimable);

  useEffect(() => {
    const stop = watchUsage();
    void loadTree();
    void loadHistory();
    void loadReclaimable();
    return stop;
  }, [watchUsage, loadTree, loadHistory, loadReclaimable]);

  return (
    <>
      <UsageAlerts />
      <UsageTreemap />
      <ReclaimablePanel />
      <UsageGrowth />
    </>
  );
}
