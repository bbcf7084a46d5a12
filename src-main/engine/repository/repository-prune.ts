import { TendFailure } from '../../../src-shared/errors';
import { BlobWriter } from './blob-writer';
import { encodeIndex, INDEX_MAX_BLOBS } from './index-file';
import { MasterIndex } from './master-index';
import type { PackedBlob } from './pack-format';
import { planPrune, type PrunePlan } from './prune-plan';
import type { Repository } from './repository';
import { cancelled, corrupt } from './repository-errors';
import { withLock } from './repository-lock';
import type { ResticId } from './restic-id';
import { listSnapshots, TreeReader } from './snapshot-reader';
import { forEachDecodedBlob } from './snapshot-restore';

/**
 * Forget and prune (restic `forget` and `prune`), under an exclusive lock. Forget deletes
 * snapshot files; the keep-list comes from Tend's retention (GFS). Prune then frees what no
 * snapshot needs, in restic's order so a crash at any step leaves a valid repository
 * (design.rst "Read and Write Ordering"): new packs for the used blobs of mostly unused packs,
 * then new index files that supersede the old ones, then the old index files are deleted, and
 * only then the packs.
 */

/** What forget removed. */
export interface ForgetResult {
  readonly removed: ReadonlyArray<ResticId>;
  readonly kept: ReadonlyArray<ResticId>;
}

/** Deletes every snapshot not in `keep`. Refuses to delete them all unless `allowEmpty`. */
export async function forgetSnapshots(
  repository: Repository,
  keep: ReadonlyArray<ResticId>,
  options: { readonly allowEmpty?: boolean } = {},
): Promise<ForgetResult> {
  return withLock(repository, { exclusive: true }, async () => {
    const all = await repository.listIds('snapshots');
    const keepSet = new Set(keep);
    const kept = all.filter((id) => keepSet.has(id));
    if (kept.length === 0 && all.length > 0 && !options.allowEmpty) {
      throw new TendFailure(
        'INVALID_INPUT',
        'The keep-list matches no snapshot; forgetting every snapshot needs allowEmpty.',
      );
    }
    const removed = all.filter((id) => !keepSet.has(id));
    for (const id of removed) await repository.backend.remove({ type: 'snapshots', name: id });
    return { removed, kept };
  });
}

/** What prune did. */
export interface PruneResult extends PrunePlan {
  readonly packsWritten: number;
  readonly indexFilesRemoved: number;
}

/** Prune options. */
export interface PruneOptions {
  /** Repack a pack when more than this share of it is unused (restic's default `--max-unused` is 5%). */
  readonly maxUnusedShare?: number;
  readonly packSize?: number;
  readonly signal?: AbortSignal;
  /** Stops before deleting anything: the plan only. */
  readonly dryRun?: boolean;
}

/** Frees the space of blobs no snapshot uses. */
export async function pruneRepository(
  repository: Repository,
  options: PruneOptions = {},
): Promise<PruneResult> {
  return withLock(repository, { exclusive: true }, async () => {
    const snapshots = await listSnapshots(repository);
    const index = await repository.loadIndex();
    const trees = new TreeReader(repository, index);
    const used = new Set<string>();
    const visitTree = async (tree: ResticId): Promise<void> => {
      if (used.has(`tree:${tree}`)) return;
      used.add(`tree:${tree}`);
      for (const node of await trees.read(tree)) {
        for (const id of node.content ?? []) used.add(`data:${id}`);
        if (node.type === 'dir' && node.subtree) await visitTree(node.subtree);
      }
    };
    for (const snapshot of snapshots) await visitTree(snapshot.tree);
    for (const key of used) {
      const [type, id] = key.split(':') as ['data' | 'tree', string];
      if (!index.has(type, id)) {
        throw corrupt(
          `A snapshot needs the ${type} blob ${id}, which no index lists; prune stops so nothing more is lost. Run a full verify.`,
          { blob: id },
        );
      }
    }
    const plan = planPrune(index.packs(), used, options.maxUnusedShare ?? 0.05);
    const oldIndexFiles = [...index.indexFiles, ...index.supersededFiles];
    if (options.dryRun) return { ...plan, packsWritten: 0, indexFilesRemoved: 0 };
    if (plan.repack.length === 0 && plan.remove.length === 0 && index.supersededFiles.size === 0) {
      return { ...plan, packsWritten: 0, indexFilesRemoved: 0 };
    }

    // 1. New packs: the used blobs of the packs to repack, into an index of what stays.
    const keepSet = new Set(plan.keep);
    const survivors = new MasterIndex();
    for (const packId of plan.keep) survivors.addPack(packId, index.packs().get(packId)!);
    const writer = new BlobWriter(repository, survivors, {
      packSize: options.packSize,
      signal: options.signal,
    });
    for (const packId of plan.repack) {
      if (options.signal?.aborted) throw cancelled();
      const wanted = index
        .packs()
        .get(packId)!
        .filter((blob) => used.has(`${blob.type}:${blob.id}`) && !writer.known(blob.type, blob.id));
      await forEachDecodedBlob(
        repository,
        packId,
        wanted,
        'prune stops before it deletes anything.',
        (blob, plaintext) => writer.save(blob.type, plaintext, blob.id),
      );
    }
    // The writer's own index files cover its new packs once flushed.
    await writer.flush();

    // 2. New index files for the packs kept, superseding every old index file.
    const kept: Array<{ id: ResticId; blobs: ReadonlyArray<PackedBlob> }> = [];
    for (const [packId, blobs] of index.packs())
      if (keepSet.has(packId)) kept.push({ id: packId, blobs });
    let batch: typeof kept = [];
    let count = 0;
    const flushBatch = async (last: boolean) => {
      if (batch.length === 0 && !last) return;
      await repository.saveUnpacked(
        'index',
        encodeIndex({ supersedes: oldIndexFiles, packs: batch }),
      );
      batch = [];
      count = 0;
    };
    for (const pack of kept) {
      if (count + pack.blobs.length > INDEX_MAX_BLOBS && batch.length > 0) await flushBatch(false);
      batch.push(pack);
      count += pack.blobs.length;
    }
    await flushBatch(true);

    // 3. Old index files, then 4. the packs no index lists any more.
    for (const id of oldIndexFiles) await repository.backend.remove({ type: 'index', name: id });
    for (const packId of [...plan.repack, ...plan.remove]) {
      await repository.backend.remove({ type: 'data', name: packId });
    }
    return {
      ...plan,
      packsWritten: writer.totals.packsWritten,
      indexFilesRemoved: oldIndexFiles.length,
    };
  });
}
