import type { BackupKind } from '../../../src-shared/models/backup-manifest';
import type {
  BackupRecord,
  PruneDecision,
  RetentionPolicy,
} from '../../../src-shared/models/backups';
import { planRetention } from '../backup/retention';
import { nanosToDate } from './go-time';
import type { SnapshotEntry } from './snapshot-reader';
import { TEND_TAG } from './snapshot-backup';

const kinds: ReadonlyArray<BackupKind> = [
  'critical',
  'full',
  'custom',
  'pre-restore',
  'pre-migration',
];

/** A snapshot's kind from its `kind:<kind>` tag (`full` when it has none: restic's own). */
export function snapshotKind(snapshot: Pick<SnapshotEntry, 'tags'>): BackupKind {
  const tag = snapshot.tags?.find((candidate) => candidate.startsWith('kind:'))?.slice(5);
  return kinds.find((kind) => kind === tag) ?? 'full';
}

/**
 * Grandfather-father-son over a repository's snapshots, by the same rules as the archives'
 * (backup/retention.ts planRetention: per kind, the newest of each of the last `daily` days,
 * `weekly` weeks and `monthly` months, the newest of each kind always). Snapshots that Tend
 * did not write (no `tend` tag: restic's own, or another program's) are always kept.
 */
export function planSnapshotRetention(
  snapshots: ReadonlyArray<SnapshotEntry>,
  policy: RetentionPolicy,
): PruneDecision[] {
  const records = snapshots.map((snapshot): BackupRecord => {
    const createdAt = nanosToDate(snapshot.time).toISOString();
    return {
      id: snapshot.id,
      kind: snapshotKind(snapshot),
      categories: [],
      state: 'completed',
      destination: '',
      fileName: '',
      createdAt,
      finishedAt: createdAt,
      durationMs: null,
      archiveBytes: null,
      archiveSha256: null,
      files: null,
      dataBytes: null,
      verifyState: 'unverified',
      verifiedAt: null,
      verifyMessage: null,
      warnings: [],
      error: null,
      jobId: null,
      origin: 'created',
      host: snapshot.hostname ?? '',
    };
  });
  const tendWrote = new Set(
    snapshots.filter((snapshot) => snapshot.tags?.includes(TEND_TAG)).map((s) => s.id),
  );
  return planRetention(records, policy, (record) => tendWrote.has(record.id));
}
