/**
 * The last verified backup and its age: the newest backup a full verification read back
 * whole, as a pure function of the history, so the Health panel and its tests agree.
 */
import type { BackupRecord } from '../../../src-shared/models/backups';
import type { VerificationFigures } from '../../../src-shared/models/health';

const HOUR_MS = 3_600_000;

/** Whether a record is a backup of the data, not a safety snapshot of a few files. */
function isDataBackup(record: BackupRecord): boolean {
  return (
    record.state === 'completed' && record.kind !== 'pre-restore' && record.kind !== 'pre-migration'
  );
}

/**
 * The newest completed backup that passed a full verification (safety snapshots left out),
 * its age, and why its archive cannot be restored now when it cannot (`unavailable`, by id,
 * as the backup service judges it); with the count of newer backups not verified yet.
 */
export function verificationFigures(
  records: ReadonlyArray<BackupRecord>,
  unavailable: ReadonlyMap<string, string>,
  now: Date,
): VerificationFigures {
  const made = records
    .filter(isDataBackup)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
  const index = made.findIndex((record) => record.verifyState === 'verified');
  const newer = index < 0 ? made : made.slice(0, index);
  const newerUnverified = newer.filter((record) => record.verifyState === 'unverified').length;
  const found = index < 0 ? null : made[index]!;
  if (!found) return { last: null, newerUnverified };
  const finishedAt = found.finishedAt ?? found.createdAt;
  return {
    last: {
      id: found.id,
      kind: found.kind,
      finishedAt,
      verifiedAt: found.verifiedAt,
      ageHours: Math.max(0, Math.floor((now.getTime() - Date.parse(finishedAt)) / HOUR_MS)),
      problem: unavailable.get(found.id) ?? null,
    },
    newerUnverified,
  };
}
