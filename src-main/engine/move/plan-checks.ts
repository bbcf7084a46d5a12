/**
 * The checks of a move plan as a person reads them: each with its result and numbers, the
 * ones passed included, in one order. A check an earlier refusal made pointless is said to be
 * skipped, not passed.
 */
import type { MoveCheck, MoveCheckName } from '../../../src-shared/models/move';

/** Each check's title, in the order they are shown. */
export const moveCheckTitles: Readonly<Record<MoveCheckName, string>> = {
  place: 'Outside the data folder, and not one of its parents',
  empty: 'A new or empty folder',
  writable: 'Tend can write there',
  space: 'Room for everything, plus a margin',
  app: 'The app is not running',
  files: 'Only files, folders and links to copy',
};

/** What one check found; a check not run has no entry. */
export interface CheckFinding {
  readonly outcome: 'passed' | 'refused';
  readonly detail: string;
}

/** The plan's checks in their order, a missing one skipped because the target was refused. */
export function moveCheckList(
  findings: Readonly<Partial<Record<MoveCheckName, CheckFinding>>>,
): MoveCheck[] {
  return (Object.keys(moveCheckTitles) as MoveCheckName[]).map((name) => {
    const found = findings[name];
    return {
      name,
      title: moveCheckTitles[name],
      outcome: found?.outcome ?? 'skipped',
      detail: found?.detail ?? 'Not checked: the target was refused above.',
    };
  });
}
