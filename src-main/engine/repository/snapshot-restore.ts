import { chmodSync, lutimesSync, mkdirSync, symlinkSync, utimesSync } from 'node:fs';
import fs from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { TendFailure } from '../../../src-shared/errors';
import { syncBatch, syncFolderSync } from '../fs/durable';
import { EarlyWriteback } from '../fs/early-writeback';
import { FileWriters } from '../fs/file-writers';
import { BlobDecodeError, BlobDecoders } from './blob-decoders';
import { plainLength } from './blob-opening';
import { posixPermissions } from './go-file-mode';
import { unsafeNodeName } from './node-names';
import { RestoreFileWriter } from './restore-file-writer';
import { createSpecialNode } from './special-nodes';
import type { PackedBlob } from './pack-format';
import type { Repository } from './repository';
import { cancelled, corrupt } from './repository-errors';
import { withLock } from './repository-lock';
import type { ResticId } from './restic-id';
import { findSnapshot, TreeReader, type SnapshotEntry } from './snapshot-reader';
import type { TreeNode } from './tree-node';

/** What to restore and where. */
export interface RestoreOptions {
  /** An empty or missing folder; the snapshot's paths are recreated under it. */
  readonly target: string;
  /** A root-relative path (file or folder) to restore alone; the whole snapshot when left out. */
  readonly path?: string;
  readonly onProgress?: (progress: RestoreProgress) => void;
  readonly signal?: AbortSignal;
  /**
   * Worker threads that create and write the small files (fs/file-writers.ts); 0 writes them
   * on this thread. By default 2 from 5,000 files on, else 0.
   */
  readonly writers?: number;
  /**
   * Worker threads that open the blobs (blob-decoders.ts); 0 opens them on this thread. By
   * default 1 from 10,000 blobs on with more than two cores, else 0.
   */
  readonly decoders?: number;
}

/** Progress of a restore. */
export interface RestoreProgress {
  readonly bytesDone: number;
  readonly bytesTotal: number;
  readonly filesTotal: number;
}

/** What a restore did. */
export interface RestoreResult {
  readonly snapshotId: ResticId;
  readonly files: number;
  readonly folders: number;
  readonly symlinks: number;
  /** FIFOs and device nodes made (sockets are never made; they are in `skipped`). */
  readonly specials: number;
  readonly bytes: number;
  /** Packs read, of the packs the repository has: a single file fetches only its own. */
  readonly packsRead: number;
  readonly skipped: ReadonlyArray<{ path: string; reason: string }>;
}

interface PlannedFile {
  readonly path: string;
  readonly node: TreeNode;
}

interface BlobTarget {
  readonly file: number;
  readonly offset: number;
}

/**
 * From this many files on, writer threads write the small ones (fs/file-writers.ts). Starting
 * them cost about 0.1 s on the small demo's 474 files (bundled, 0.42 s against 0.33 s) and
 * they save about 15 µs a file on 20,000 (0.95 s against 1.16 s): they pay from a few
 * thousand files on.
 */
const WRITERS_FROM_FILES = 5000;
/** Writer threads by default: with the main thread, enough for two cores. */
const DEFAULT_WRITERS = 2;
/**
 * From this many blobs on, a decode thread opens blobs beside this thread (blob-decoders.ts),
 * where a core is spare: more than two, or two and no writer threads (a restore of a few large
 * files, as one database). Starting one costs about 0.1 s of CPU (its modules,
 * sodium and zstd loaded again): the small demo's 3,915 blobs (24 MB) restored in 0.61 s with
 * it against 0.46 s without (median of 4 alternated runs, load 8).
 *
 * Note: with a core to spare, the main thread is the restore's critical path, and the thread
 * takes a third of it off: the medium demo's assistant.db (33,000 4 KiB pages) took the main
 * thread 0.72 s of CPU with it against 0.93 s without, its full restore 1.64-1.70 s against
 * 2.11-2.21 s. On two cores at load 7 it took 1.17 times as long as without (median of 7
 * alternated pairs, 0.57-1.60) and 1.17 times the CPU: the main thread and the file writers
 * leave it no core there. Without writer threads it has one: the medium demo's assistant.db
 * restored alone in 0.77-1.10 s with it against 0.90-1.07 s without (5 alternated pairs, medians
 * 0.83 and 0.95), at 226 MB against 188 MB; the full restore, with the writers, went over the
 * 300 MB goal with it (305-312 MB).
 */
