import type { MasterIndex } from './master-index';
import { packSizeOf, type PackedBlob } from './pack-format';
import type { Repository } from './repository';
import { cancelled } from './repository-errors';
import { withLock } from './repository-lock';
import { hashId, shortId, type ResticId } from './restic-id';
import { listSnapshots, TreeReader, type SnapshotEntry } from './snapshot-reader';
import { formatGoTime } from './go-time';

/**
 * Verifying a repository (restic `check` and `check --read-data`, internal/checker). Quick:
 * every snapshot's trees load, every blob they need is indexed, and every indexed pack exists
 * with the size its index entries add up to. Full: also reads every pack, checks its name is
 * the SHA-256 of its bytes and every blob's MAC and SHA-256. Either way a problem names the
 * snapshots and files it touches.
 */

/** One snapshot that cannot be restored whole, and the files it would lose. */
export interface DamagedSnapshot {
  readonly snapshotId: ResticId;
  readonly time: string;
  readonly files: ReadonlyArray<string>;
}

/** What a verify found. */
export interface VerifyResult {
  readonly mode: 'quick' | 'full';
  readonly ok: boolean;
  readonly snapshots: number;
  readonly packs: number;
  readonly blobsRead: number;
  readonly bytesRead: number;
  readonly problems: ReadonlyArray<string>;
  readonly damaged: ReadonlyArray<DamagedSnapshot>;
}

/** Progress of a verify. */
export interface VerifyProgress {
  readonly packsDone: number;
  readonly packsTotal: number;
  readonly bytesDone: number;
}

async function checkPack(
  repository: Repository,
  packId: ResticId,
  blobs: ReadonlyArray<PackedBlob>,
  bad: Set<string>,
  problems: string[],
): Promise<{ bytes: number; blobs: number }> {
  let bytes: Buffer;
  try {
    bytes = await repository.backend.read({ type: 'data', name: packId });
  } catch (error) {
    problems.push(`pack ${shortId(packId)} could not be read: ${(error as Error).message}`);
    for (const blob of blobs) bad.add(blob.id);
    return { bytes: 0, blobs: 0 };
  }
  if (hashId(bytes) !== packId)
    problems.push(`pack ${shortId(packId)}: its bytes do not match its name`);
  let damaged = 0;
  for (const blob of blobs) {
    try {
      repository.decodeBlob(bytes.subarray(blob.offset, blob.offset + blob.length), blob);
    } catch {
      bad.add(blob.id);
      damaged += 1;
    }
  }
  if (damaged > 0)
    problems.push(`pack ${shortId(packId)}: ${damaged} of ${blobs.length} blobs are damaged`);
  return { bytes: bytes.length, blobs: blobs.length };
}

/** Verifies a repository; resolves with what was found (it does not throw for damage). */
export async function verifyRepository(
  repository: Repository,
  options: {
    readonly mode: 'quick' | 'full';
    readonly onProgress?: (progress: VerifyProgress) => void;
    readonly signal?: AbortSignal;
  },
): Promise<VerifyResult> {
  return withLock(repository, { exclusive: false }, async () => {
    const snapshots = await listSnapshots(repository);
    const index = await repository.loadIndex();
    const problems: string[] = [];
    const stored = new Map(
      (await repository.backend.list('data')).map((file) => [file.name, file.size]),
    );
    const missingPacks = new Set<ResticId>();
    for (const [packId, blobs] of index.packs()) {
      const size = stored.get(packId);
      if (size === undefined) {
        problems.push(`pack ${shortId(packId)} is missing`);
        missingPacks.add(packId);
      } else if (size !== packSizeOf(blobs)) {
        problems.push(
          `pack ${shortId(packId)} has ${size} bytes, its index says ${packSizeOf(blobs)}`,
        );
        missingPacks.add(packId);
      }
    }
    const bad = new Set<string>();
    let bytesRead = 0;
    let blobsRead = 0;
    if (options.mode === 'full') {
      let packsDone = 0;
      const total = index.packs().size;
      for (const [packId, blobs] of index.packs()) {
        if (options.signal?.aborted) throw cancelled();
        if (!missingPacks.has(packId)) {
          const checked = await checkPack(repository, packId, blobs, bad, problems);
          bytesRead += checked.bytes;
          blobsRead += checked.blobs;
        }
        packsDone += 1;
        options.onProgress?.({ packsDone, packsTotal: total, bytesDone: bytesRead });
      }
    }
    const damaged = await findDamage(
      repository,
      index,
      snapshots,
      (id, type) => {
        const location = index.lookup(type, id);
        if (!location) return 'is in no index';
        if (missingPacks.has(location.packId))
          return `is in pack ${shortId(location.packId)}, which is missing or cut short`;
        if (bad.has(id)) return 'is damaged';
        return null;
      },
      problems,
    );
    return {
      mode: options.mode,
      ok: problems.length === 0,
      snapshots: snapshots.length,
      packs: index.packs().size,
      blobsRead,
      bytesRead,
      problems,
      damaged,
    };
  });
}

async function findDamage(
  repository: Repository,
  index: MasterIndex,
  snapshots: ReadonlyArray<SnapshotEntry>,
  blobProblem: (id: ResticId, type: 'data' | 'tree') => string | null,
  problems: string[],
): Promise<DamagedSnapshot[]> {
  const trees = new TreeReader(repository, index);
  const damaged: DamagedSnapshot[] = [];
  for (const snapshot of snapshots) {
    const files: string[] = [];
    const walk = async (tree: ResticId, prefix: string): Promise<void> => {
      const treeProblem = blobProblem(tree, 'tree');
      if (treeProblem) {
        files.push(`${prefix || '.'}/ (the folder's listing ${treeProblem})`);
        return;
      }
      let nodes;
      try {
        nodes = await trees.read(tree);
      } catch (error) {
        files.push(
          `${prefix || '.'}/ (the folder's listing cannot be read: ${(error as Error).message})`,
        );
        return;
      }
      for (const node of nodes) {
        const relative = prefix ? `${prefix}/${node.name}` : node.name;
        if (node.type === 'file') {
          if ((node.content ?? []).some((id) => blobProblem(id, 'data') !== null))
            files.push(relative);
        } else if (node.type === 'dir' && node.subtree) {
          await walk(node.subtree, relative);
        }
      }
    };
    await walk(snapshot.tree, '');
    if (files.length > 0) {
      damaged.push({ snapshotId: snapshot.id, time: formatGoTime(snapshot.time, 0), files });
      problems.push(
        `snapshot ${shortId(snapshot.id)}: ${files.length} files cannot be restored (${files.slice(0, 5).join(', ')}${files.length > 5 ? ', …' : ''})`,
      );
    }
  }
  return damaged;
}
