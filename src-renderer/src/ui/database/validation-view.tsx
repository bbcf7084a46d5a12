import { CircleCheck, CircleX } from 'lucide-react';
import type { RestoreValidationInfo } from '../../../../src-shared/models/postgres';
import { countOf, formatCount } from '../../lib/format';

/**
 * What validating the restored copy found: every table's rows against the backup's count,
 * constraints and indexes valid, and the person's own query.
 */
export function ValidationView(props: { validation: RestoreValidationInfo }): React.JSX.Element {
  const { validation } = props;
  const mismatchOf = new Map(validation.mismatches.map((item) => [item.table, item]));
  const label = (table: { schema: string; name: string }) =>
    table.schema === 'public' ? table.name : `${table.schema}.${table.name}`;
  const missing = validation.mismatches.filter((item) => item.found === null);
  const mark = (ok: boolean) =>
    ok ? (
      <CircleCheck className="database-ok" size={16} aria-label="valid" />
    ) : (
      <CircleX className="database-bad" size={16} aria-label="not valid" />
    );
  return (
    <div className="database-validation" data-testid="restore-swap-validation">
      <h3 className="database-subtitle">
        {mark(validation.ok)} Validation {validation.ok ? 'passed' : 'failed'}
      </h3>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Table</th>
            <th scope="col" className="numeric">
              Rows restored
            </th>
            <th scope="col" className="numeric">
              In the backup
            </th>
          </tr>
        </thead>
        <tbody>
          {validation.tables.map((table) => {
            const mismatch = mismatchOf.get(label(table));
            return (
              <tr key={`${table.schema}.${table.name}`} data-mismatch={mismatch ? 'yes' : 'no'}>
                <td className="mono">
                  {mark(!mismatch)} {label(table)}
                </td>
                <td className="numeric">{formatCount(table.rows)}</td>
                <td className="numeric">
                  {mismatch
                    ? mismatch.expected === null
                      ? 'not in the backup'
                      : formatCount(mismatch.expected)
                    : formatCount(table.rows)}
                </td>
              </tr>
            );
          })}
          {missing.map((item) => (
            <tr key={item.table} data-mismatch="yes">
              <td className="mono">
                {mark(false)} {item.table}
              </td>
              <td className="numeric">missing</td>
              <td className="numeric">{formatCount(item.expected ?? 0)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <ul className="database-checks">
        <li>
          {mark(validation.invalidConstraints.length === 0)}{' '}
          {validation.invalidConstraints.length === 0
            ? 'Every constraint validated'
            : `Constraints not validated: ${validation.invalidConstraints.join(', ')}`}
        </li>
        <li>
          {mark(validation.invalidIndexes.length === 0)}{' '}
          {validation.invalidIndexes.length === 0
            ? 'Every index valid'
            : `Indexes not valid: ${validation.invalidIndexes.join(', ')}`}
        </li>
        {validation.query ? (
          <li data-testid="restore-swap-query-result">
            {mark(validation.query.error === null && validation.query.rows > 0)} Your query{' '}
            <code className="mono">{validation.query.sql}</code>:{' '}
            {validation.query.error ?? countOf(validation.query.rows, 'row')}
          </li>
        ) : null}
      </ul>
    </div>
  );
}
