/**
 * Worker threads that open a restore's blobs (MAC, AES-CTR, zstd, SHA-256) while the main
 * thread reads the next bytes of the packs and writes the plaintexts it got back.
 *
 * Note: a restore is mostly per-blob work: a 135 MB database is 33,000 blobs of one 4 KiB page,
 * each a cipher, a MAC, a zstd frame and a hash, about 25 µs apiece on one thread, where the
 * reads and writes around them took a third of that. A batch's sealed bytes are copied into a
 * buffer of their own and transferred; the plaintexts come back back to back in one buffer,
 * also transferred. Each batch goes to the decoder with the fewest bytes waiting.
 */
import type { Worker } from 'node:worker_threads';
import { startWorkerModule } from '../jobs/worker-module';
import type { DecodeReply, DecoderKey, DecoderMessage } from './blob-decode-protocol';
import { plainLength } from './blob-opening';
import type { PackedBlob } from './pack-format';
import type { CryptoKey } from './restic-crypto';

/** Raised when a blob of a batch did not open: `failed` is its position in the batch. */
export class BlobDecodeError extends Error {
  constructor(readonly failed: number) {
    super(`blob ${failed} of the batch did not open`);
    this.name = 'BlobDecodeError';
  }
}

interface Lane {
  readonly worker: Worker;
  outstanding: number;
  readonly exited: Promise<void>;
}

interface Pending {
  readonly lane: Lane;
  readonly bytes: number;
  readonly resolve: (plain: ArrayBuffer) => void;
  readonly reject: (error: Error) => void;
}

/** Decode worker threads; see the file comment. */
export class BlobDecoders {
  private readonly lanes: Lane[] = [];
  private readonly pending = new Map<number, Pending>();
  /** Buffers of sealed bytes the workers gave back, for the next batches. */
  private readonly spare: ArrayBuffer[] = [];
  /** Plaintext buffers the caller is done with (`recycle`), for the workers to decode into. */
  private readonly spentPlain: ArrayBuffer[] = [];
  private nextId = 0;
  private failure: Error | null = null;
  private stopping = false;

  /** Starts `count` decode threads (at least one) that open blobs with `key`. */
  constructor(key: CryptoKey, count: number) {
    const workerData: DecoderKey = { encrypt: key.encrypt, macK: key.macK, macR: key.macR };
    for (let i = 0; i < Math.max(1, count); i++) {
      const worker = startWorkerModule(
        { name: 'blob-decode-worker', from: import.meta.url, missingCode: 'INTERNAL' },
        { workerData },
      );
      const exited = new Promise<void>((resolve) =>
        worker.once('exit', (code) => {
          if (!this.stopping) this.fail(new Error(`A blob decoder stopped early (exit ${code}).`));
          resolve();
        }),
      );
      worker.on('message', (reply: DecodeReply) => this.answered(reply));
      worker.on('error', (error) => this.fail(error));
      this.lanes.push({ worker, outstanding: 0, exited });
    }
  }

  /** Batches sent and not answered yet. */
  get waiting(): number {
    return this.pending.size;
  }

  /**
   * Opens `blobs`, whose sealed bytes lie in `sealed` from `start` on (blob offsets less
   * `start`): resolves with their plaintexts back to back, or rejects with a BlobDecodeError
   * naming the first that did not open (or with a worker's failure). `sealed` is copied (into
   * a buffer a worker gave back, when there is one); the caller may reuse it at once.
   */
  decode(sealed: Uint8Array, start: number, blobs: ReadonlyArray<PackedBlob>): Promise<Buffer> {
    if (this.failure) return Promise.reject(this.failure);
    let buffer = this.spare.pop();
    if (!buffer || buffer.byteLength < sealed.length) buffer = new ArrayBuffer(sealed.length);
    const own = new Uint8Array(buffer, 0, sealed.length);
    own.set(sealed);
    const layout = new Uint32Array(blobs.length * 3);
    let ids = '';
    blobs.forEach((blob, i) => {
      layout[3 * i] = blob.offset - start;
      layout[3 * i + 1] = blob.length;
      layout[3 * i + 2] = blob.uncompressedLength;
      ids += blob.id;
    });
    const lane = this.lanes.reduce((least, next) =>
      next.outstanding < least.outstanding ? next : least,
    );
    let total = 0;
    for (const blob of blobs) total += plainLength(blob);
    const id = this.nextId++;
    lane.outstanding += own.length;
    return new Promise<Buffer>((resolve, reject) => {
      this.pending.set(id, {
        lane,
        bytes: own.length,
        resolve: (plain) => resolve(Buffer.from(plain, 0, total)),
        reject,
      });
      const spare = this.spentPlain.pop();
      const message: DecoderMessage = { id, sealed: own.buffer, layout, ids, spare };
      lane.worker.postMessage(message, [own.buffer, layout.buffer, ...(spare ? [spare] : [])]);
    });
  }

  /**
   * Gives back the buffer of a batch's plaintexts (a `decode` answer) once nothing refers to
   * them any more, for a worker to decode a later batch into.
   */
  recycle(plain: Buffer): void {
    // A `decode` answer is a whole ArrayBuffer of its own (never a SharedArrayBuffer).
    if (this.spentPlain.length < this.lanes.length * 4) {
      this.spentPlain.push(plain.buffer as ArrayBuffer);
    }
  }

  /** Ends the threads; batches not answered yet are rejected. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.fail(new Error('The blob decoders were stopped.'));
    for (const lane of this.lanes) lane.worker.postMessage('stop' satisfies DecoderMessage);
    await Promise.all(this.lanes.map((lane) => lane.exited));
  }

  private answered(reply: DecodeReply): void {
    if (this.spare.length < this.lanes.length * 4) this.spare.push(reply.sealed);
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    this.pending.delete(reply.id);
    pending.lane.outstanding -= pending.bytes;
    if (reply.ok) pending.resolve(reply.plain);
    else pending.reject(new BlobDecodeError(reply.failed));
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const pending of this.pending.values()) pending.reject(this.failure);
    this.pending.clear();
  }
}
