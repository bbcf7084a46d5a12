import { sealBlobInto, sealedRoom } from './blob-sealing';
import { FASTCDC_LIMITS } from './fastcdc';
import { FileSealer } from './file-sealer';
import { encodeIndex, INDEX_MAX_BLOBS } from './index-file';
import type { MasterIndex } from './master-index';
import { encodePackHeader, type BlobType, type PackedBlob } from './pack-format';
import type { Repository } from './repository';
import { throwIfAborted } from './repository-errors';
import { CRYPTO_OVERHEAD, sealInto } from './restic-crypto';
import { hashId, type ResticId } from './restic-id';

/**
 * Stores blobs: hash, skip what the index already has, compress (zstd, kept only when it
 * saves bytes), seal, and gather into packs of about 16 MiB, one pack per blob type as
 * repository version 2 requires (restic internal/repository/packer_manager.go; pack.go).
 * A finished pack is written (durably) before its blobs enter the index; index files follow
 * their packs, every 32 packs and at `flush`, so a backup cut short leaves its finished packs
 * indexed and the next one reuses them. The caller writes the snapshot after `flush`. Up to
 * two packs are written while the next is being filled; a blob in a pack on its way counts as
 * known, so it is not stored twice. A new blob is sealed as it is saved, on this thread
 * (blob-sealing.ts), straight into its pack's buffer, or comes sealed from a file-sealer
 * thread (`saveSealed`, file-sealer.ts) and is copied in: the same blobs saved in the same
 * order make the same packs, but for the random IVs. The buffers (one being filled, PACKS_IN_FLIGHT
 * on their way) are kept and reused from pack to pack: a sealed copy per blob and a joined copy
 * per pack were most of a first backup's garbage, and memory the allocator did not give back.
 */

/** restic's default pack size (repository.go, DefaultPackSize). */
export const DEFAULT_PACK_SIZE = 16 * 1024 * 1024;

/** Packs written between two index files. */
const PACKS_PER_INDEX = 32;

/** Packs on their way to the storage at once. */
const PACKS_IN_FLIGHT = 2;

/** Room kept in a new pack buffer for the header (a full pack of 4 KiB blobs needs about 170 KiB). */
const HEADER_ROOM = 256 * 1024;

/** What storing a blob did. */
export interface SavedBlob {
  readonly id: ResticId;
  /** Whether the blob is new (false when the repository or this writer already had it). */
  readonly added: boolean;
}

/** What a writer wrote, for progress and results. */
export interface WriterTotals {
  blobsAdded: number;
  /** Plaintext bytes of the blobs added. */
  bytesAddedPlain: number;
  /** Bytes written to the storage (packs and index files). */
  bytesStored: number;
  packsWritten: number;
  indexFilesWritten: number;
}

/** A pack being filled: its blobs sealed one after another in one buffer. */
class PackBuilder {
  readonly blobs: PackedBlob[] = [];
  size = 0;

  constructor(public buffer: Buffer) {}

  /** Makes room for `bytes` more (a blob larger than the room left, or a large header). */
  reserve(bytes: number): void {
    if (this.size + bytes <= this.buffer.length) return;
    const larger = Buffer.allocUnsafeSlow(Math.max(this.buffer.length * 2, this.size + bytes));
    this.buffer.copy(larger, 0, 0, this.size);
    this.buffer = larger;
  }
}

/** Writes blobs into packs and packs into the index. */
export class BlobWriter {
  private readonly builders: Record<BlobType, PackBuilder | null> = { data: null, tree: null };
  /** Pack buffers whose packs are stored, to fill again. */
  private readonly spare: Buffer[] = [];
  /** Ids of blobs in packs not yet stored, by type (a `${type}${id}` key was a new string per look-up). */
  private readonly pending: Readonly<Record<BlobType, Set<ResticId>>> = {
    data: new Set(),
    tree: new Set(),
  };
  private unindexed: Array<{ id: ResticId; blobs: PackedBlob[] }> = [];
  private readonly inFlight = new Set<Promise<void>>();
  /** While a full pack waits for room among those in flight: settles when one is stored. */
  private roomFreed: Promise<unknown> | null = null;
  private failure: unknown = null;
  /** Whether blobs are compressed (repository version 2). */
  private readonly compress: boolean;
  readonly totals: WriterTotals = {
    blobsAdded: 0,
    bytesAddedPlain: 0,
    bytesStored: 0,
    packsWritten: 0,
    indexFilesWritten: 0,
  };

