/**
 * Seals files' chunks on a worker thread (file-seal-worker.ts) while the backup's walk goes on:
 * the walk then only copies the sealed chunks into its packs (storeSealedFile).
 *
 * Note: the walk's main thread was the limit of a first backup. On the medium demo it spent
 * 0.8 s on the 33,000 one-page blocks of its 135 MB assistant.db (each hashed, compressed and
 * sealed, about 25 µs apiece) after waiting 0.45 s for the database's copy, and 0.8 s on its
 * dozen large files, while the second core was mostly idle. A database's copy is sealed by a
 * sealer of its own as soon as it is made, the large files by another, in the order the walk
 * meets them. The chunks of the parent's content of a file are only hashed (the walk finds
 * them in the index); a chunk the repository turns out not to have is read again from the file
 * and stored the usual way.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
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
  finished: boolean;
  failure: Error | null;
  wake: (() => void) | null;
}

/** A worker thread sealing files' chunks, one file after the other; see the file comment. */
export class FileSealer {
  private readonly worker: Worker;
  private readonly tasks = new Map<number, Task>();
  private nextTask = 0;
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
      if (!task) return;
      if (message.kind === 'batch') task.batches.push(message);
      else if (message.kind === 'done') task.finished = true;
      else task.failure = Object.assign(new Error(message.message), { code: message.code });
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

  /**
   * Gives the thread `file` to seal, cut by `plan` (`database`: a staged database copy, in its
   * page size), after the files given before; the chunks of `previous` (ids the caller expects
   * the repository to have) are hashed, not sealed. Returns its chunks, in order, a batch at a
   * time, to be read whole (the thread waits while batches are not taken); they reject with the
   * thread's failure.
   */
  seal(
    file: string,
    plan: ChunkPlan | 'database',
    previous: ReadonlyArray<ResticId>,
  ): AsyncGenerator<SealedBatch> {
    const id = this.nextTask++;
    const task: Task = { batches: [], finished: false, failure: this.failure, wake: null };
    this.tasks.set(id, task);
    if (!this.failure) {
      const request: SealerRequest = { task: id, file, plan, previous: previous.join('') };
      this.worker.postMessage(request);
    }
    return this.batches(id, task);
  }

  private async *batches(id: number, task: Task): AsyncGenerator<SealedBatch> {
    try {
      for (;;) {
        const batch = task.batches.shift();
        if (batch) {
          this.worker.postMessage('more' satisfies SealerRequest);
          yield batch;
          continue;
        }
        if (task.failure) throw task.failure;
        if (task.finished) return;
        await new Promise<void>((resolve) => (task.wake = resolve));
      }
    } finally {
      this.tasks.delete(id);
    }
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
          let filled = 0;
          while (filled < plainLength) {
            const got = readSync(fd, chunk, filled, plainLength - filled, size + filled);
            if (got === 0) break;
            filled += got;
          }
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