const DECODERS_FROM_BLOBS = 10_000;

/** Decode threads by default (from DECODERS_FROM_BLOBS on): one where a core is spare. */
function defaultDecoders(writerThreads: boolean): number {
  return availableParallelism() > 2 || !writerThreads ? 1 : 0;
}

/**
 * Bytes of a pack read at once, at most (a larger blob is read alone, whole).
 *
 * Note: a read's buffer lives until the collector's next full pass, which the plaintexts decrypted
 * meanwhile (a new buffer per blob, node:crypto's) bring on only every 64 MB or so: read whole
 * (17 MB), the medium demo's packs left a few of them waiting at once. In 4 MiB reads its full
 * restore peaked at 274-282 MB against 278-294 MB (writer threads on, 2 runs each, VmHWM).
 */
const MAX_READ_BYTES = 4 * 1024 * 1024;

/**
 * Byte ranges to read from one pack: blobs closer than `gap` are read together, up to
 * `maxLength` a read (a larger blob is read alone, whole).
 */
export function packReadRanges(
  blobs: ReadonlyArray<PackedBlob>,
  gap = 1024 * 1024,
  maxLength = MAX_READ_BYTES,
): Array<{ offset: number; length: number; blobs: PackedBlob[] }> {
  const sorted = [...blobs].sort((a, b) => a.offset - b.offset);
  const ranges: Array<{ offset: number; length: number; blobs: PackedBlob[] }> = [];
  for (const blob of sorted) {
    const last = ranges.at(-1);
    if (
      last &&
      blob.offset - (last.offset + last.length) <= gap &&
      blob.offset + blob.length - last.offset <= maxLength
    ) {
      last.length = Math.max(last.length, blob.offset + blob.length - last.offset);
      last.blobs.push(blob);
    } else {
      ranges.push({ offset: blob.offset, length: blob.length, blobs: [blob] });
    }
  }
  return ranges;
}

/** Sealed bytes a batch of blobs holds at most (one blob more when it is larger). */
const BATCH_SEALED_BYTES = 1024 * 1024;
/** Batches with the decode workers at once, at most: what a restore holds beyond its read. */
const BATCHES_WITH_DECODERS = 3;

/** A read's blobs cut into batches of about BATCH_SEALED_BYTES, in pack order. */
function batchesOf(blobs: ReadonlyArray<PackedBlob>): PackedBlob[][] {
  const batches: PackedBlob[][] = [];
  let size = Infinity;
  for (const blob of blobs) {
    if (size + blob.length > BATCH_SEALED_BYTES) {
      batches.push([]);
      size = 0;
    }
    batches.at(-1)!.push(blob);
    size += blob.length;
  }
  return batches;
}

/** How forEachDecodedBlob may go faster. */
export interface DecodeOptions {
  /** Worker threads that open batches of blobs beside this thread. */
  readonly decoders?: BlobDecoders | null;
  /**
   * Called after each batch of blobs is used; once it returns, nothing refers to their
   * plaintexts any more, and their buffer is decoded into again. Without it each batch gets a
   * buffer of its own.
   */
  readonly release?: () => void;
}

/**
 * Reads `blobs` of one pack (close ones in one read: packReadRanges) and hands each to `use`
 * decoded (decrypted, decompressed, its hash checked); `afterRange` runs once a read's blobs are
 * used. A blob that does not decode stops it as damaged, saying `consequence`. `use` returns a
 * promise only when it must be waited for (a full writer), so the many small blobs of a
 * database cost no promise each.
 *
 * Blobs are decoded a batch at a time into one buffer, side by side, and so handed to `use`:
 * one allocation for hundreds of 4 KiB pages where each had its own, and a file's blobs that
 * follow each other in the pack lie back to back, written in one call (restore-file-writer.ts).
 * With `decoders`, worker threads take batches while this thread decodes the others and uses
 * what comes back, in no fixed order: a busy machine, which gives the workers little time,
 * leaves most of the work here rather than waiting for them.
 */
