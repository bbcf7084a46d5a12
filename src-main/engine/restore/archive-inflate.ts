/**
 * A .tar.gz decompressed in a worker thread, read ahead of its reader: the decompressed bytes
 * in order, in buffers that go back to the worker once read.
 *
 * Note: measured on `tend restore export` of the 20,000-file bench tree on a fresh ext4, a
 * gunzip stream on the main thread ran about one 256 KiB step ahead of the reader, and only
 * when the reader gave the loop its turn (every 10 ms of work): while the two model files
 * (176 MB) came, the main thread sat idle for half of their 0.5 s, waiting for zlib, and zlib
 * waited for it. Here the worker decompresses up to `buffers` buffers ahead on a core of its
 * own, a member per call where it can (gzip-member-step.ts), and the main thread only reads;
 * the buffers are slots of one shared ring, so the 245 MB pass through no new allocation.
 */
import type { Worker } from 'node:worker_threads';
import { assertNever } from '../../../src-shared/errors';
import { startWorkerModule } from '../jobs/worker-module';
import type {
  InflateMessage,
  InflateReturn,
  InflateSummary,
  InflateTask,
} from './archive-inflate-protocol';

/** Decompressed bytes per buffer. */
const BUFFER_BYTES = 1024 * 1024;
/** Buffers read ahead at most: 16 MiB, four of Tend's members. */
const BUFFERS = 16;

/** How an archive is decompressed. */
export interface ArchiveInflateOptions {
  /** Sees every chunk of the archive file as it is read (its whole-file hash, progress). */
  readonly onRead?: (chunk: Buffer) => void;
  /** Stops the waiting for the next bytes. */
  readonly signal?: AbortSignal;
}

/** An error of the worker, as the `fs` call or zlib threw it (its `code` kept for mapping). */
function inflateError(message: Extract<InflateMessage, { kind: 'error' }>): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(message.message);
  if (message.code !== undefined) error.code = message.code;
  return error;
}

/**
 * The decompressed bytes of a gzip file, read ahead in a worker; see the file comment. It
 * starts at once; iterate it once, and `close` it whatever happens.
 *
 * A chunk is valid until the next one is asked for: then its buffer goes back to the worker.
 */
export class ArchiveInflate implements AsyncIterable<Buffer> {
  private readonly worker: Worker;
  private readonly ring: SharedArrayBuffer;
  private readonly queue: InflateMessage[] = [];
  private wake: (() => void) | null = null;
  private failure: Error | null = null;
  private closing = false;
  /** How the file was read, once it has been read to its end. */
  summary: InflateSummary | null = null;

  constructor(
    archivePath: string,
    private readonly options: ArchiveInflateOptions = {},
  ) {
    this.ring = new SharedArrayBuffer(BUFFER_BYTES * BUFFERS);
    const task: InflateTask = {
      archivePath,
      bufferBytes: BUFFER_BYTES,
      buffers: BUFFERS,
      ring: this.ring,
      sendRead: options.onRead !== undefined,
    };
    this.worker = startWorkerModule(
      { name: 'archive-inflate-worker', from: import.meta.url, missingCode: 'INTERNAL' },
      { workerData: task },
    );
    this.worker.on('message', (message: InflateMessage) => {
      this.queue.push(message);
      this.notify();
    });
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => {
      if (!this.closing && !this.summary) {
        this.fail(new Error(`The archive's decompressor stopped early (exit ${code}).`));
      }
    });
    options.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
    let read: number | null = null;
    for (;;) {
      if (read !== null) {
        const returned: InflateReturn = { slot: read };
        this.worker.postMessage(returned);
        read = null;
      }
      const message = await this.next();
      switch (message.kind) {
        case 'read':
          this.options.onRead?.(Buffer.from(message.buffer));
          break;
        case 'data':
          read = message.slot;
          yield Buffer.from(this.ring, message.slot * BUFFER_BYTES, message.length);
          break;
        case 'end':
          this.summary = { members: message.members, serialFrom: message.serialFrom };
          return;
        case 'error':
          throw inflateError(message);
        default:
          assertNever(message);
      }
    }
  }

  /** Stops the worker: nothing reads the archive after this. */
  async close(): Promise<void> {
    this.closing = true;
    this.options.signal?.removeEventListener('abort', this.onAbort);
    await this.worker.terminate();
  }

  private async next(): Promise<InflateMessage> {
    for (;;) {
      this.options.signal?.throwIfAborted();
      const message = this.queue.shift();
      if (message) return message;
      if (this.failure) throw this.failure;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  private readonly onAbort = () => this.notify();

  private fail(error: Error): void {
    this.failure ??= error;
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}
