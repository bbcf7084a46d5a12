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
