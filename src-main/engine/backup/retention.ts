import type {
  BackupRecord,
  PruneDecision,
  RetentionPolicy,
} from '../../../src-shared/models/backups';

// Safety snapshots are not part of the grandfather-father-son rotation: the newest few of
// each kind stay so the last restore or migration can be undone.
const SAFETY_KEEP = 2;

function dayKey(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function monthKey(date: Date): string {
  return date.toISOString().slice(0, 7);
}

/** ISO week (Monday first) as `YYYY-Www`, in UTC. */
function weekKey(date: Date): string {
  const day = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const weekday = day.getUTCDay() || 7;
  day.setUTCDate(day.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(day.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((day.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${day.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/**
 * Grandfather-father-son selection: which completed backups stay and which go, each with
 * the reason a person reads in the preview.
 *
 * The newest backup of each of the last `daily` days with a backup stays, likewise of the last
 * `weekly` ISO weeks and `monthly` months. The newest verified backup always stays. Only
 * backups Tend created (or wrote on this machine, when read back from their sidecars) are
 * ever candidates; the rest are kept and say why.
 */
export function planRetention(
  records: ReadonlyArray<BackupRecord>,
  policy: RetentionPolicy,
  ownedByUs: (record: BackupRecord) => boolean,
): PruneDecision[] {
  const completed = records
    .filter((record) => record.state === 'completed')
    .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
  const reasons = new Map<string, string>();
  const keep = (record: BackupRecord, reason: string) => {
    if (!reasons.has(record.id)) reasons.set(record.id, reason);
  };

  const newestVerified = completed.find((record) => record.verifyState === 'verified');
  if (newestVerified) keep(newestVerified, 'newest verified backup (always kept)');

  const rotated = completed.filter(
    (record) => record.kind !== 'pre-restore' && record.kind !== 'pre-migration',
  );
  const tiers: Array<[string, number, (date: Date) => string]> = [
    ['daily', policy.daily, dayKey],
    ['weekly', policy.weekly, weekKey],
    ['monthly', policy.monthly, monthKey],
  ];
  for (const [tier, count, key] of tiers) {
    const seen = new Set<string>();
    for (const record of rotated) {
      if (seen.size >= count) break;
      const period = key(new Date(record.createdAt));
      if (seen.has(period)) continue;
      seen.add(period);
      keep(record, `${tier}: newest of ${period}`);
    }
  }
  for (const kind of ['pre-restore', 'pre-migration'] as const) {
    completed
      .filter((record) => record.kind === kind)
      .slice(0, SAFETY_KEEP)
      .forEach((record) => keep(record, `one of the ${SAFETY_KEEP} newest ${kind} snapshots`));
  }
  for (const record of completed) {
    if (!ownedByUs(record)) keep(record, 'written by another machine or data folder');
  }

  return completed.map((record) => {
    const reason = reasons.get(record.id);
    return {
      id: record.id,
      createdAt: record.createdAt,
      kind: record.kind,
      archiveBytes: record.archiveBytes,
      action: reason ? 'keep' : 'delete',
      reason:
        reason ??
        (record.kind === 'pre-restore' || record.kind === 'pre-migration'
          ? `older than the ${SAFETY_KEEP} newest ${record.kind} snapshots`
          : 'outside the daily, weekly and monthly slots'),
    };
  });
}
