import { CircleCheck, CircleX } from 'lucide-react';
import type { RestoreReport } from '../../../../src-shared/models/restore';
import { formatCount } from '../../lib/format';
import { describeScope } from './restore-plan-view';

/** What a restore did and every validation check, passed or failed. */
export function RestoreReportView(props: { report: RestoreReport }): React.JSX.Element {
  const { report } = props;
  const t = report.totals;
  const restored = report.outcome === 'restored';
  return (
    <div className="restore-report" data-testid="restore-report">
      <div className={`notice ${restored ? 'notice-ok' : 'notice-warning'}`} role="status">
        {restored ? (
          <>
            <strong>{report.undo ? 'The last restore was undone.' : 'Restored.'}</strong>{' '}
            {describeScope(report.scope)} from {report.backupId}, in {report.seconds.toFixed(1)} s:{' '}
            {formatCount(t.added)} came back, {formatCount(t.replaced)} replaced,{' '}
            {formatCount(t.removed)} removed
            {t.unchanged > 0 ? `, ${formatCount(t.unchanged)} already identical` : ''}.
          </>
        ) : (
          <>
            <strong>Put back as it was.</strong> The check “{report.failedCheck}” failed after the
            swap, so every file was returned to where it was before.
          </>
        )}
      </div>
      <h3 className="restore-subtitle">Checks</h3>
      <ul className="restore-checks">
        {report.checks.map((check) => (
          <li key={check.name} className={check.ok ? 'check-ok' : 'check-bad'}>
            {check.ok ? (
              <CircleCheck size={16} aria-label="passed" />
            ) : (
              <CircleX size={16} aria-label="failed" />
            )}
            <span className="check-name">{check.name}</span>
            <span className="muted">{check.detail}</span>
          </li>
        ))}
      </ul>
      {report.safetySnapshot ? (
        <p className="muted small">
          Safety snapshot: <span className="mono">{report.safetySnapshot.archivePath}</span>
        </p>
      ) : null}
      {report.warnings.map((warning) => (
        <p key={warning} className="muted small">
          {warning}
        </p>
      ))}
    </div>
  );
}
