/**
 * The words of the move wizard: each configuration change as what the person does or what
 * Tend does for them, how the files get there, and the old copy. Plain functions, so the
 * sentences are tested apart from the page.
 */
import { countOf, formatBytes } from '../../lib/format';
import type { ConfigChange, MovePlan, MoveRecord } from '../../../../src-shared/models/move';

/** One configuration change as the wizard lists it. */
export interface ChangeText {
  /** Who does it: "You" (a line to copy) or "Tend". */
  readonly who: 'you' | 'tend' | 'none';
  readonly title: string;
  /** The line to copy, the key and values, or the link, shown in a monospaced block. */
  readonly code: string | null;
  readonly note: string;
}

/** What a change asks of the person or does for them, in words. */
export function describeChange(change: ConfigChange): ChangeText {
  switch (change.kind) {
    case 'env':
      return {
        who: 'you',
        title: `Set ${change.variable} where the app is started (compose file, service unit)`,
        code: change.line,
        note: change.note,
      };
    case 'settings-file':
      return change.applies
        ? {
            who: 'tend',
            title: `Tend writes ${change.key} in ${change.file} (the old value is kept for Move back)`,
            code: `${change.key}: ${change.from ?? '(not set)'} → ${change.to ?? '(not set)'}`,
            note: change.note,
          }
        : {
            who: 'none',
            title: `${change.key} in ${change.file}: nothing to change`,
            code: null,
            note: change.note,
          };
    case 'link':
      return {
        who: 'tend',
        title: 'Tend leaves a link at the old place',
        code: `${change.at} → ${change.to}`,
        note: change.note,
      };
    case 'tend':
      return {
        who: 'tend',
        title: "Tend's record of the folder follows (history, schedules and backups stay attached)",
        code: `${change.from} → ${change.to}`,
        note: change.note,
      };
  }
}

/** How the files get there, in a sentence. */
export function describeMethod(plan: Pick<MovePlan, 'method' | 'files' | 'bytes'>): string {
  const what = `${countOf(plan.files, 'file')} (${formatBytes(plan.bytes)})`;
  return plan.method === 'rename'
    ? `The target is on the same disk: the folder is renamed in one step, and its ${what} stay where they are on the disk.`
    : `Tend copies ${what} to the other disk, writes each to disk and compares it with the original (SHA-256); databases go through SQLite's backup API. The old folder is kept until you remove it.`;
}

/** The old copy a move keeps, in a sentence; null when there is none. */
export function describeOldCopy(record: MoveRecord): string | null {
  if (!record.oldCopy || record.movedBackAt) return null;
  return `The old copy is kept at ${record.oldCopy.path}: ${formatBytes(record.oldCopy.bytes)} in ${countOf(record.oldCopy.files, 'file')}.`;
}
