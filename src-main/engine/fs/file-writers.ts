/**
 * Writes many files in worker threads with the blocking calls tar makes (open with O_CREAT |
 * O_EXCL, write, futimes, close), while the main thread goes on decompressing, checking and
 * hashing what comes next: a restore's unpacking, an export.
 *
 * Note: measured on `tend restore export` of 20,000 small files, creating the files was most
 * of the main thread's time (an `open` that creates a file blocks in the kernel, for tens of
 * milliseconds on a busy disk), so the export took longer than `tar xzf`, whose gzip runs in a
 * process of its own beside tar. Here the bytes of a file are copied into a batch (256 KiB, at
 * most 64 steps) whose buffer is transferred, not copied, to the least busy writer; a file that
 * spans batches stays with one writer. At most 4 MiB of batch buffers wait for the writers
 * (`room`): counted whole, not by the bytes in them (see MAX_OUTSTANDING_BYTES). The
 * writers are threads of their own, not libuv's pool, so the pool stays free for the requests
 * a person makes meanwhile (the web host's answers).
 *
 * Callers keep the checks: every path is judged, its folder made and its bytes hashed on the
 * main thread before a writer sees it; the writers only write.
 *
 * A file whose bytes come in no order (a restored file of many blobs) is opened on the main
 * thread and handed over by its descriptor (`writeAt`, `endAt`): its bytes are copied into the
 * batches like the others, and every step of one file goes to one writer, which writes them at
 * their positions in the order sent, then finishes and closes the file.
 */
import type { Worker } from 'node:worker_threads';
import { startWorkerModule } from '../jobs/worker-module';
import type {
  FileEnding,
  WriteBatch,
  WriteReply,
  WriteStep,
  WriterMessage,
} from './file-writer-protocol';

/** Bytes a batch holds before it is sent. */
export const BATCH_BYTES = 256 * 1024;
/** Steps (files, mostly) a batch holds before it is sent. */
const BATCH_STEPS = 64;
/**
 * Bytes of batch buffers sent and not yet answered above which `room` waits: 16 batches, up to
 * 1,024 small files ahead of the writers.
 *
 * Note: a batch's buffer is held whole, however little of it is used: 64 files of a few KiB
 * leave most of 256 KiB empty. Counted by the bytes used (at most 16 MiB), the medium demo's
 * restore (19,161 files, most of them small) had a few hundred buffers out and back at once,
 * about 50 MB of its peak memory (a heap snapshot: 128 spare buffers, 63 answers waiting). 4 MiB
 * against 16 took another 5-15 MB off that peak (2 runs each).
 */
const MAX_OUTSTANDING_BYTES = 4 * 1024 * 1024;

interface Lane {
  readonly worker: Worker;
  outstanding: number;
  /** Bytes sent to this writer in all. */
  sent: number;
  exited: Promise<void>;
}

interface Sent {
  readonly lane: Lane;
  /** Bytes of files in the batch: the writer's work. */
  readonly bytes: number;
  /** Bytes of the batch's buffer: the memory it holds until answered. */
  readonly held: number;
  readonly closed: ReadonlyArray<() => void>;
}

/** An error of a writer, as the `fs` call threw it (its `code` kept for the caller's mapping). */
function writerError(reply: Extract<WriteReply, { ok: false }>): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(reply.message);
  if (reply.code !== undefined) error.code = reply.code;
  error.path = reply.path;
  return error;
}

/** Worker threads that write files in order of arrival; see the file comment. */
export class FileWriters {
  private readonly lanes: Lane[] = [];
  private readonly spare: ArrayBuffer[] = [];
  private buffer: Buffer;
  private used = 0;
  private steps: WriteStep[] = [];
  private closed: Array<() => void> = [];
  /** The step of the file being written, in the batch being filled. */
  private current: WriteStep | null = null;
  private fileOpen = false;
  /** The lane of a file left open at the end of the last batch sent. */
  private pinned: Lane | null = null;
  /** The lane the batch being filled must go to: that of the handed-over files in it. */
  private batchLane: Lane | null = null;
  /** The lane of each handed-over file (by the caller's key) until it is finished. */
  private readonly keyLanes = new Map<number, Lane>();
  private nextId = 0;
  private readonly sent = new Map<number, Sent>();
  private outstanding = 0;
  private failure: Error | null = null;
  private waiters: Array<() => void> = [];
  private stopping = false;

