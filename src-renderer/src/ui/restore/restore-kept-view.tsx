import type { RestoreKeptList } from '../../../../src-shared/models/restore';
import { formatCount } from '../../lib/format';

/**
 * "Kept, not in this backup": live entries a restore leaves as they are although the backup
 * does not hold them (links leading outside, FIFOs, files the backup could not read), each
 * with its reason. Nothing when there are none.
 */
export function RestoreKeptView(props: { kept: RestoreKeptList }): React.JSX.Element | null {
  const { kept } = props;
  if (kept.count === 0) return null;
  const more = kept.count - kept.entries.length;
  return (
    <details className="restore-files" data-testid="restore-kept">
      <summary>Kept, not in this backup ({formatCount(kept.count)}): left as they are</summary>
      <ul>
        {kept.entries.map((item) => (
          <li key={item.path}>
            <span className="mono">{item.path}</span> <span className="muted">— {item.reason}</span>
          </li>
        ))}
        {more > 0 ? <li className="muted">and {formatCount(more)} more</li> : null}
      </ul>
    </details>
  );
}
