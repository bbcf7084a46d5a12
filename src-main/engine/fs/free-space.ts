/**
 * The free space of a disk and the room a write leaves on it, one rule for every job that
 * writes a lot (backup, restore, move, repository, usage alerts): a write of N bytes needs N
 * plus a margin free, the margin 5 % of N and at least 64 MiB, so a job never takes the last
 * bytes a database's journal, the system or the assistant itself needs.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';

/** A disk's size and what of it is free to this process. */
export interface DiskSpace {
  /** Bytes a process without privileges may still write (statfs `bavail`). */
  readonly freeBytes: number;
  readonly totalBytes: number;
}

/** The smallest margin a large write leaves free. */
export const MIN_SPACE_MARGIN_BYTES = 64 * 1024 * 1024;

/** The share of a write kept free beyond it, when that is more than the minimum. */
export const SPACE_MARGIN_SHARE = 0.05;

function spaceOf(disk: fs.StatsFs): DiskSpace {
  return { freeBytes: disk.bavail * disk.bsize, totalBytes: disk.blocks * disk.bsize };
}

/** The disk that holds `folder`: its free and total bytes. */
export async function diskSpace(folder: string): Promise<DiskSpace> {
  return spaceOf(await fsp.statfs(folder));
}

/** `diskSpace`, blocking. */
export function diskSpaceSync(folder: string): DiskSpace {
  return spaceOf(fs.statfsSync(folder));
}

/** The margin a write of `bytes` leaves free: 5 %, at least 64 MiB. */
export function spaceMargin(bytes: number): number {
  return Math.max(MIN_SPACE_MARGIN_BYTES, Math.ceil(bytes * SPACE_MARGIN_SHARE));
}

/** What a write of `bytes` needs free, and whether `freeBytes` is enough. */
export interface SpaceCheck {
  readonly neededBytes: number;
  readonly marginBytes: number;
  readonly freeBytes: number;
  readonly enough: boolean;
}

/** Checks a write of `bytes` against the free bytes of its disk (pure: see `spaceMargin`). */
export function checkSpace(bytes: number, freeBytes: number): SpaceCheck {
  const marginBytes = spaceMargin(bytes);
  const neededBytes = bytes + marginBytes;
  return { neededBytes, marginBytes, freeBytes, enough: neededBytes <= freeBytes };
}
