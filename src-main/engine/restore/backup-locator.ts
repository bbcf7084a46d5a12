/**
 * Finds the backups a restore can read: by id among the known ones, or by an archive's path.
 *
 * Note: restore reads backups through this small interface so it does not depend on how the
 * backup side keeps its records. The folder locator below scans the backup destination and the
 * restore's own safety snapshots for sidecars; it is what restore uses until the backup
 * service offers its catalog.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { TendFailure } from '../../../src-shared/errors';
import type { BackupSidecar } from '../../../src-shared/models/backup-manifest';
import type { RestorableBackup } from '../../../src-shared/models/restore';
import { archivePathFor, readSidecar, sidecarPathFor } from './backup-manifest-reader';

/** A backup found on disk, with its sidecar when it has one. */
export interface LocatedBackup {
  readonly id: string;
  readonly archivePath: string;
  readonly sidecar: BackupSidecar | null;
  /** Whether it passed a verification (or, without a catalog, its quick check). */
  readonly verified: boolean;
}

/** Where restore finds backups. */
export interface BackupLocator {
  /** Every backup, newest first. */
  list(): Promise<ReadonlyArray<LocatedBackup>>;
  /** A backup by id or archive path; BACKUP_NOT_FOUND when there is none. */
  resolve(ref: string): Promise<LocatedBackup>;
}

/** The summary the wizard lists. */
export function toRestorable(backup: LocatedBackup): RestorableBackup | null {
  const sidecar = backup.sidecar;
  if (!sidecar) return null;
  return {
    id: sidecar.id,
    kind: sidecar.kind,
    createdAt: sidecar.createdAt,
    archivePath: backup.archivePath,
    tendVersion: sidecar.tendVersion,
    categories: sidecar.categories,
    files: sidecar.totals.files,
    bytes: sidecar.totals.bytes,
    verified: backup.verified,
  };
}

/** The newest verified backup a person made (not a safety snapshot), or null. */
export async function newestVerified(locator: BackupLocator): Promise<LocatedBackup | null> {
  const all = await locator.list();
  return (
    all.find(
      (backup) =>
        backup.verified &&
        backup.sidecar !== null &&
        backup.sidecar.kind !== 'pre-restore' &&
        backup.sidecar.kind !== 'pre-migration',
    ) ?? null
  );
}

/** Reads one archive's sidecar and checks the archive's size against it. */
export async function locateArchive(archivePath: string): Promise<LocatedBackup> {
  let stat;
  try {
    stat = await fs.stat(archivePath);
  } catch {
    throw new TendFailure('BACKUP_NOT_FOUND', `There is no backup archive at ${archivePath}.`);
  }
  if (!stat.isFile()) {
    throw new TendFailure('BACKUP_NOT_FOUND', `${archivePath} is not a backup archive.`);
  }
  const sidecar = await readSidecar(archivePath);
  return {
    id: sidecar?.id ?? path.basename(archivePath).replace(/\.tar\.gz$/, ''),
    archivePath,
    sidecar,
    verified: sidecar !== null && sidecar.archive.bytes === stat.size,
  };
}

/** Scans folders for `*.manifest.json` sidecars with their archive beside them. */
export class FolderBackupLocator implements BackupLocator {
  constructor(private readonly folders: () => Promise<ReadonlyArray<string>>) {}

  async list(): Promise<ReadonlyArray<LocatedBackup>> {
    const found: LocatedBackup[] = [];
    for (const folder of await this.folders()) {
      const names = await fs.readdir(folder).catch(() => [] as string[]);
      for (const name of names) {
        if (!name.endsWith('.manifest.json')) continue;
        const archivePath = archivePathFor(path.join(folder, name));
        // A sidecar without its archive, or a damaged one, is not offered.
        const located = await locateArchive(archivePath).catch(() => null);
        if (located?.sidecar) found.push(located);
      }
    }
    return found.sort((a, b) =>
      (b.sidecar?.createdAt ?? '').localeCompare(a.sidecar?.createdAt ?? ''),
    );
  }

  async resolve(ref: string): Promise<LocatedBackup> {
    if (path.isAbsolute(ref)) {
      const archivePath = ref.endsWith('.manifest.json') ? archivePathFor(ref) : ref;
      return locateArchive(archivePath);
    }
    const match = (await this.list()).find((backup) => backup.id === ref);
    if (!match) {
      throw new TendFailure(
        'BACKUP_NOT_FOUND',
        `There is no backup ${ref}. List them with: tend restore backups`,
      );
    }
    return match;
  }
}

export { sidecarPathFor };
