import { backupKinds, type BackupKind } from '../../../src-shared/models/backup-manifest';

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** The archive suffix. */
export const ARCHIVE_SUFFIX = '.tar.gz';
/** The sidecar suffix. */
export const SIDECAR_SUFFIX = '.manifest.json';
/** A file being written. */
export const PARTIAL_SUFFIX = '.partial';

/**
 * A backup's id: `tend-<YYYYMMDD-HHMMSS>-<kind>` in UTC (so ids sort by time whatever the
 * time zone), with `-2`, `-3` … when that second is already taken.
 */
export function backupId(kind: BackupKind, at: Date, taken: (id: string) => boolean): string {
  const stamp =
    `${at.getUTCFullYear()}${pad(at.getUTCMonth() + 1)}${pad(at.getUTCDate())}-` +
    `${pad(at.getUTCHours())}${pad(at.getUTCMinutes())}${pad(at.getUTCSeconds())}`;
  const base = `tend-${stamp}-${kind}`;
  if (!taken(base)) return base;
  for (let n = 2; ; n += 1) {
    if (!taken(`${base}-${n}`)) return `${base}-${n}`;
  }
}

const idPattern = new RegExp(`^tend-(\\d{8})-(\\d{6})-(${backupKinds.join('|')})(?:-\\d+)?$`);

/** Whether a name is a backup id Tend writes (guards every delete). */
export function isBackupId(name: string): boolean {
  return idPattern.test(name);
}

/** The archive's file name for an id. */
export function archiveName(id: string): string {
  return `${id}${ARCHIVE_SUFFIX}`;
}

/** The sidecar's file name for an id. */
export function sidecarName(id: string): string {
  return `${id}${SIDECAR_SUFFIX}`;
}