export async function forEachDecodedBlob(
  repository: Repository,
  packId: ResticId,
  blobs: ReadonlyArray<PackedBlob>,
  consequence: string,
  use: (blob: PackedBlob, plaintext: Buffer) => Promise<unknown> | undefined,
  afterRange?: () => void,
  { decoders = null, release }: DecodeOptions = {},
): Promise<void> {
  const damaged = (blob: PackedBlob) =>
    corrupt(`Blob ${blob.id} in pack ${packId} is damaged; ${consequence}`, {
      pack: packId,
      blob: blob.id,
    });
  /** A buffer released after use, decoded into again on this thread. */
  const released: { buffer: Buffer | null } = { buffer: null };
  /** Hands a batch's plaintexts, back to back in `plain`, to `use`; then releases them. */
  const useBatch = async (batch: ReadonlyArray<PackedBlob>, plain: Buffer, fromWorker: boolean) => {
    let at = 0;
    for (const blob of batch) {
      const length = plainLength(blob);
      const pending = use(blob, plain.subarray(at, at + length));
      at += length;
      if (pending) await pending;
    }
    if (!release) return;
    release();
    if (fromWorker) decoders?.recycle(plain);
    else if (plain.buffer.byteLength > (released.buffer?.length ?? 0)) {
      released.buffer = Buffer.from(plain.buffer);
    }
  };
  interface Sent {
    readonly batch: PackedBlob[];
    readonly range: { left: number };
    answer: { plain: Buffer } | { error: unknown } | null;
    settled: Promise<void>;
  }
  const sent: Sent[] = [];
  /** Uses the batches the workers have answered (all of them, waiting, when `all`). */
  const useAnswered = async (all: boolean) => {
    while (sent.length > 0) {
      const at = sent.findIndex((entry) => entry.answer);
      if (at < 0 && !all) return;
      if (at < 0) {
        await Promise.race(sent.map((entry) => entry.settled));
        continue;
      }
      const [entry] = sent.splice(at, 1) as [Sent];
      const answer = entry.answer!;
      if ('error' in answer) {
        if (answer.error instanceof BlobDecodeError)
          throw damaged(entry.batch[answer.error.failed]!);
        throw answer.error;
      }
      await useBatch(entry.batch, answer.plain, true);
      if (--entry.range.left === 0) afterRange?.();
    }
  };

  for (const range of packReadRanges(blobs)) {
    const bytes = await repository.backend.read({ type: 'data', name: packId }, range);
    // What came back while the read was waited for, before more is sent: where every read is
    // a batch or two (small files far apart), nothing else would use it until the pack's end.
    await useAnswered(false);
    const batches = batchesOf(range.blobs);
    const left = { left: batches.length };
    for (const batch of batches) {
      const from = batch[0]!.offset - range.offset;
      const to = batch.at(-1)!.offset + batch.at(-1)!.length - range.offset;
      if (decoders && decoders.waiting < BATCHES_WITH_DECODERS) {
        const entry: Sent = { batch, range: left, answer: null, settled: Promise.resolve() };
        entry.settled = decoders.decode(bytes.subarray(from, to), batch[0]!.offset, batch).then(
          (plain) => void (entry.answer = { plain }),
          (error: unknown) => void (entry.answer = { error }),
        );
        sent.push(entry);
        continue;
      }
      let total = 0;
      for (const blob of batch) total += plainLength(blob);
      const reusable = released.buffer;
      released.buffer = null;
      const plain =
        reusable && reusable.length >= total
          ? reusable.subarray(0, total)
          : Buffer.allocUnsafeSlow(total);
      let at = 0;
      for (const blob of batch) {
        const length = plainLength(blob);
        try {
          repository.decodeBlob(
            bytes.subarray(blob.offset - range.offset, blob.offset - range.offset + blob.length),
            blob,
            plain.subarray(at, at + length),
          );
        } catch {
          throw damaged(blob);
        }
        at += length;
      }
      await useBatch(batch, plain, false);
      if (--left.left === 0) afterRange?.();
      if (decoders) {
        // One turn of the loop lets the workers' answers in, then what they sent is used.
        await new Promise((resolve) => setImmediate(resolve));
        await useAnswered(false);
      }
    }
  }
  await useAnswered(true);
}

