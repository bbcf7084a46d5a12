import { categoryInfo } from '../../../../src-shared/models/categories';
import type { RestorePlan, RestoreScope } from '../../../../src-shared/models/restore';
import { describeRestoreCounts, planCounts } from '../../../../src-shared/models/restore-counts';
import { countOf, formatBytes, formatCount } from '../../lib/format';
import { RestoreKeptView } from './restore-kept-view';

const actionWords = { add: 'Comes back', replace: 'Replaced', remove: 'Removed' } as const;

/** A scope in a few words. */
export function describeScope(scope: RestoreScope): string {
  switch (scope.kind) {
    case 'everything':
      return 'Everything in the backup';
    case 'categories':
      return `Only ${scope.categories.map((c) => categoryInfo[c].label.toLowerCase()).join(', ')} files`;
    case 'collection':
      return `Collection ${scope.collection}`;
    case 'scope':
      return `${scope.scope.charAt(0).toUpperCase()}${scope.scope.slice(1)} ${scope.id}`;
    case 'paths':
      return scope.paths.length === 1 ? scope.paths[0]! : countOf(scope.paths.length, 'path');
  }
}

/**
 * The preview of a restore in the assistant's terms: files, collections, disk, refusals. Its
 * counts are the restore-counts model's, as the confirmation and the report say them.
 */
export function RestorePlanView(props: {
  plan: RestorePlan;
  compact?: boolean;
}): React.JSX.Element {
  const { plan, compact } = props;
  const t = plan.totals;
  const counts = planCounts(t);
  const listed = plan.changes.filter((change) => change.action !== 'replace');
  return (
    <div className="restore-plan" data-testid="restore-plan">
      {plan.refusals.length > 0 ? (
        <div className="notice notice-warning" role="alert">
          <strong>This restore cannot go ahead.</strong>
          <ul>
            {plan.refusals.map((refusal) => (
              <li key={refusal.code + refusal.message}>
                {refusal.message} <code className="error-code">{refusal.code}</code>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <p className="restore-summary" data-testid="restore-plan-summary">
        {describeRestoreCounts(counts)}
      </p>
      <dl className="stats restore-stats">
        <div className="stat">
          <dt className="stat-label">To replace</dt>
          <dd className="stat-value">{formatCount(counts.replaced)}</dd>
          <dd className="stat-detail">
            {counts.replaced === 0
              ? 'nothing'
              : counts.identical > 0
                ? `up to ${formatBytes(t.replacedBytes)}`
                : formatBytes(t.replacedBytes)}
          </dd>
        </div>
        <div className="stat">
          <dt className="stat-label">Look identical</dt>
          <dd className="stat-value">{formatCount(counts.identical)}</dd>
          <dd className="stat-detail">
            {counts.identical > 0 ? 'checked again, then left alone' : 'none'}
          </dd>
        </div>
        <div className="stat">
          <dt className="stat-label">To bring back</dt>
          <dd className="stat-value">{formatCount(counts.added)}</dd>
          <dd className="stat-detail">
            {counts.added > 0 ? `${formatBytes(t.addedBytes)}, not there now` : 'nothing'}
          </dd>
        </div>
        <div className="stat">
          <dt className="stat-label">To remove</dt>
          <dd className="stat-value">{formatCount(counts.removed)}</dd>
          <dd className="stat-detail">
            {counts.removed > 0 ? `${formatBytes(t.removedBytes)} not in the backup` : 'nothing'}
          </dd>
        </div>
        <div className="stat">
          <dt className="stat-label">Disk space</dt>
          <dd className="stat-value">{formatBytes(plan.space.neededBytes)}</dd>
          <dd className="stat-detail">needed, {formatBytes(plan.space.freeBytes)} free</dd>
        </div>
      </dl>
      {plan.collections.length > 0 ? (
        <div className="table-wrap">
          <table className="table restore-collections" aria-label="Collections that change">
            <thead>
              <tr>
                <th>Collection</th>
                <th>Change</th>
                <th className="num">Chunks now → after</th>
                <th className="num">Documents now → after</th>
                <th className="num">Chat sessions now</th>
              </tr>
            </thead>
            <tbody>
              {plan.collections.map((c) => (
                <tr key={c.id}>
                  <td>{c.name}</td>
                  <td>{actionWords[c.action]}</td>
                  <td className="num">
                    {formatCount(c.chunksNow)} → {formatCount(c.chunksAfter)}
                  </td>
                  <td className="num">
                    {formatCount(c.documentFilesNow)} → {formatCount(c.documentFilesAfter)}
                  </td>
                  <td className="num">{formatCount(c.chatSessionsNow)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {!compact && listed.length > 0 ? (
        <details className="restore-files">
          <summary>
            Files that come back or go ({countOf(t.added + t.removed, 'file')}
            {listed.length > 200 ? ', the first 200 listed' : ''})
          </summary>
          <ul className="mono">
            {listed.slice(0, 200).map((change) => (
              <li key={change.path}>
                <span className={`restore-action restore-action-${change.action}`}>
                  {change.action === 'add' ? '+' : '−'}
                </span>{' '}
                {change.path}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      <RestoreKeptView kept={plan.kept} />
      {plan.warnings.map((warning) => (
        <p key={warning} className="muted small">
          {warning}
        </p>
      ))}
    </div>
  );
}
