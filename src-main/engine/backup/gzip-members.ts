import os from 'node:os';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

const gzip = promisify(zlib.gzip);

/** How the member writer cuts and compresses. */
export interface GzipMemberOptions {
  /** Bytes of input per gzip member. */
  memberBytes?: number;
  /** Members compressed at once; the rest wait (bounds memory). */
  parallel?: number;
}

// Below this, a change of level does not start a new member: a tiny member costs more in
// headers and lost context than the level change saves.
const MIN_MEMBER_BYTES = 256 * 1024;

/**
 * Writes one stream as independent gzip members, compressed in parallel on zlib's thread
 * pool and handed to `sink` in order.
 *
 * Concatenated gzip members are one valid .gz file (RFC 1952 §2.2): GNU gzip, tar and Node's
 * gunzip read them as one stream. Each member has its own level, so model weights and
 * embeddings go through at a low level while text gets the usual one, and both cores work.
 *
 * Files are read straight into the member being filled (`region` then `commit`), and member
 * buffers are reused once compressed: no copy per read and little for the garbage collector.
 */
export class GzipMemberWriter {
  private buffer: Buffer | null = null;
  private used = 0;
  private level = 6;
  private readonly pool: Buffer[] = [];
  private readonly inFlight: Array<Promise<Buffer>> = [];
  /** Input bytes per level, for the bench's account of where time goes. */
  readonly bytesByLevel = new Map<number, number>();
  private readonly memberBytes: number;
  private readonly parallel: number;

  constructor(
    private readonly sink: (compressed: Buffer) => Promise<void>,
    options: GzipMemberOptions = {},
  ) {
    this.memberBytes = options.memberBytes ?? 4 * 1024 * 1024;
    this.parallel = options.parallel ?? Math.max(2, os.availableParallelism() + 1);
  }

  /** The largest region one `region` call can give. */
  get maxRegion(): number {
    return this.memberBytes;
  }

  /**
   * Free space at the end of the member being filled, at least `bytes` long (at most
   * `maxRegion`): read into it, then `commit` what was read. Nothing else may be written in
   * between.
   */
  async region(bytes: number): Promise<Buffer> {
    if (bytes > this.memberBytes) throw new RangeError('region larger than a member');
    if (this.buffer && this.used + bytes > this.memberBytes) await this.cut();
    this.buffer ??= this.pool.pop() ?? Buffer.allocUnsafe(this.memberBytes);
    return this.buffer.subarray(this.used, this.used + bytes);
  }

  /** Takes the first `bytes` of the last region as data to compress at `level`. */
  async commit(bytes: number, level: number): Promise<void> {
    if (bytes === 0) return;
    if (level !== this.level) {
      if (this.used >= MIN_MEMBER_BYTES) {
        // The region's bytes start a member of their own level: move them to a fresh buffer.
        const moved = this.pool.pop() ?? Buffer.allocUnsafe(this.memberBytes);
        this.buffer!.copy(moved, 0, this.used, this.used + bytes);
        await this.cut();
        this.buffer = moved;
        this.level = level;
      } else if (this.used === 0 || level > this.level) {
        // A small part takes the better of the two levels rather than becoming its own member.
        this.level = level;
      }
    }
    this.used += bytes;
    if (this.used >= this.memberBytes) await this.cut();
  }

  /** Adds bytes (headers, padding) to compress at `level`. */
  async write(data: Buffer, level: number): Promise<void> {
    let offset = 0;
    while (offset < data.length) {
      const size = Math.min(data.length - offset, this.memberBytes);
      const target = await this.region(size);
      data.copy(target, 0, offset, offset + size);
      await this.commit(size, level);
      offset += size;
    }
  }

  /** Compresses what is left and waits until every member has reached the sink. */
  async end(): Promise<void> {
    if (this.used > 0) await this.cut();
    while (this.inFlight.length > 0) await this.drainOne();
  }

  /** Drops members not yet written (after a failure or cancel). */
  async abandon(): Promise<void> {
    const pending = this.inFlight.splice(0);
    this.buffer = null;
    this.used = 0;
    await Promise.allSettled(pending);
  }

  private async cut(): Promise<void> {
    const buffer = this.buffer;
    const used = this.used;
    this.buffer = null;
    this.used = 0;
    if (!buffer || used === 0) {
      if (buffer) this.pool.push(buffer);
      return;
    }
    this.bytesByLevel.set(this.level, (this.bytesByLevel.get(this.level) ?? 0) + used);
    // One output buffer for the whole member: zlib's default 16 KiB chunks cost a round trip
    // from the thread pool to the main thread per chunk.
    const member = gzip(buffer.subarray(0, used), {
      level: this.level,
      chunkSize: Math.min(used + 64 * 1024, 16 * 1024 * 1024),
    }).finally(() => this.pool.push(buffer));
    // Awaited in order by drainOne; this keeps an early rejection from going unhandled.
    member.catch(() => undefined);
    this.inFlight.push(member);
    while (this.inFlight.length >= this.parallel) await this.drainOne();
  }

  private async drainOne(): Promise<void> {
    const next = this.inFlight.shift();
    if (next) await this.sink(await next);
  }
}
