import type { ErrorCode } from '../../src-shared/errors';
import { TendFailure } from '../../src-shared/tend-failure';

/**
 * Throws a refused plan's first refusal, once the plan has been printed: `tend move plan` and
 * `tend restore plan` then exit as `apply` would (2 for a move's target refusals), so a script
 * can tell a plan that can go ahead from one that cannot.
 */
export function throwIfPlanRefused(
  refusals: ReadonlyArray<{ readonly code: ErrorCode; readonly message: string }>,
  what: string,
): void {
  const [first] = refusals;
  if (!first) return;
  const others = refusals.length - 1;
  const more =
    others > 0
      ? ` ${others === 1 ? 'One more reason is' : `${others} more reasons are`} listed above.`
      : '';
  throw new TendFailure(
    first.code,
    `This ${what} cannot go ahead; nothing was changed. ${first.message}${more}`,
    { refusals },
  );
}