  constructor(
    private readonly repository: Repository,
    private readonly index: MasterIndex,
    private readonly options: {
      readonly packSize?: number;
      readonly signal?: AbortSignal;
      /** Called after each pack and index file is durable. */
      readonly onStored?: (totals: WriterTotals) => void;
    } = {},
  ) {
    this.compress = repository.config.version >= 2;
  }

  /** A worker thread that seals files' chunks for this writer's `saveSealed` (file-sealer.ts). */
  newSealer(): FileSealer {
    return new FileSealer(this.repository.masterKey, this.compress);
  }

  /** Whether a blob is in the repository or waiting in a pack being built. */
  known(type: BlobType, id: ResticId): boolean {
    return this.index.has(type, id) || this.pending[type].has(id);
  }

  /**
   * Stores one blob unless it is already there; `id` saves hashing when the caller has it.
   * The caller may reuse its buffer once this returns (the pack holds the sealed copy).
   */
  async save(type: BlobType, plaintext: Uint8Array, id = hashId(plaintext)): Promise<SavedBlob> {
    while (this.roomFreed) await this.roomFreed;
    const builder = this.builderFor(type, id);
    if (!builder) return { id, added: false };
    builder.reserve(sealedRoom(plaintext.length));
    const { length, uncompressedLength } = sealBlobInto(
      this.repository.masterKey,
      this.compress,
      plaintext,
      builder.buffer,
      builder.size,
    );
    await this.added(type, builder, id, length, uncompressedLength, plaintext.length);
    return { id, added: true };
  }

  /**
   * Stores one blob sealed elsewhere (a file sealer's, file-sealer.ts) unless it is
   * already there: its sealed bytes are copied into the pack being filled. `uncompressedLength`
   * is its plaintext length when it was compressed, else 0.
   */
  async saveSealed(
    type: BlobType,
    id: ResticId,
    sealed: Uint8Array,
    uncompressedLength: number,
    plainLength: number,
  ): Promise<SavedBlob> {
    while (this.roomFreed) await this.roomFreed;
    const builder = this.builderFor(type, id);
    if (!builder) return { id, added: false };
    builder.reserve(sealed.length);
    builder.buffer.set(sealed, builder.size);
    await this.added(type, builder, id, sealed.length, uncompressedLength, plainLength);
    return { id, added: true };
  }

  /**
   * The pack a new blob goes into, or null when the blob is known. The caller waits first while
   * a full pack waits for room (`roomFreed`), so the blob does not start a pack in a new buffer
   * meanwhile, and seals into the pack before it awaits anything: another saver may send it.
   */
  private builderFor(type: BlobType, id: ResticId): PackBuilder | null {
    if (this.known(type, id)) return null;
    throwIfAborted(this.options.signal);
    if (this.failure !== null) throw this.failure;
    return (this.builders[type] ??= new PackBuilder(this.packBuffer()));
  }

  /** A blob sealed into `builder` at its end: listed, counted, and its pack written when full. */
  private async added(
    type: BlobType,
    builder: PackBuilder,
    id: ResticId,
    length: number,
    uncompressedLength: number,
    plainLength: number,
  ): Promise<void> {
    builder.blobs.push({ id, type, offset: builder.size, length, uncompressedLength });
    builder.size += length;
    this.pending[type].add(id);
    this.totals.blobsAdded += 1;
    this.totals.bytesAddedPlain += plainLength;
    if (builder.size >= (this.options.packSize ?? DEFAULT_PACK_SIZE)) await this.writePack(type);
  }

