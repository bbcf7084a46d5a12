import { TendFailure } from '../../../src-shared/errors';
import type { MasterIndex } from './master-index';
import type { Repository } from './repository';
import { corrupt } from './repository-errors';
import { MissingFileError } from './backend';
import { isResticId, shortId, type ResticId } from './restic-id';
import { decodeSnapshot, type Snapshot } from './snapshot-file';
import { decodeTree, type TreeNode } from './tree-node';

/**
 * Reading what a repository holds: its snapshots (newest first) and their trees.
 * restic's order is kept: the list of snapshots is read before the index, so a snapshot
 * written meanwhile never comes without its index (design.rst "Read and Write Ordering").
 */

/** A snapshot with its id. */
export interface SnapshotEntry extends Snapshot {
  readonly id: ResticId;
}

/** Every snapshot, newest first. */
export async function listSnapshots(repository: Repository): Promise<SnapshotEntry[]> {
  const snapshots: SnapshotEntry[] = [];
  for (const id of await repository.listIds('snapshots')) {
    snapshots.push({ id, ...decodeSnapshot(await repository.loadUnpacked('snapshots', id)) });
  }
  return snapshots.sort((a, b) => (a.time === b.time ? 0 : a.time > b.time ? -1 : 1));
}

/**
 * A snapshot by full id, unique prefix, or `latest`. A full id reads that snapshot's file
 * alone, not every snapshot's (one request, where a repository with a year of snapshots on
 * SFTP or S3 took hundreds before each restore).
 */
export async function findSnapshot(repository: Repository, ref: string): Promise<SnapshotEntry> {
  const id = ref.toLowerCase();
  if (isResticId(id)) {
    const bytes = await repository.loadUnpacked('snapshots', id).catch((error: unknown) => {
      if (error instanceof MissingFileError) return null;
      throw error;
    });
    if (bytes) return { id, ...decodeSnapshot(bytes) };
  }
  const snapshots = await listSnapshots(repository);
  if (ref === 'latest') {
    const latest = snapshots[0];
    if (latest) return latest;
  } else {
    const matches = snapshots.filter((snapshot) => snapshot.id.startsWith(ref.toLowerCase()));
    if (matches.length === 1 && ref.length >= 4) return matches[0]!;
    if (matches.length > 1) {
      throw new TendFailure(
        'INVALID_INPUT',
        `${ref} matches ${matches.length} snapshots; give more of its id.`,
      );
    }
  }
  throw new TendFailure(
    'BACKUP_NOT_FOUND',
    `The repository at ${repository.backend.location} has no snapshot ${ref}.`,
    { snapshot: ref },
  );
}

/** Tree packs up to this size are read whole, once, when their first tree is needed. */
const WHOLE_PACK_LIMIT = 32 * 1024 * 1024;

/**
 * Reads tree blobs, keeping the most recent ones (a parent's trees are read as a backup walks
 * them). Trees sit together in tree packs, so the first tree needed from a pack brings in the
 * whole pack's blobs in one read: one request instead of one per folder, which over SFTP or S3
 * is the difference between a moment and minutes.
 */
export class TreeReader {
  private readonly cache = new Map<ResticId, TreeNode[]>();
  private readonly packs = new Map<ResticId, { start: number; bytes: Buffer }>();

  constructor(
    readonly repository: Repository,
    readonly index: MasterIndex,
    private readonly cacheSize = 256,
    private readonly packCacheSize = 4,
  ) {}

  /** The nodes of a tree. */
  async read(id: ResticId): Promise<TreeNode[]> {
    const cached = this.cache.get(id);
    if (cached) return cached;
    const bytes = await this.blob(id);
    let nodes: TreeNode[];
    try {
      nodes = decodeTree(bytes);
    } catch (error) {
      throw corrupt(`The tree ${shortId(id)} is not a valid tree (${(error as Error).message}).`, {
        tree: id,
      });
    }
    if (this.cache.size >= this.cacheSize) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(id, nodes);
    return nodes;
  }

  /** A tree blob's plaintext, from a pack read whole when it is small enough. */
  private async blob(id: ResticId): Promise<Buffer> {
    const location = this.index.lookup('tree', id);
    if (!location) return this.repository.readBlob(this.index, 'tree', id);
    let pack = this.packs.get(location.packId);
    if (!pack) {
      const blobs = this.index.packs().get(location.packId) ?? [];
      const start = Math.min(...blobs.map((blob) => blob.offset));
      const end = Math.max(...blobs.map((blob) => blob.offset + blob.length));
      if (blobs.length < 2 || end - start > WHOLE_PACK_LIMIT) {
        return this.repository.readBlob(this.index, 'tree', id);
      }
      const bytes = await this.repository.backend
        .read({ type: 'data', name: location.packId }, { offset: start, length: end - start })
        .catch(() => null);
      // A pack that cannot be read whole is read blob by blob, which names the damage.
      if (!bytes || bytes.length !== end - start) {
        return this.repository.readBlob(this.index, 'tree', id);
      }
      if (this.packs.size >= this.packCacheSize) {
        this.packs.delete(this.packs.keys().next().value!);
      }
      pack = { start, bytes };
      this.packs.set(location.packId, pack);
    }
    const { blob } = location;
    const sealed = pack.bytes.subarray(
      blob.offset - pack.start,
      blob.offset - pack.start + blob.length,
    );
    try {
      return this.repository.decodeBlob(sealed, blob);
    } catch {
      // Let the single-blob path report the damage with its pack and blob named.
      return this.repository.readBlob(this.index, 'tree', id);
    }
  }

  /** The node at a root-relative path (forward slashes) of a tree, or null. */
  async find(root: ResticId, relativePath: string): Promise<TreeNode | null> {
    const parts = relativePath.split('/').filter((part) => part !== '' && part !== '.');
    let tree = root;
    let node: TreeNode | null = null;
    for (const [i, part] of parts.entries()) {
      node = (await this.read(tree)).find((candidate) => candidate.name === part) ?? null;
      if (!node) return null;
      if (i < parts.length - 1) {
        if (node.type !== 'dir' || !node.subtree) return null;
        tree = node.subtree;
      }
    }
    return node;
  }

  /** Visits every node under a tree, depth first, with its root-relative path. */
  async walk(
    root: ResticId,
    visit: (path: string, node: TreeNode) => Promise<void> | void,
    prefix = '',
  ): Promise<void> {
    for (const node of await this.read(root)) {
      const path = prefix ? `${prefix}/${node.name}` : node.name;
      await visit(path, node);
      if (node.type === 'dir' && node.subtree) await this.walk(node.subtree, visit, path);
    }
  }
}
