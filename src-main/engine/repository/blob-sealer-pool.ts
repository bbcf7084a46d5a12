import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import { startWorkerModule } from '../jobs/worker-module';
import {
  sealBatch,
  type PlainBatch,
  type SealAnswer,
  type SealedBatch,
  type SealerSetup,
  type SealRequest,
} from './blob-sealing';
import type { CryptoKey } from './restic-crypto';

/**
 * A small pool of sealing workers (blob-seal-worker.ts) for a backup: zstd and AES + Poly1305
 * of new blobs run on the machine's other cores while the main thread walks, reads, hashes and
 * packs in order. Workers start after the first megabyte (a backup with little new starts
 * none), and until one says it is ready the main thread seals: a worker slow to start (from
 * the sources, tsx compiles its modules first) never holds the backup up.
 * Each batch is copied to its worker and kept until the answer comes: when a worker cannot
 * start or dies, its batches and every later one are sealed on the main thread instead, so
 * the backup goes on, only slower. The sealed batch comes back as a transferred ArrayBuffer.
 */

/** How many sealing workers a backup uses: the cores beside the main thread, at most two. */
export function sealingWorkers(cores = os.availableParallelism()): number {
  return Math.max(0, Math.min(2, cores - 1));
}

/** Plaintext bytes sealed on the main thread before the workers start. */
const IN_THREAD_BYTES = 1024 * 1024;

/** Starts one sealing worker; tests pass their own to check the fallback. */
export type StartSealer = (setup: SealerSetup) => Worker;

/** Starts blob-seal-worker from the sources or the bundles (jobs/worker-module.ts). */
export const startSealWorker: StartSealer = (setup) =>
  startWorkerModule(
    { name: 'blob-seal-worker', from: import.meta.url, missingCode: 'INTERNAL' },
    { workerData: setup },
  );

interface Waiting {
  readonly batch: PlainBatch;
  readonly resolve: (sealed: SealedBatch) => void;
  readonly reject: (error: unknown) => void;
}

interface Sealer {
  readonly worker: Worker;
  readonly waiting: Map<number, Waiting>;
  /** Whether it said it is ready: until then batches are sealed on this thread. */
  ready: boolean;
}

/** Seals batches of blobs on worker threads, or on this thread where none can run. */
export class BlobSealerPool {
  private sealers: Sealer[] | null = null;
  private seq = 0;
  private submitted = 0;
  private closed = false;
  /** How many batches workers sealed, and how many this thread did (for tests). */
  readonly counts = { workers: 0, inThread: 0 };

  constructor(
    private readonly key: CryptoKey,
    private readonly compress: boolean,
    private readonly options: {
      readonly workers: number;
      readonly start?: StartSealer;
      readonly inThreadBytes?: number;
    },
  ) {}

  /**
   * Seals a batch; answers come in any order, each to its own promise. The first
   * `inThreadBytes` (1 MiB by default) are sealed on this thread: a backup that stores a few
   * trees starts no worker.
   */
  seal(batch: PlainBatch): Promise<SealedBatch> {
    this.submitted += batch.data.length;
    const sealer =
      this.submitted <= (this.options.inThreadBytes ?? IN_THREAD_BYTES) ? null : this.pick();
    if (!sealer) return Promise.resolve(this.inThread(batch));
    return new Promise((resolve, reject) => {
      const seq = ++this.seq;
      if (sealer.waiting.size === 0) sealer.worker.ref();
      sealer.waiting.set(seq, { batch, resolve, reject });
      const request: SealRequest = {
        seq,
        data: batch.data.buffer.slice(
          batch.data.byteOffset,
          batch.data.byteOffset + batch.data.byteLength,
        ) as ArrayBuffer,
        ends: batch.ends,
      };
      sealer.worker.postMessage(request, [request.data]);
    });
  }

  /**
   * Starts the workers now (not after the first megabyte) and resolves, with how many are
   * ready, once each is ready or gone.
   */
  async whenReady(): Promise<number> {
    if (this.closed || this.options.workers <= 0) return 0;
    this.sealers ??= this.startAll();
    while (this.sealers.some((sealer) => !sealer.ready)) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return this.sealers.length;
  }

  /**
   * Stops the workers. Batches still waiting (a backup that failed or was cancelled) are
   * rejected, not sealed: nobody will pack them.
   */
  async close(): Promise<void> {
    this.closed = true;
    const sealers = this.sealers ?? [];
    this.sealers = [];
    for (const sealer of sealers) {
      const waiting = [...sealer.waiting.values()];
      sealer.waiting.clear();
      for (const entry of waiting) entry.reject(new Error('The sealing workers were stopped.'));
    }
    await Promise.all(sealers.map((sealer) => sealer.worker.terminate().catch(() => 0)));
  }

  private inThread(batch: PlainBatch): SealedBatch {
    this.counts.inThread += 1;
    return sealBatch(this.key, this.compress, batch);
  }

  /** The ready worker with the fewest batches waiting; null when there is none to use yet. */
  private pick(): Sealer | null {
    if (this.closed || this.options.workers <= 0) return null;
    this.sealers ??= this.startAll();
    let best: Sealer | null = null;
    for (const sealer of this.sealers) {
      if (sealer.ready && (!best || sealer.waiting.size < best.waiting.size)) best = sealer;
    }
    return best;
  }

  private startAll(): Sealer[] {
    const setup: SealerSetup = {
      encrypt: this.key.encrypt,
      macK: this.key.macK,
      macR: this.key.macR,
      compress: this.compress,
    };
    const sealers: Sealer[] = [];
    for (let i = 0; i < this.options.workers; i++) {
      let worker: Worker;
      try {
        worker = (this.options.start ?? startSealWorker)(setup);
      } catch {
        // A build without the worker's file: seal on this thread.
        break;
      }
      const sealer: Sealer = { worker, waiting: new Map(), ready: false };
      worker.on('message', (answer: SealAnswer) => this.answered(sealer, answer));
      worker.on('error', () => this.retire(sealer));
      worker.on('exit', () => this.retire(sealer));
      worker.unref();
      sealers.push(sealer);
    }
    return sealers;
  }

  private answered(sealer: Sealer, answer: SealAnswer): void {
    if ('ready' in answer) {
      sealer.ready = true;
      return;
    }
    const waiting = sealer.waiting.get(answer.seq);
    if (!waiting) return;
    sealer.waiting.delete(answer.seq);
    if (sealer.waiting.size === 0) sealer.worker.unref();
    if ('error' in answer) {
      // The worker could not seal it (it could not load zstd, say): it gets no more batches,
      // and this thread tries.
      this.retire(sealer);
      void sealer.worker.terminate().catch(() => 0);
      this.settleInThread(waiting);
      return;
    }
    this.counts.workers += 1;
    waiting.resolve({
      data: new Uint8Array(answer.data),
      ends: answer.ends,
      uncompressedLengths: answer.uncompressedLengths,
    });
  }

  /** A worker failed or stopped: it gets no more batches, and its waiting ones are sealed here. */
  private retire(sealer: Sealer): void {
    if (this.sealers) this.sealers = this.sealers.filter((other) => other !== sealer);
    const waiting = [...sealer.waiting.values()];
    sealer.waiting.clear();
    sealer.worker.unref();
    for (const entry of waiting) this.settleInThread(entry);
  }

  private settleInThread(waiting: Waiting): void {
    try {
      waiting.resolve(this.inThread(waiting.batch));
    } catch (error) {
      waiting.reject(error);
    }
  }
}
