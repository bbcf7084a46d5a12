import { BackupKindSchema } from './backup-manifest';
import type { RepositorySnapshot } from './repository';
import type { RestorableBackup } from './restore';

/** The reference a restore takes for a repository snapshot (restore:plan and restore:apply). */
export const SNAPSHOT_REF_PREFIX = 'snapshot:';

/** Whether a restore choice is a repository snapshot rather than an archive. */
export function isSnapshotChoice(backup: Pick<RestorableBackup, 'archivePath'>): boolean {
  return backup.archivePath.startsWith(SNAPSHOT_REF_PREFIX);
}

/**
 * Repository snapshots as the restore wizard's choices, beside the archives: the reference
 * (`snapshot:<id>`) stands where an archive's path does, which restore:plan and restore:apply
 * take alike. Their sizes are not known before a plan reads them (0 here, shown as "—").
 */
export function snapshotChoices(snapshots: ReadonlyArray<RepositorySnapshot>): RestorableBackup[] {
  return snapshots.map((snapshot) => ({
    id: `snapshot ${snapshot.shortId}`,
    kind: BackupKindSchema.catch('full').parse(snapshot.kind),
    createdAt: snapshot.time,
    archivePath: `${SNAPSHOT_REF_PREFIX}${snapshot.id}`,
    tendVersion: '',
    categories: [],
    files: 0,
    bytes: 0,
    verified: false,
  }));
}

/** Archives and snapshots together, newest first. */
export function restoreChoices(
  archives: ReadonlyArray<RestorableBackup>,
  snapshots: ReadonlyArray<RepositorySnapshot>,
): RestorableBackup[] {
  return [...archives, ...snapshotChoices(snapshots)].sort((a, b) =>
    b.createdAt.localeCompare(a.createdAt),
  );
}
