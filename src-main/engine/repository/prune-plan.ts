import type { PackedBlob } from './pack-format';
import type { ResticId } from './restic-id';

/**
 * What prune does with each pack, decided from which blobs the remaining snapshots use
 * (restic internal/repository/prune.go, decidePackAction, simplified): a pack nobody uses is
 * deleted; a pack whose unused share is more than `maxUnusedShare` is repacked (its used
 * blobs copied into new packs); the rest are kept. A blob held by several packs counts as
 * used in the first one kept, so duplicates go away too.
 */

/** A pack's fate. */
export interface PrunePlan {
  readonly keep: ReadonlyArray<ResticId>;
  readonly repack: ReadonlyArray<ResticId>;
  readonly remove: ReadonlyArray<ResticId>;
  /** Bytes in packs deleted or repacked that no snapshot needs. */
  readonly unusedBytes: number;
  /** Bytes of used blobs that repacking copies. */
  readonly repackBytes: number;
}

/** Decides each pack's fate. */
export function planPrune(
  packs: ReadonlyMap<ResticId, ReadonlyArray<PackedBlob>>,
  used: ReadonlySet<string>,
  maxUnusedShare: number,
): PrunePlan {
  const keep: ResticId[] = [];
  const repack: ResticId[] = [];
  const remove: ResticId[] = [];
  const claimed = new Set<string>();
  let unusedBytes = 0;
  let repackBytes = 0;
  for (const [packId, blobs] of packs) {
    let usedBytes = 0;
    let total = 0;
    for (const blob of blobs) {
      const key = `${blob.type}:${blob.id}`;
      total += blob.length;
      if (used.has(key) && !claimed.has(key)) {
        claimed.add(key);
        usedBytes += blob.length;
      }
    }
    if (usedBytes === 0) {
      remove.push(packId);
      unusedBytes += total;
    } else if (total - usedBytes > maxUnusedShare * total) {
      repack.push(packId);
      unusedBytes += total - usedBytes;
      repackBytes += usedBytes;
    } else {
      keep.push(packId);
    }
  }
  return { keep, repack, remove, unusedBytes, repackBytes };
}
