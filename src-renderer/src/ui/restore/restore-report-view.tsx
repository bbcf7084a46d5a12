import { CircleCheck, CircleX } from 'lucide-react';
import type { RestoreReport } from '../../../../src-shared/models/restore';
import {
  describeRestoreCounts,
  reportCounts,
  whyNoUndo,
} from '../../../../src-shared/models/restore-counts';
import { describeScope } from './restore-plan-view';
import { RestoreKeptView } from './restore-kept-view';

/** What a restore did, every validation check passed or failed, and whether it can be undone. */
export function RestoreReportView(props: { report: RestoreReport }): React.JSX.Element {
  const { report } = props;
  const restored = report.outcome === 'restored';
  const noUndo = whyNoUndo(report);
  return (
    <div className="restore-report" data-testid="restore-report">
      <div className={`notice ${restored ? 'notice-ok' : 'notice-warning'}`} role="status">
        {restored ? (
          <div>
            <strong>{report.undo ? 'The last restore was undone.' : 'Restored.'}</strong>{' '}
            {describeScope(report.scope)} from {report.backupId}, in {report.seconds.toFixed(1)} s:{' '}
            {describeRestoreCounts(reportCounts(report.totals))}
          </div>
        ) : (
          <div>
            <strong>Put back as it was.</strong> The check “{report.failedCheck}” failed after the
            swap, so every file was returned to where it was before.
          </div>
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
      <RestoreKeptView kept={report.kept} />
      {noUndo ? (
        <p className="muted" data-testid="restore-no-undo">
          <strong>No undo:</strong> {noUndo}
        </p>
      ) : report.safetySnapshot ? (
        <p className="muted small">
          “Undo this restore” at the top of the page puts back what it changed, from its safety
          snapshot <span className="mono">{report.safetySnapshot.archivePath}</span>.
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
