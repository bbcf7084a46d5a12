/**
 * Finds the backups a restore can read: by id among the known ones, or by an archive's path.
 *
 * Note: restore reads backups through this small interface so the planner and the tests do not
 * depend on how the backup side keeps its records; backup-service-adapter.ts implements it over
 * the backup history.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { TendFailure } from '../../../src-shared/errors';
import type { BackupSidecar } from '../../../src-shared/models/backup-manifest';
import type { LatestChoice, RestorableBackup } from '../../../src-shared/models/restore';
import { readSidecar } from './backup-manifest-reader';

/** A backup found on disk, with its sidecar when it has one. */
export interface LocatedBackup {
  readonly id: string;
  readonly archivePath: string;
  readonly sidecar: BackupSidecar | null;
  /** Whether it passed a full verification recorded in the history. */
  readonly verified: boolean;
}

/** Where restore finds backups. */
export interface BackupLocator {
  /** Every backup, newest first. */
  list(): Promise<ReadonlyArray<LocatedBackup>>;
  /** A backup by id or archive path; BACKUP_NOT_FOUND when there is none. */
  resolve(ref: string): Promise<LocatedBackup>;
  /** The encrypted repository's newest snapshot, or why there is none to take (issue 12). */
  newestSnapshot?(): Promise<SnapshotLookup>;
}

/**
 * The encrypted repository's newest snapshot a restore can take (`snapshot:<id>` and when it
 * was made); `none` when no repository is set or it holds none; `unreadable` when one is set
 * and cannot be read now (its passphrase not known, its disk or server not there), `why` in
 * words: a newer backup than every archive may be there.
 */
export type SnapshotLookup =
  | { readonly state: 'found'; readonly ref: string; readonly createdAt: string }
  | { readonly state: 'none' }
  | { readonly state: 'unreadable'; readonly location: string; readonly why: string };

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

/** Whether a backup is one a person made or a schedule wrote (not a safety snapshot). */
export function isMadeBackup(backup: LocatedBackup): boolean {
  return (
    backup.sidecar !== null &&
    backup.sidecar.kind !== 'pre-restore' &&
    backup.sidecar.kind !== 'pre-migration'
  );
}

/**
 * The backup one-click restore takes, from the restorable ones newest first (as
 * `restore:backups` lists them) leaving out safety snapshots: `latest` is the newest, and
 * `newest-verified` the newest that passed a full verification. Null when there is none.
 */
export async function newestRestorable(
  locator: BackupLocator,
  choice: LatestChoice = 'latest',
): Promise<LocatedBackup | null> {
  const made = (await locator.list()).filter(isMadeBackup);
  return (choice === 'latest' ? made[0] : made.find((backup) => backup.verified)) ?? null;
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
    // A file found by its path has no verification on record (the history's locator adds it).
    verified: false,
  };
}