  /** Starts `count` writer threads (at least one). */
  constructor(count: number) {
    this.buffer = this.freshBuffer(BATCH_BYTES);
    for (let i = 0; i < Math.max(1, count); i++) {
      // A writer closes descriptors this thread opened (writeAt), which a thread that tracks
      // its own descriptors warns of on every close; each file it opens itself it also closes.
      const worker = startWorkerModule(
        { name: 'file-writer-worker', from: import.meta.url, missingCode: 'INTERNAL' },
        { trackUnmanagedFds: false },
      );
      const exited = new Promise<void>((resolve) =>
        worker.once('exit', (code) => {
          if (!this.stopping) this.fail(new Error(`A file writer stopped early (exit ${code}).`));
          resolve();
        }),
      );
      const lane: Lane = { worker, outstanding: 0, sent: 0, exited };
      worker.on('message', (reply: WriteReply) => this.answered(reply));
      worker.on('error', (error) => this.fail(error));
      this.lanes.push(lane);
    }
  }

  /** Starts a file at `absolute` (created, never replaced, with `mode`) for the bytes to come. */
  open(absolute: string, mode: number): void {
    if (this.fileOpen) throw new Error('FileWriters: a file is already open.');
    this.fileOpen = true;
    this.current = { path: absolute, mode, start: this.used, length: 0 };
    this.steps.push(this.current);
  }

  /** Appends bytes to the open file (copied: `chunk` may be reused once this returns). */
  write(chunk: Buffer): void {
    if (!this.fileOpen) throw new Error('FileWriters: no file is open.');
    if (this.used + chunk.length > this.buffer.length) {
      const opened = this.current;
      if (opened?.path !== undefined && opened.length === 0) {
        // None of the file's bytes are in the batch yet: the batch goes without it, and the
        // file starts the next one, free to go to any writer. Sent along, it would tie the next
        // batch to the same writer, and as batches fill up within a file, every batch after
        // it (20,000 small files went to one writer of two).
        this.steps.pop();
        this.fileOpen = false;
        this.flush();
        this.fileOpen = true;
        this.current = { path: opened.path, mode: opened.mode, start: this.used, length: 0 };
        this.steps.push(this.current);
      } else {
        this.flush();
      }
      if (chunk.length > this.buffer.length) this.buffer = this.freshBuffer(chunk.length);
    }
    const step = this.currentStep();
    chunk.copy(this.buffer, this.used);
    this.used += chunk.length;
    step.length += chunk.length;
  }

  /**
   * Ends the open file: finished as `ending` says (fsync, exact mode), its times set to
   * `mtimeSeconds` (and `ending.atimeSeconds`), then closed. `onClosed` runs once a writer has
   * closed it.
   */
  close(mtimeSeconds: number, onClosed?: () => void, ending?: FileEnding): void {
    if (!this.fileOpen) throw new Error('FileWriters: no file is open.');
    const step = this.currentStep();
    step.mtimeSeconds = mtimeSeconds;
    if (ending) step.ending = ending;
    this.current = null;
    this.fileOpen = false;
    if (onClosed) this.closed.push(onClosed);
    if (this.steps.length >= BATCH_STEPS || this.used >= BATCH_BYTES) this.flush();
  }

  /**
   * Writes `chunk` at `position` of `fd`, a file the main thread opened and hands over (`key`
   * names the file: all its steps go to one writer). Copied: `chunk` may be reused once this
   * returns. No file may be open (`open`) meanwhile.
   */
  writeAt(key: number, fd: number, named: string, position: number, chunk: Uint8Array): void {
    let done = 0;
    while (done < chunk.length) {
      if (this.used === this.buffer.length) this.flush();
      this.laneFor(key);
      const length = Math.min(chunk.length - done, this.buffer.length - this.used);
      const last = this.steps.at(-1);
      if (
        last?.fd === fd &&
        last.mtimeSeconds === undefined &&
        !last.closeOnly &&
        last.start + last.length === this.used &&
        (last.position ?? 0) + last.length === position + done
      ) {
        last.length += length;
      } else {
        this.steps.push({ fd, named, position: position + done, start: this.used, length });
      }
      this.buffer.set(chunk.subarray(done, done + length), this.used);
      this.used += length;
      done += length;
    }
    if (this.steps.length >= BATCH_STEPS) this.flush();
  }

  /**
   * After the bytes written with `writeAt`: the writer finishes the file as `finish` says (its
   * times, and `ending`) and closes `fd`; with `finish` null it only closes it (the caller may
   * open the file again, and its steps then go to the same writer).
   */
  endAt(
    key: number,
    fd: number,
    named: string,
    finish: { mtimeSeconds: number; ending?: FileEnding } | null,
  ): void {
    this.laneFor(key);
    this.steps.push(
      finish
        ? { fd, named, start: this.used, length: 0, ...finish }
        : { fd, named, start: this.used, length: 0, closeOnly: true },
    );
    if (finish) this.keyLanes.delete(key);
    if (this.steps.length >= BATCH_STEPS) this.flush();
  }

  /** Bytes sent to each writer so far: how evenly the work was spread. */
  get bytesPerWriter(): ReadonlyArray<number> {
    return this.lanes.map((lane) => lane.sent);
  }