/**
 * Refuses a target that cannot take a restore: a file there (as the CLI refuses it), a folder
 * that is not empty, or a new folder whose parent is missing (never made: README). Returns
 * whether the folder is there already.
 */
async function checkTarget(target: string): Promise<boolean> {
  const stat = await fs.stat(target).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (stat && !stat.isDirectory()) {
    throw new TendFailure(
      'RESTORE_TARGET_NOT_EMPTY',
      `${target} is a file; restore into a new or empty folder.`,
      { target },
    );
  }
  if (stat) {
    if ((await fs.readdir(target)).length > 0) {
      throw new TendFailure(
        'RESTORE_TARGET_NOT_EMPTY',
        `${target} is not empty; restore into an empty or new folder.`,
        { target },
      );
    }
    return true;
  }
  const parent = path.dirname(target);
  if (!(await fs.stat(parent).catch(() => null))?.isDirectory()) {
    throw new TendFailure(
      'PATH_PARENT_MISSING',
      `The folder ${parent} that would hold ${path.basename(target)} does not exist. Create it first, or choose another place.`,
      { target },
    );
  }
  return false;
}

/** Makes sure the target is an empty folder, or makes a new one where checkTarget allows it. */
async function ensureEmptyTarget(target: string): Promise<void> {
  if (!(await checkTarget(target))) await fs.mkdir(target);
}

/** Where each blob of a restore goes: packs → blobs → (file, offset) targets. */
type BlobPlacement = Map<ResticId, Map<string, { blob: PackedBlob; targets: BlobTarget[] }>>;

/** What a restore makes, from a walk of the snapshot's trees, and where each blob goes. */
interface RestorePlan {
  readonly files: PlannedFile[];
  readonly folders: Array<{ path: string; node: TreeNode | null }>;
  readonly links: Array<{ path: string; node: TreeNode }>;
  readonly specials: Array<{ path: string; node: TreeNode }>;
  readonly skipped: Array<{ path: string; reason: string }>;
  readonly byPack: BlobPlacement;
  readonly bytesTotal: number;
}

/**
 * Walks the snapshot's trees (under `wanted` alone, when given) and places every blob of the
 * files found; `onFiles` hears the count of files met so far, one file at a time. Refuses a
 * missing `wanted` with BACKUP_NOT_FOUND, and a blob no index lists as damage.
 *
 * Note: the index and the trees are read here and dropped when this returns; the restore then
 * holds the plan alone (a heap snapshot of its data phase has no MasterIndex or TreeReader). Kept
 * to the end, they were a few MB of the medium demo's peak memory: 262 MB against 267 (VmHWM,
 * median of 4 alternated pairs, load 3.7). Nothing in the target is made before the plan holds:
 * a missing path or a blob no index lists leaves the target untouched.
 */