  /**
   * A buffer to fill a pack in: a spare one, or a new one with room for a full pack, the
   * largest chunk that may end it and the pack's header.
   */
  private packBuffer(): Buffer {
    const packSize = this.options.packSize ?? DEFAULT_PACK_SIZE;
    return (
      this.spare.pop() ??
      Buffer.allocUnsafeSlow(packSize + sealedRoom(FASTCDC_LIMITS.max) + HEADER_ROOM)
    );
  }

  private async writePack(type: BlobType): Promise<void> {
    const builder = this.builders[type];
    if (!builder || builder.blobs.length === 0) return;
    this.builders[type] = null;
    // The header, sealed, and its length as a little-endian uint32 follow the blobs.
    const header = encodePackHeader(builder.blobs);
    builder.reserve(header.length + CRYPTO_OVERHEAD + 4);
    const sealedHeader = sealInto(this.repository.masterKey, header, builder.buffer, builder.size);
    builder.buffer.writeUInt32LE(sealedHeader, builder.size + sealedHeader);
    const pack = builder.buffer.subarray(0, builder.size + sealedHeader + 4);
    const packId = hashId(pack);
    throwIfAborted(this.options.signal);
    // Packs go to the storage while the next ones are built (an fsync, or an upload, takes as
    // long as filling a pack); at most PACKS_IN_FLIGHT at once, to bound memory.
    while (this.inFlight.size >= PACKS_IN_FLIGHT) {
      const settled = this.settleOne();
      // Blobs saved meanwhile (another file's, stored beside the walk) wait too, rather than
      // start a pack in a new buffer: a full pack waits here, two more are on their way.
      this.roomFreed = settled.catch(() => {});
      await settled;
    }
    this.roomFreed = null;
    const upload = this.repository.backend
      .write({ type: 'data', name: packId }, pack)
      .then(() => this.stored(packId, builder.blobs, pack.length));
    // The buffer is filled again only once the storage is done with it, stored or failed.
    const tracked = upload.then(
      () => {
        this.inFlight.delete(tracked);
        this.spare.push(builder.buffer);
      },
      (error: unknown) => {
        this.inFlight.delete(tracked);
        this.spare.push(builder.buffer);
        this.failure ??= error;
      },
    );
    this.inFlight.add(tracked);
    if (this.unindexed.length >= PACKS_PER_INDEX) await this.writeIndex();
  }

  /** Waits for one pack in flight to finish; rethrows the first failure of any. */
  private async settleOne(): Promise<void> {
    await Promise.race(this.inFlight);
    if (this.failure !== null) throw this.failure;
  }

  /** A pack is durable: its blobs enter the index (and a later index file). */
  private stored(packId: ResticId, blobs: PackedBlob[], size: number): void {
    this.index.addPack(packId, blobs);
    for (const blob of blobs) this.pending[blob.type].delete(blob.id);
    this.unindexed.push({ id: packId, blobs });
    this.totals.packsWritten += 1;
    this.totals.bytesStored += size;
    this.options.onStored?.(this.totals);
  }

  private async writeIndex(): Promise<void> {
    while (this.unindexed.length > 0) {
      const batch: Array<{ id: ResticId; blobs: PackedBlob[] }> = [];
      let blobs = 0;
      while (
        this.unindexed.length > 0 &&
        (batch.length === 0 || blobs + this.unindexed[0]!.blobs.length <= INDEX_MAX_BLOBS)
      ) {
        const pack = this.unindexed.shift()!;
        batch.push(pack);
        blobs += pack.blobs.length;
      }
      const json = encodeIndex({ supersedes: [], packs: batch });
      const id = await this.repository.saveUnpacked('index', json);
      this.index.indexFiles.add(id);
      this.totals.indexFilesWritten += 1;
      this.totals.bytesStored += json.length;
      this.options.onStored?.(this.totals);
    }
  }

  /**
   * Writes the packs being built, waits for every pack in flight, then indexes them all.
   */
  async flush(): Promise<void> {
    await this.writePack('tree');
    await this.writePack('data');
    await this.drain();
    await this.writeIndex();
  }

  /** Waits for every pack in flight; rethrows the first failure. */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.race(this.inFlight);
    if (this.failure !== null) throw this.failure;
  }
}
