/**
 * Seals files' chunks on a worker thread (file-seal-worker.ts) while the backup's walk goes on:
 * the walk then only copies the sealed chunks into its packs (storeSealedFile).
 *
 * Note: the walk's main thread was the limit of a first backup. On the medium demo it spent
 * 0.8 s on the 33,000 one-page blocks of its 135 MB assistant.db (each hashed, compressed and
 * sealed, about 25 µs apiece) after waiting 0.45 s for the database's copy, and 0.8 s on its
 * dozen large files, while the second core was mostly idle. One sealer thread per backup takes
 * a database's copy as soon as it is made, and large files in the order the walk meets them
 * (the walk keeps some for itself while the sealer is busy). A second thread for the database
 * was a little faster and 25 MB more at the peak, which the 300 MB goal had no room for. The
 * chunks of the parent's content of a file are only hashed (the walk finds them in the index);
 * a chunk the repository turns out not to have is read again from the file and stored the
 * usual way.
 */
import { closeSync, openSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import { readInto } from '../fs/sys-fs';
import { startWorkerModule } from '../jobs/worker-module';
import type { BlobWriter } from './blob-writer';
import type { ChunkPlan } from './file-chunks';
import type { SealedBatch, SealerMessage, SealerRequest, SealerSetup } from './file-seal-protocol';
import type { CryptoKey } from './restic-crypto';
import type { ResticId } from './restic-id';

/** The sealer's young generation (V8's default is 16 MiB a semi-space, mostly never needed here). */
const YOUNG_GENERATION_MB = 4;

/** What the main thread knows of one task. */
interface Task {
  readonly batches: SealedBatch[];
  /** The file's bytes, counted in `queuedBytes` until the thread is done with it. */
  readonly bytes: number;
  finished: boolean;
  failure: Error | null;
  wake: (() => void) | null;
}

/** A file given to the sealer thread: its chunks, and a way to call it off. */
export interface SealingFile {
  /** The chunks in order, a batch at a time (FileSealer.seal). */
  readonly batches: AsyncGenerator<SealedBatch>;
  /** Calls the file off: the thread drops or stops it, and its batches not taken are let go. */
  cancel(): void;
}

/** A worker thread sealing files' chunks, one file after the other; see the file comment. */
export class FileSealer {
  private readonly worker: Worker;
  private readonly tasks = new Map<number, Task>();
  private nextTask = 0;
  private queued = 0;
  private failure: Error | null = null;
  private stopping = false;
  private readonly exited: Promise<void>;

  /** Starts a thread that seals with `key`, compressing where `compress` (repository version 2). */
  constructor(key: CryptoKey, compress: boolean) {
    const workerData: SealerSetup = {
      key: { encrypt: key.encrypt, macK: key.macK, macR: key.macR },
      compress,
    };
    this.worker = startWorkerModule(
      { name: 'file-seal-worker', from: import.meta.url, missingCode: 'INTERNAL' },
      { workerData, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } },
    );
    this.worker.on('message', (message: SealerMessage) => {
      const task = this.tasks.get(message.task);
      if (!task) {
        // A batch of a file called off: room, and the buffer, go straight back.
        if (message.kind === 'batch') this.giveBack(message);
        return;
      }
      if (message.kind === 'batch') {
        task.batches.push(message);
      } else {
        this.ended(task);
        if (message.kind === 'failed') {
          task.failure = Object.assign(new Error(message.message), { code: message.code });
        }
      }
      this.notify(task);
    });
    this.worker.on('error', (error) => this.fail(error));
    this.exited = new Promise((resolve) =>
      this.worker.once('exit', (code) => {
        this.fail(new Error(`The file sealer stopped (exit ${code}).`));
        resolve();
      }),
    );
  }

  /** Bytes of the files given and not yet done by the thread. */
  get queuedBytes(): number {
    return this.queued;
  }

  /**
   * Gives the thread `file` (`bytes` long) to seal, cut by `plan` (`database`: a staged
   * database copy, in its page size), after the files given before; the chunks of `previous`
   * (ids the caller expects the repository to have) are hashed, not sealed. Its batches come in
   * order, each valid until the next is asked for, to be read whole or called off (the thread
   * waits while batches are not taken); they reject with the thread's failure.
   */
  seal(
    file: string,
    plan: ChunkPlan | 'database',
    previous: ReadonlyArray<ResticId>,
    bytes: number,
  ): SealingFile {
    return this.start(bytes, (task) => ({
      kind: 'task',
      task,
      file,
      plan,
      previous: previous.join(''),
    }));
  }

  /**
   * Gives the thread small files' contents to seal after what was given before (blob-batcher.ts):
   * blob `i` is `lengths[i]` bytes of `plain`, after blob `i - 1`. `plain` and `lengths` are
   * transferred (no longer usable here). One batch comes back with every blob sealed, in order.
   */
  sealBlobs(plain: ArrayBuffer, lengths: Uint32Array): SealingFile {
    return this.start(plain.byteLength, (task) => ({ kind: 'blobs', task, plain, lengths }), [
      plain,
      lengths.buffer as ArrayBuffer,
    ]);
  }

  /** Queues a task of `bytes` (counted in queuedBytes until the thread is done with it). */
  private start(
    bytes: number,
    request: (task: number) => SealerRequest,
    transfer: ArrayBuffer[] = [],
  ): SealingFile {
    const id = this.nextTask++;
    const task: Task = { batches: [], bytes, finished: false, failure: this.failure, wake: null };
    this.tasks.set(id, task);
    if (!this.failure) {
      this.queued += bytes;
      this.worker.postMessage(request(id), transfer);
    }
    return { batches: this.batches(id, task), cancel: () => this.cancel(id) };
  }

  private async *batches(id: number, task: Task): AsyncGenerator<SealedBatch> {
    try {
      for (;;) {
        const batch = task.batches.shift();
        if (batch) {
          yield batch;
          // The caller is done with it (it asked for the next): its buffer goes back.
          this.giveBack(batch);
          continue;
        }
        if (task.failure) throw task.failure;
        if (task.finished) return;
        await new Promise<void>((resolve) => (task.wake = resolve));
      }
    } finally {
      this.cancel(id);
    }
  }

  /** Calls a file off (nothing, once it is done and taken). */
  private cancel(id: number): void {
    const task = this.tasks.get(id);
    if (!task) return;
    this.tasks.delete(id);
    for (const batch of task.batches.splice(0)) this.giveBack(batch);
    if (!task.finished && !this.failure) {
      this.ended(task);
      this.worker.postMessage({ kind: 'cancel', task: id } satisfies SealerRequest);
    }
    task.failure ??= new Error('The file was called off.');
    this.notify(task);
  }

  /** Room for one more batch, and its buffer to fill again. */
  private giveBack(batch: SealedBatch): void {
    if (this.failure) return;
    const given: SealerRequest = { kind: 'more', sealed: batch.sealed };
    this.worker.postMessage(given, [batch.sealed]);
  }

  /** The thread is done with a task: its bytes no longer wait. */
  private ended(task: Task): void {
    if (task.finished) return;
    task.finished = true;
    this.queued -= task.bytes;
  }

  /** Ends the thread (at once, whether or not its tasks are done); resolves once it is gone. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.worker.terminate();
    await this.exited;
  }

  private fail(error: Error): void {
    this.failure ??= this.stopping ? new Error('The file sealer was stopped.') : error;
    for (const task of this.tasks.values()) {
      task.failure ??= this.failure;
      this.notify(task);
    }
  }

  private notify(task: Task): void {
    task.wake?.();
    task.wake = null;
  }
}

/**
 * Stores a file's chunks as `sealer` gives them, in order: a sealed chunk through
 * `writer.saveSealed`, one it did not seal that the repository lacks read again from the file
 * and saved. Returns the file's content and size.
 */
export async function storeSealedFile(
  writer: BlobWriter,
  batches: AsyncIterable<SealedBatch>,
  file: string,
  onChunk: (length: number) => void,
): Promise<{ content: ResticId[]; size: number }> {
  const content: ResticId[] = [];
  let size = 0;
  let fd: number | null = null;
  try {
    for await (const batch of batches) {
      const sealed = Buffer.from(batch.sealed);
      const { layout } = batch;
      let at = 0;
      for (let i = 0; i < layout.length / 3; i++) {
        const id = batch.ids.slice(64 * i, 64 * i + 64);
        const sealedLength = layout[3 * i]!;
        const plainLength = layout[3 * i + 2]!;
        if (sealedLength > 0) {
          await writer.saveSealed(
            'data',
            id,
            sealed.subarray(at, at + sealedLength),
            layout[3 * i + 1]!,
            plainLength,
          );
          at += sealedLength;
        } else if (!writer.known('data', id)) {
          fd ??= openSync(file, 'r');
          const chunk = Buffer.allocUnsafe(plainLength);
          const filled = readInto(fd, chunk, plainLength, size);
          // Hashed again: the content must be what the id says, whatever became of the file.
          const saved = await writer.save('data', chunk.subarray(0, filled));
          if (saved.id !== id) {
            throw Object.assign(new Error(`${file} changed while it was read`), {
              code: 'ECHANGED',
            });
          }
        }
        content.push(id);
        size += plainLength;
        onChunk(plainLength);
      }
    }
  } finally {
    if (fd !== null) closeSync(fd);
  }
  return { content, size };
}
