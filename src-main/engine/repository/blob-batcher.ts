/**
 * Small files' contents sealed on the file-seal thread, in batches, while the walk goes on.
 *
 * Note: over a tree of many small files the walk's thread did everything: reading and hashing
 * each file, and compressing and sealing it (zstd, AES-CTR and Poly1305, a third of its time on
 * the 20,000 files of the bench's source tree), while the second core was idle. The walk still
 * reads and hashes each file (it needs the id for the file's tree node and to find what the
 * repository already has), then copies a new file's bytes into a batch of up to 1 MiB that the
 * file-seal thread (file-sealer.ts) compresses and seals; the sealed blobs come back and are
 * copied into their pack in the order they were read. A file given to the sealer one message
 * at a time cost more in messages than it saved. The walk never waits for the thread: when the
 * thread is busy (a large file, a database, or batches enough), the walk seals the batch
 * itself. The thread is only asked once the small files met come to BATCH_FROM_BYTES, as its
 * start costs more than sealing a few MiB.
 */
import type { BlobWriter } from './blob-writer';
import type { FileSealer } from './file-sealer';
import type { SealedBatch } from './file-seal-protocol';
import type { BlobType } from './pack-format';
import { hashId, type ResticId } from './restic-id';

/** Plaintext bytes of a batch at most (a small file is at most SMALL_FILE_LIMIT, 512 KiB). */
const BATCH_BYTES = 1024 * 1024;

/** Blobs of a batch at most. */
const BATCH_BLOBS = 1024;

/** New small files' bytes sealed on the walk's thread before batches go to the sealer thread. */
const BATCH_FROM_BYTES = 8 * 1024 * 1024;

/** Bytes the sealer thread may have waiting when a batch is given to it (else the walk seals it). */
const QUEUE_BYTES = 8 * BATCH_BYTES;

/** Small files' new blobs, gathered into batches for the sealer thread; see the file comment. */
export class BlobBatcher {
  /** The batch being gathered: its own ArrayBuffer, so it can be transferred. */
  private plain: Buffer | null = null;
  /** A batch's buffer the walk sealed itself, to gather the next one in. */
  private spare: Buffer | null = null;
  private size = 0;
  private lengths: number[] = [];
  private ids: ResticId[] = [];
  private types: BlobType[] = [];
  /** Ids in a batch, gathered or on the thread, not yet given to the writer, by type. */
  private readonly queued: Readonly<Record<BlobType, Set<ResticId>>> = {
    data: new Set(),
    tree: new Set(),
  };
  /** Batches on the thread, until their blobs are in the writer. */
  private readonly storing: Array<Promise<void>> = [];
  /** New small files' bytes met. */
  private met = 0;

  constructor(
    private readonly writer: BlobWriter,
    /** The sealer thread, started the first time it is asked for. */
    private readonly sealer: () => FileSealer,
    /** Tracks a promise the walk does not wait for at once (Walker.later). */
    private readonly later: <T>(promise: Promise<T>) => Promise<T>,
    /** BATCH_FROM_BYTES and QUEUE_BYTES, which tests change. */
    private readonly limits = { fromBytes: BATCH_FROM_BYTES, queueBytes: QUEUE_BYTES },
  ) {}

  /**
   * Stores one small blob (a small file's content, or a tree) unless the repository or a batch
   * has it; returns its id. `content` may be reused once this returns (a batch holds a copy).
   */
  async save(type: BlobType, content: Buffer): Promise<ResticId> {
    const id = hashId(content);
    if (this.writer.known(type, id) || this.queued[type].has(id)) return id;
    this.met += content.length;
    // A tree of a folder of thousands of entries can be larger than a batch.
    if (this.met <= this.limits.fromBytes || content.length > BATCH_BYTES) {
      await this.writer.save(type, content, id);
      return id;
    }
    // Until it fits: blobs saved while the batch was sent (a folder's tree, once its large
    // files are stored) may have filled the next one.
    while (this.size + content.length > BATCH_BYTES || this.lengths.length === BATCH_BLOBS) {
      await this.send();
    }
    if (!this.plain) {
      this.plain = this.spare ?? Buffer.from(new ArrayBuffer(BATCH_BYTES));
      this.spare = null;
    }
    content.copy(this.plain, this.size);
    this.size += content.length;
    this.lengths.push(content.length);
    this.ids.push(id);
    this.types.push(type);
    this.queued[type].add(id);
    return id;
  }

  /** Sends the batch being gathered, and waits until every batch's blobs are in the writer. */
  async finish(): Promise<void> {
    await this.send();
    await Promise.all(this.storing);
  }

  /** Gives the batch being gathered to the sealer thread, or seals it here when the thread is busy. */
  private async send(): Promise<void> {
    const plain = this.plain;
    if (!plain || this.lengths.length === 0) return;
    const { lengths, ids, types } = this;
    // The batch is taken whole before anything is awaited: a blob saved meanwhile starts the
    // next one in another buffer, and never writes into this one (it would be stored under
    // this one's ids).
    this.plain = null;
    this.lengths = [];
    this.ids = [];
    this.types = [];
    this.size = 0;
    // The thread's messages (batches it sealed, tasks it ended) are let in before its queue is
    // looked at: the walk's reads are synchronous and would otherwise hold them off.
    await new Promise<void>((resolve) => setImmediate(resolve));
    const sealer = this.sealer();
    if (sealer.queuedBytes < this.limits.queueBytes) {
      const sealing = sealer.sealBlobs(plain.buffer as ArrayBuffer, Uint32Array.from(lengths));
      const stored = this.later(this.store(sealing.batches, ids, types));
      // Awaited by finish; a failure meanwhile is not unhandled.
      stored.catch(() => {});
      this.storing.push(stored);
      return;
    }
    let from = 0;
    for (let i = 0; i < ids.length; i++) {
      await this.writer.save(types[i]!, plain.subarray(from, from + lengths[i]!), ids[i]!);
      this.queued[types[i]!].delete(ids[i]!);
      from += lengths[i]!;
    }
    this.spare = plain;
  }

  /** Copies a batch's sealed blobs into their packs, in order. */
  private async store(
    batches: AsyncIterable<SealedBatch>,
    ids: ResticId[],
    types: BlobType[],
  ): Promise<void> {
    let i = 0;
    for await (const batch of batches) {
      const sealed = Buffer.from(batch.sealed);
      const { layout } = batch;
      let at = 0;
      for (let j = 0; j < layout.length / 3; j++, i++) {
        const length = layout[3 * j]!;
        await this.writer.saveSealed(
          types[i]!,
          ids[i]!,
          sealed.subarray(at, at + length),
          layout[3 * j + 1]!,
          layout[3 * j + 2]!,
        );
        this.queued[types[i]!].delete(ids[i]!);
        at += length;
      }
    }
    if (i !== ids.length) throw new Error(`The file sealer sealed ${i} of ${ids.length} blobs.`);
  }
}