async function planRestore(
  repository: Repository,
  snapshot: SnapshotEntry,
  wanted: string,
  onFiles: (count: number) => void,
): Promise<RestorePlan> {
  const index = await repository.loadIndex();
  const trees = new TreeReader(repository, index);
  // Filled by the walk and the placing below; the total comes last.
  const plan: Omit<RestorePlan, 'bytesTotal'> = {
    files: [],
    folders: [],
    links: [],
    specials: [],
    skipped: [],
    byPack: new Map(),
  };
  let start: { node: TreeNode | null; tree: ResticId | null } = {
    node: null,
    tree: snapshot.tree,
  };
  if (wanted) {
    const node = await trees.find(snapshot.tree, wanted);
    if (!node) {
      throw new TendFailure(
        'BACKUP_NOT_FOUND',
        `The snapshot ${snapshot.id.slice(0, 8)} has no ${wanted}.`,
        { path: wanted },
      );
    }
    start = { node, tree: node.type === 'dir' ? (node.subtree ?? null) : null };
  }

  // Plain calls, no promise per node: a tree of 20,000 files made as many promises to await.
  const visit = (relative: string, node: TreeNode): boolean => {
    const problem = unsafeNodeName(node);
    if (problem) {
      plan.skipped.push({ path: relative, reason: problem });
      return false;
    }
    switch (node.type) {
      case 'dir':
        plan.folders.push({ path: relative, node });
        return true;
      case 'file':
        plan.files.push({ path: relative, node });
        onFiles(plan.files.length);
        return false;
      case 'symlink':
        plan.links.push({ path: relative, node });
        return false;
      default:
        plan.specials.push({ path: relative, node });
        return false;
    }
  };
  const walk = async (tree: ResticId, prefix: string): Promise<void> => {
    for (const node of await trees.read(tree)) {
      const relative = prefix ? `${prefix}/${node.name}` : node.name;
      if (visit(relative, node) && node.subtree) await walk(node.subtree, relative);
    }
  };
  if (start.node) {
    // The parents of a single path are made plainly; the path itself gets its metadata.
    const parents = wanted.split('/').slice(0, -1);
    for (let i = 1; i <= parents.length; i++)
      plan.folders.push({ path: parents.slice(0, i).join('/'), node: null });
    if (visit(wanted, start.node) && start.tree) await walk(start.tree, wanted);
  } else if (start.tree) {
    await walk(start.tree, '');
  }

  let bytesTotal = 0;
  plan.files.forEach((file, fileIndex) => {
    let offset = 0;
    for (const id of file.node.content ?? []) {
      const location = index.lookup('data', id);
      if (!location) {
        throw corrupt(
          `${file.path} in snapshot ${snapshot.id.slice(0, 8)} needs blob ${id}, which no index lists.`,
          { path: file.path, blob: id },
        );
      }
      let pack = plan.byPack.get(location.packId);
      if (!pack) plan.byPack.set(location.packId, (pack = new Map()));
      let entry = pack.get(id);
      if (!entry) pack.set(id, (entry = { blob: location.blob, targets: [] }));
      entry.targets.push({ file: fileIndex, offset });
      offset += plainLength(location.blob);
    }
    bytesTotal += offset;
  });
  return { ...plan, bytesTotal };
}

/**
 * Restores a snapshot, or one path of it, into an empty folder: folders, files, symlinks, FIFOs
 * and (as root) device nodes; sockets are reported, not made,
 * each file's content from its blobs, every blob's MAC and SHA-256 checked. Reads pack by
 * pack, only the packs (and byte ranges) that hold the wanted files, each once. Modes and
 * times are set at the end, folders last.
 */