  /** Whether `room` would wait: too many buffers wait for the writers, or one has failed. */
  get full(): boolean {
    return this.failure !== null || this.outstanding > MAX_OUTSTANDING_BYTES;
  }

  /** Waits while too many buffers wait for the writers; throws a writer's failure. */
  async room(): Promise<void> {
    while (!this.failure && this.outstanding > MAX_OUTSTANDING_BYTES) await this.answer();
    if (this.failure) throw this.failure;
  }

  /** Sends what is left and waits until every file is written; throws a writer's failure. */
  async finish(): Promise<void> {
    if (this.fileOpen) throw new Error('FileWriters: a file is still open.');
    this.flush();
    while (!this.failure && this.sent.size > 0) await this.answer();
    if (this.failure) throw this.failure;
  }

  /**
   * Stops the writers once they have done what they were sent (an open file is closed), and
   * waits for them: after this nothing writes into the target any more. What was gathered and
   * not sent is dropped, but for the closes of descriptors handed over (writeAt), which are sent
   * (a writer that failed still makes them): none is left open.
   */
  async stop(): Promise<void> {
    if (!this.stopping) this.sendClosesOnly();
    this.stopping = true;
    const stop: WriterMessage = 'stop';
    for (const lane of this.lanes) lane.worker.postMessage(stop);
    await Promise.all(this.lanes.map((lane) => lane.exited));
  }

  /**
   * Makes the batch being filled go to the lane of handed-over file `key`: the file's lane, or
   * (a new file) the batch's, chosen now. A batch bound to another lane is sent first.
   */
  private laneFor(key: number): void {
    if (this.fileOpen) throw new Error('FileWriters: a file is open.');
    const bound = this.batchLane ?? this.pinned;
    const wanted = this.keyLanes.get(key);
    if (wanted && bound && wanted !== bound) this.flush();
    this.batchLane ??= wanted ?? this.pinned ?? this.leastBusy();
    this.keyLanes.set(key, this.batchLane);
  }

  /** Drops the batch being filled but for the closes of its handed-over descriptors, sent. */
  private sendClosesOnly(): void {
    this.steps = this.steps
      .filter(
        (step) => step.fd !== undefined && (step.mtimeSeconds !== undefined || step.closeOnly),
      )
      .map((step) => ({ fd: step.fd, named: step.named, start: 0, length: 0, closeOnly: true }));
    this.fileOpen = false;
    this.current = null;
    this.closed = [];
    this.used = 0;
    this.flush();
  }

  private currentStep(): WriteStep {
    if (!this.current) {
      // The file's first bytes went in an earlier batch: it goes on here.
      this.current = { start: this.used, length: 0 };
      this.steps.push(this.current);
    }
    return this.current;
  }

  private freshBuffer(bytes: number): Buffer {
    const reused = bytes === BATCH_BYTES ? this.spare.pop() : undefined;
    return Buffer.from(reused ?? new ArrayBuffer(bytes));
  }

  private flush(): void {
    if (this.steps.length === 0) return;
    const lane = this.batchLane ?? this.pinned ?? this.leastBusy();
    const id = this.nextId++;
    const buffer = this.buffer.buffer as ArrayBuffer;
    // Read before the transfer, which leaves `buffer` empty here.
    const held = buffer.byteLength;
    const batch: WriterMessage = { id, buffer, steps: this.steps } satisfies WriteBatch;
    lane.worker.postMessage(batch, [buffer]);
    this.sent.set(id, { lane, bytes: this.used, held, closed: this.closed });
    lane.outstanding += this.used;
    lane.sent += this.used;
    this.outstanding += held;
    // A file still open goes on in the same writer, in the next batch.
    this.pinned = this.fileOpen ? lane : null;
    this.batchLane = null;
    this.current = null;
    this.steps = [];
    this.closed = [];
    this.used = 0;
    this.buffer = this.freshBuffer(BATCH_BYTES);
  }

  private leastBusy(): Lane {
    let best = this.lanes[0]!;
    for (const lane of this.lanes) if (lane.outstanding < best.outstanding) best = lane;
    return best;
  }

  private answered(reply: WriteReply): void {
    const sent = this.sent.get(reply.id);
    if (!sent) return;
    this.sent.delete(reply.id);
    sent.lane.outstanding -= sent.bytes;
    this.outstanding -= sent.held;
    if (reply.buffer?.byteLength === BATCH_BYTES) this.spare.push(reply.buffer);
    if (reply.ok) {
      try {
        for (const onClosed of sent.closed) onClosed();
      } catch (error) {
        this.fail(error as Error);
      }
    } else {
      this.fail(writerError(reply));
    }
    this.wake();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }

  private answer(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}
