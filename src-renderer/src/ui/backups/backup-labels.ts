import type { BackupKind, BackupRecord } from '../../../../src-shared/models/backups';

/** What each kind of backup is called on the page. */
export const kindLabel: Readonly<Record<BackupKind, string>> = {
  critical: 'Critical',
  full: 'Full',
  custom: 'Custom',
  'pre-restore': 'Before a restore',
  'pre-migration': 'Before a migration',
};

/** The outcome column: what happened, in a word or two, and the badge colour to show it in. */
export function outcomeOf(record: BackupRecord): { label: string; tone: 'ok' | 'warning' | 'bad' } {
  switch (record.state) {
    case 'completed':
      return record.warnings.length > 0
        ? { label: `Done, ${record.warnings.length} warning(s)`, tone: 'warning' }
        : { label: 'Done', tone: 'ok' };
    case 'running':
      return { label: 'Running', tone: 'warning' };
    case 'cancelled':
      return { label: 'Cancelled', tone: 'warning' };
    case 'interrupted':
      return { label: 'Interrupted', tone: 'bad' };
    case 'failed':
      return { label: 'Failed', tone: 'bad' };
  }
}

/** "12.4 s", "3 min 5 s". */
export function formatDuration(ms: number | null): string {
  if (ms === null) return '–';
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}