export async function restoreSnapshot(
  repository: Repository,
  snapshotRef: string,
  options: RestoreOptions,
): Promise<RestoreResult> {
  return withLock(repository, { exclusive: false }, async () => {
    const snapshot = await findSnapshot(repository, snapshotRef);
    const target = path.resolve(options.target);
    const wanted =
      options.path
        ?.split('/')
        .filter((part) => part && part !== '.')
        .join('/') ?? '';

    // A target that cannot take the restore is refused at once, before the trees are walked;
    // it is made (ensureEmptyTarget, checking again) only once the plan holds.
    await checkTarget(target);

    // Writer threads start as soon as the walk has met enough files, so they are up (tens of
    // milliseconds each, more from the sources) by the time the first blobs are read.
    let threads: FileWriters | null = options.writers ? new FileWriters(options.writers) : null;
    let decoders: BlobDecoders | null = null;
    let writeback: EarlyWriteback | null = null;
    try {
      const { files, folders, links, specials, skipped, byPack, bytesTotal } = await planRestore(
        repository,
        snapshot,
        wanted,
        (count) => {
          if (options.writers === undefined && count === WRITERS_FROM_FILES) {
            threads = new FileWriters(DEFAULT_WRITERS);
          }
        },
      );
      await ensureEmptyTarget(target);
      // The disk starts writing the files back while the next ones are restored, so the sync
      // at the end (a restore must be durable to count) finds little left (fs/early-writeback.ts).
      const early = new EarlyWriteback(target);
      writeback = early;

      const local = (relative: string) => path.join(target, ...relative.split('/'));
      for (const folder of folders) mkdirSync(local(folder.path), { recursive: true, mode: 0o700 });
      for (const link of links) symlinkSync(link.node.linktarget ?? '', local(link.path));
      const madeSpecials: Array<{ path: string; node: TreeNode }> = [];
      for (const special of specials) {
        const why = await createSpecialNode(local(special.path), special.node);
        if (why) skipped.push({ path: special.path, reason: why });
        else madeSpecials.push(special);
      }

      let blobCount = 0;
      for (const pack of byPack.values()) blobCount += pack.size;
      const decoderCount =
        options.decoders ??
        (blobCount >= DECODERS_FROM_BLOBS ? defaultDecoders(threads !== null) : 0);
      if (decoderCount > 0) decoders = new BlobDecoders(repository.masterKey, decoderCount);

      const writer = new RestoreFileWriter(
        files.map((file) => ({ path: local(file.path), node: file.node })),
        undefined,
        undefined,
        threads,
      );
      let bytesDone = 0;
      try {
        for (const [packId, blobs] of byPack) {
          if (options.signal?.aborted) throw cancelled();
          await forEachDecodedBlob(
            repository,
            packId,
            [...blobs.values()].map((entry) => entry.blob),
            'the files that need it cannot be restored from this snapshot.',
            (blob, plaintext) => {
              for (const where of blobs.get(blob.id)!.targets) {
                writer.write(where.file, plaintext, where.offset);
                bytesDone += plaintext.length;
                early.wrote(plaintext.length);
              }
              // The writer threads keep at most a few MiB waiting; their failure stops the restore.
              return writer.full ? writer.room() : undefined;
            },
            () => options.onProgress?.({ bytesDone, bytesTotal, filesTotal: files.length }),
            // The writer writes (or copies) what it holds, so each batch's buffer serves again.
            { decoders, release: () => writer.flush() },
          );
        }
        writer.finishEmpty();
        await writer.settle();
      } finally {
        writer.closeAll();
      }

      // Blocking calls, as the file writer's: a thread-pool round trip each for a few
      // microseconds of work cost more than the work on a tree of many folders.
      for (const special of madeSpecials) setMetadata(local(special.path), special.node);
      for (const link of links) {
        try {
          lutimesSync(local(link.path), seconds(link.node.atime), seconds(link.node.mtime));
        } catch {
          // A link's own times are a nicety; some filesystems refuse them.
        }
      }
      for (const folder of [...folders].reverse()) {
        if (folder.node) setMetadata(local(folder.path), folder.node);
      }
      // Every file's bytes and every folder's names on the disk before the restore counts as done
      // (a restore is what a person relies on): one sync of the target's filesystem for the whole
      // batch, else each file and folder fsynced (fs/durable.ts, syncBatch).
      await early.settle();
      await syncBatch(target, () => {
        writer.syncEach();
        for (const folder of [...folders].reverse()) syncFolderSync(local(folder.path));
        syncFolderSync(target);
      });
      return {
        snapshotId: snapshot.id,
        files: files.length,
        folders: folders.filter((folder) => folder.node).length,
        symlinks: links.length,
        specials: madeSpecials.length,
        bytes: bytesTotal,
        packsRead: byPack.size,
        skipped,
      };
    } finally {
      // Nothing writes into the target once the restore has settled, failed or not.
      writeback?.close();
      await Promise.all([threads?.stop(), decoders?.stop()]);
    }
  });
}

function setMetadata(file: string, node: TreeNode): void {
  chmodSync(file, posixPermissions(node.mode) || (node.type === 'dir' ? 0o755 : 0o644));
  utimesSync(file, seconds(node.atime), seconds(node.mtime));
}

/** Seconds since the epoch as a double: microsecond precision, better than a Date's milliseconds. */
function seconds(ns: bigint): number {
  return Number(ns) / 1e9;
}
