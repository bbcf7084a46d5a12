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
 */
export class GzipMemberWriter {
  private parts: Buffer[] = [];
  private partBytes = 0;
  private level = 6;
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

  /** Adds bytes to compress at `level` (0 stores, 1 fastest, 9 smallest). */
  async write(data: Buffer, level: number): Promise<void> {
    if (data.length === 0) return;
    if (level !== this.level) {
      if (this.partBytes >= MIN_MEMBER_BYTES) await this.cut();
      // A small part takes the better of the two levels rather than becoming its own member.
      if (this.partBytes === 0 || level > this.level) this.level = level;
    }
    this.parts.push(data);
    this.partBytes += data.length;
    if (this.partBytes >= this.memberBytes) await this.cut();
  }

  /** Compresses what is left and waits until every member has reached the sink. */
  async end(): Promise<void> {
    if (this.partBytes > 0) await this.cut();
    while (this.inFlight.length > 0) await this.drainOne();
  }

  /** Drops members not yet written (after a failure or cancel). */
  async abandon(): Promise<void> {
    const pending = this.inFlight.splice(0);
    this.parts = [];
    this.partBytes = 0;
    await Promise.allSettled(pending);
  }

  private async cut(): Promise<void> {
    const input = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts);
    this.parts = [];
    this.partBytes = 0;
    this.bytesByLevel.set(this.level, (this.bytesByLevel.get(this.level) ?? 0) + input.length);
    // One output buffer for the whole member: zlib's default 16 KiB chunks cost a round trip
    // from the thread pool to the main thread per chunk.
    const member = gzip(input, {
      level: this.level,
      chunkSize: Math.min(input.length + 64 * 1024, 16 * 1024 * 1024),
    });
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
