import { countOf } from '../../../../src-shared/language/counts';
import { jobStateNames } from '../../../../src-shared/language/names';
import type { BackupRecord } from '../../../../src-shared/models/backups';

/** The outcome column: what happened, in a word or two, and the badge colour to show it in. */
export function outcomeOf(record: BackupRecord): { label: string; tone: 'ok' | 'warning' | 'bad' } {
  switch (record.state) {
    case 'completed':
      return record.warnings.length > 0
        ? {
            label: `${jobStateNames.succeeded}, ${countOf(record.warnings.length, 'warning')}`,
            tone: 'warning',
          }
        : { label: jobStateNames.succeeded, tone: 'ok' };
    case 'running':
      return { label: jobStateNames.running, tone: 'warning' };
    case 'cancelled':
      return { label: jobStateNames.cancelled, tone: 'warning' };
    case 'interrupted':
      return { label: jobStateNames.interrupted, tone: 'bad' };
    case 'failed':
      return { label: jobStateNames.failed, tone: 'bad' };
  }
}

/** "12.4 s", "3 min 5 s". */
export function formatDuration(ms: number | null): string {
  if (ms === null) return '–';
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}
