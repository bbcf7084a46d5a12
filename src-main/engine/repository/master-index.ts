import type { BlobType, PackedBlob } from './pack-format';
import type { ResticId } from './restic-id';

/**
 * Where every blob is: the index files of a repository merged in memory (restic
 * internal/repository/master_index.go). A blob may sit in several packs (a crash can leave
 * copies; prune keeps one); the first known place is used.
 */

/** A blob's place: its pack and its entry there. */
export interface BlobLocation {
  readonly packId: ResticId;
  readonly blob: PackedBlob;
}

/** The merged index. */
export class MasterIndex {
  /**
   * Data and tree blobs apart, keyed by the id itself: a key made per lookup (`t${id}`) was a
   * new string to hash on every call, where an id's hash is kept with it after the first.
   */
  private readonly byBlob: Readonly<Record<BlobType, Map<ResticId, BlobLocation>>> = {
    data: new Map(),
    tree: new Map(),
  };
  private readonly byPack = new Map<ResticId, PackedBlob[]>();
  /** The index files this was read from. */
  readonly indexFiles = new Set<ResticId>();
  /** Index files left out because another one supersedes them (prune deletes them). */
  readonly supersededFiles = new Set<ResticId>();

  /** Adds a pack's blobs (from an index file, or a pack just written). */
  addPack(packId: ResticId, blobs: ReadonlyArray<PackedBlob>): void {
    if (!this.byPack.has(packId)) this.byPack.set(packId, [...blobs]);
    for (const blob of blobs) {
      const places = this.byBlob[blob.type];
      if (!places.has(blob.id)) places.set(blob.id, { packId, blob });
    }
  }

  /** Whether a blob is in a pack. */
  has(type: BlobType, id: ResticId): boolean {
    return this.byBlob[type].has(id);
  }

  /** Where a blob is, or undefined. */
  lookup(type: BlobType, id: ResticId): BlobLocation | undefined {
    return this.byBlob[type].get(id);
  }

  /** Every pack with its blobs. */
  packs(): ReadonlyMap<ResticId, ReadonlyArray<PackedBlob>> {
    return this.byPack;
  }

  /** How many distinct blobs are indexed. */
  get blobCount(): number {
    return this.byBlob.data.size + this.byBlob.tree.size;
  }
}
