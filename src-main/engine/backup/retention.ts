import type {
  BackupKind,
  BackupRecord,
  PruneDecision,
  RetentionPolicy,
} from '../../../src-shared/models/backups';

// Safety snapshots are not part of the grandfather-father-son rotation: the newest few of
// each kind stay so the last restore or migration can be undone.
const SAFETY_KEEP = 2;

const safetyKinds: ReadonlyArray<BackupKind> = ['pre-restore', 'pre-migration', 'pre-update'];

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
 * Each kind has its own slots: for critical backups, and apart from them for full (and
 * custom) ones, the newest backup of each of the last `daily` days with one stays, likewise
 * of the last `weekly` ISO weeks and `monthly` months. So a critical backup never stands in
 * for a full one: a full backup made a minute before a critical one keeps its day.
 *
 * Only restorable backups count: one whose archive is missing, damaged or failed its
 * verification (`unavailable`, with why) fills no slot, so prune never leaves fewer
 * restorable backups than the policy keeps; it is kept too, as its files are not there to
 * delete or may come back (a drive plugged in again), and says why. The newest verified
 * backup and the newest restorable backup of each kind always stay, whatever the numbers.
 * Only backups Tend created (or wrote on this machine, when read back from their sidecars)
 * are ever deleted; the rest are kept and say why.
 */
export function planRetention(
  records: ReadonlyArray<BackupRecord>,
  policy: RetentionPolicy,
  ownedByUs: (record: BackupRecord) => boolean,
  unavailable: ReadonlyMap<string, string> = new Map(),
): PruneDecision[] {
  const completed = records
    .filter((record) => record.state === 'completed')
    .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
  const reasons = new Map<string, string>();
  const keep = (record: BackupRecord, reason: string) => {
    if (!reasons.has(record.id)) reasons.set(record.id, reason);
  };

  for (const record of completed) {
    if (!ownedByUs(record)) keep(record, 'written by another machine or data folder');
    const why = unavailable.get(record.id);
    if (why) {
      keep(
        record,
        `not restorable: ${why}; it fills no slot, and is kept (delete it with "tend backup delete ${record.id}" if it is gone for good)`,
      );
    }
  }
  const restorable = completed.filter((record) => !unavailable.has(record.id));

  const newestVerified = restorable.find((record) => record.verifyState === 'verified');
  if (newestVerified) keep(newestVerified, 'newest verified backup (always kept)');

  const kinds = [...new Set(restorable.map((record) => record.kind))];
  for (const kind of kinds.filter((candidate) => !safetyKinds.includes(candidate))) {
    const ofKind = restorable.filter((record) => record.kind === kind);
    keep(ofKind[0]!, `newest ${kind} backup (the last of each kind is always kept)`);
    const tiers: Array<[string, number, (date: Date) => string]> = [
      ['daily', policy.daily, dayKey],
      ['weekly', policy.weekly, weekKey],
      ['monthly', policy.monthly, monthKey],
    ];
    for (const [tier, count, key] of tiers) {
      const seen = new Set<string>();
      for (const record of ofKind) {
        if (seen.size >= count) break;
        const period = key(new Date(record.createdAt));
        if (seen.has(period)) continue;
        seen.add(period);
        keep(record, `${tier} slot of ${kind} backups: newest of ${period}`);
      }
    }
  }
  for (const kind of safetyKinds) {
    restorable
      .filter((record) => record.kind === kind)
      .slice(0, SAFETY_KEEP)
      .forEach((record) => keep(record, `one of the ${SAFETY_KEEP} newest ${kind} snapshots`));
  }

  return completed.map((record) => {
    const reason = reasons.get(record.id);
    return {
      id: record.id,
      createdAt: record.createdAt,
      kind: record.kind,
      archiveBytes: record.archiveBytes,
      action: reason ? 'keep' : 'delete',
      restorable: !unavailable.has(record.id),
      reason:
        reason ??
        (safetyKinds.includes(record.kind)
          ? `older than the ${SAFETY_KEEP} newest ${record.kind} snapshots`
          : `outside the daily, weekly and monthly slots of ${record.kind} backups`),
    };
  });
}
