import { CircleCheck, CircleMinus, CircleX } from 'lucide-react';
import type { MoveCheck, MovePlan } from '../../../../src-shared/models/move';
import { describeChange, describeMethod } from './move-text';

const checkIcons = { passed: CircleCheck, refused: CircleX, skipped: CircleMinus } as const;
const whoWords = { you: 'You', tend: 'Tend', none: '—' } as const;

/**
 * What a move would do, before anything happens: from and to, how, each check with its
 * result and numbers, the changes to how the app finds its data, and why it may be refused.
 */
export function MovePlanView(props: { plan: MovePlan }): React.JSX.Element {
  const { plan } = props;
  // A refused plan has no way to go nor changes to make: only what was found is shown.
  const refused = plan.refusals.length > 0;
  return (
    <div className="move-plan" data-testid="move-plan">
      {plan.refusals.length > 0 ? (
        <div className="notice notice-warning" role="alert" data-testid="move-refusals">
          <div>
            <strong>This move cannot go ahead.</strong>
            <ul className="plain-list">
              {plan.refusals.map((refusal) => (
                <li key={refusal.code + refusal.message}>
                  {refusal.message} <code className="error-code">{refusal.code}</code>
                </li>
              ))}
            </ul>
          </div>
        </div>
      ) : null}
      <dl className="move-facts">
        <dt>From</dt>
        <dd className="mono">{plan.source}</dd>
        <dt>To</dt>
        <dd className="mono">
          {plan.resolvedTarget}{' '}
          <span className="muted">
            {plan.targetExists ? '(an empty folder)' : '(made by the move)'}
          </span>
        </dd>
        {refused ? null : (
          <>
            <dt>How</dt>
            <dd>{describeMethod(plan)}</dd>
          </>
        )}
      </dl>
      <h3 className="move-subtitle">Checks</h3>
      <ul className="move-checks" data-testid="move-checks">
        {plan.checks.map((check) => (
          <CheckRow key={check.name} check={check} />
        ))}
      </ul>
      {refused ? null : (
        <>
          <h3 className="move-subtitle">What changes in how the app finds its data</h3>
          <ul className="move-changes" data-testid="move-changes">
            {plan.changes.map((change, index) => {
              const text = describeChange(change);
              return (
                <li key={index}>
                  <span className={`badge move-who-${text.who}`}>{whoWords[text.who]}</span>
                  <div>
                    <p className="move-change-title">{text.title}</p>
                    {text.code ? <code className="move-code">{text.code}</code> : null}
                    {text.note ? <p className="field-hint">{text.note}</p> : null}
                  </div>
                </li>
              );
            })}
          </ul>
        </>
      )}
      {plan.warnings.map((warning) => (
        <p key={warning} className="notice notice-warning">
          {warning}
        </p>
      ))}
    </div>
  );
}

function CheckRow(props: { check: MoveCheck }): React.JSX.Element {
  const { check } = props;
  const Icon = checkIcons[check.outcome];
  return (
    <li className={`move-check move-check-${check.outcome}`} data-check={check.name}>
      <Icon size={16} aria-label={check.outcome} />
      <span className="move-check-title">{check.title}</span>
      <span className="move-check-detail">{check.detail}</span>
    </li>
  );
}
