import type { BigIntStats } from 'node:fs';
import type { MasterIndex } from './master-index';
import type { TreeNode } from './tree-node';

/**
 * Whether a file can keep its parent snapshot's content without being read (restic
 * internal/archiver/archiver.go, fileChanged): same type, size, mtime, ctime and inode, to the
 * nanosecond, and every blob of that content still in the index.
 */
export function unchangedSince(
  stat: Pick<BigIntStats, 'size' | 'mtimeNs' | 'ctimeNs' | 'ino'>,
  previous: TreeNode | undefined,
  index: Pick<MasterIndex, 'has'>,
): boolean {
  if (!previous || previous.type !== 'file' || !previous.content) return false;
  if (BigInt(previous.size ?? 0) !== stat.size) return false;
  if (previous.mtime !== stat.mtimeNs || previous.ctime !== stat.ctimeNs) return false;
  // Parsed from JSON, a 64-bit inode may have lost its low bits; compare as the same double.
  if (Number(previous.inode ?? 0n) !== Number(stat.ino)) return false;
  return previous.content.every((id) => index.has('data', id));
}

/** How close to the parent snapshot's start a change must be to make its times untrustworthy. */
export const RACY_WINDOW_NS = 2_000_000_000n;

/**
 * Whether the parent read a file so soon after it was last written that a later write could
 * have kept the same mtime (file times tick in milliseconds or coarser, and a write in the same
 * tick as the read does not move them). Such a file is read again: git's "racy clean" rule.
 * A file written longer ago gets a newer mtime from any later write; a ctime that moved
 * without the mtime (chmod, a copy's `cp -a`) changes no content, and unchangedSince sees it.
 */
export function racilyRead(previous: Pick<TreeNode, 'mtime'>, parentStartNs: bigint): boolean {
  return previous.mtime >= parentStartNs - RACY_WINDOW_NS;
}

/** The stat of a SQLite companion file (`-wal`, `-journal`), or null when it is not there. */
export type CompanionStat = Pick<BigIntStats, 'size' | 'mtimeNs' | 'ctimeNs'> | null;

/**
 * Whether a database's companions leave its parent snapshot's content standing, its main file
 * being unchanged (unchangedSince, and not racily read): no rollback journal with content (a
 * write under way, or a hot journal to roll back), and a write-ahead log that is empty or was
 * last written (mtime) and last changed (ctime, which nothing sets back) before the racy
 * window of the parent's start. Such a log's frames were in the parent's copy, and any later
 * commit, checkpoint or reset of it would have moved its times (a checkpoint moves the main
 * file's too).
 */
export function companionsUnchangedSince(
  wal: CompanionStat,
  journal: CompanionStat,
  parentStartNs: bigint,
): boolean {
  if (journal !== null && journal.size !== 0n) return false;
  if (wal === null || wal.size === 0n) return true;
  const settled = parentStartNs - RACY_WINDOW_NS;
  return wal.mtimeNs < settled && wal.ctimeNs < settled;
}
