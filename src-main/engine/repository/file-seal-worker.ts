/**
 * A file-seal worker: reads the files it is given, one after the other, cuts them as the walk
 * would (file-chunks.ts), hashes each chunk, and compresses and seals each new one
 * (blob-sealing.ts, as BlobWriter would), sending them to the main thread in batches of up to
 * 4 MiB (file-seal-protocol.ts), at most CREDITS ahead. Between files it seals the batches of
 * small files the walk read and hashed itself (blob-batcher.ts).
 *
 * Note: this file is a worker entry (its own entry in electron.vite.config.ts, in
 * scripts/build-cli.mjs and in bench/repository.ts's bundle); file-sealer.ts starts it. It
 * reads the files and writes nothing.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { sealBlobInto, sealedRoom } from './blob-sealing';
import { FASTCDC_LIMITS } from './fastcdc';
import { planDatabaseChunks, readChunks, ReadBuffer } from './file-chunks';
import {
  CREDITS,
  type SealBlobsTask,
  type SealedBatch,
  type SealerMessage,
  type SealerRequest,
  type SealerSetup,
  type SealTask,
} from './file-seal-protocol';
import type { CryptoKey } from './restic-crypto';
import { hashId, type ResticId } from './restic-id';

/** A batch's buffer: room for the largest chunk sealed, and for a few hundred database blocks. */
const BATCH_BYTES = sealedRoom(FASTCDC_LIMITS.max);

/**
 * Bytes read at a time: a quarter of the walk's reads (file-chunks.ts), as each sealer keeps
 * its own buffer and the backup's memory is what the two cores' speed is traded against.
 */
const READ_SIZE = 2 * 1024 * 1024;

/** Chunks per batch at most (a batch of chunks only hashed has no sealed bytes to bound it). */
const BATCH_CHUNKS = 1024;

const setup = workerData as SealerSetup;
const key: CryptoKey = {
  encrypt: Buffer.from(setup.key.encrypt),
  macK: Buffer.from(setup.key.macK),
  macR: Buffer.from(setup.key.macR),
};
const readBuffer = new ReadBuffer();
const tasks: Array<SealTask | SealBlobsTask> = [];
let credits = CREDITS;
let wake: (() => void) | null = null;

/** Batch buffers the main thread gave back, to fill again. */
const spare: ArrayBuffer[] = [];

/** Tasks called off: dropped from the queue, or stopped at their next chunk. */
const cancelled = new Set<number>();

/** Thrown to leave a task called off. */
class Cancelled extends Error {}

parentPort?.on('message', (request: SealerRequest) => {
  if (request.kind === 'more') {
    credits += 1;
    // A batch of chunks only hashed had no buffer to fill (an empty one).
    if (request.sealed.byteLength === BATCH_BYTES) spare.push(request.sealed);
  } else if (request.kind === 'cancel') {
    const queued = tasks.findIndex((task) => task.task === request.task);
    if (queued >= 0) tasks.splice(queued, 1);
    else cancelled.add(request.task);
  } else if (request.kind === 'task') {
    // A file goes before the small files' batches waiting: the walk waits for its tree (a
    // database's blocks are a backup's longest wait), and for the batches only at its end.
    const batches = tasks.findIndex((task) => task.kind === 'blobs');
    if (batches < 0) tasks.push(request);
    else tasks.splice(batches, 0, request);
  } else {
    tasks.push(request);
  }
  wake?.();
  wake = null;
});

function post(message: SealerMessage, transfer: ArrayBuffer[] = []): void {
  parentPort?.postMessage(message, transfer);
}

/** Waits for room to send one more batch of `task` (throws Cancelled once it is called off). */
async function credit(task: number): Promise<void> {
  while (credits === 0) {
    await new Promise<void>((resolve) => (wake = resolve));
    if (cancelled.has(task)) throw new Cancelled();
  }
  credits -= 1;
}

/** A batch buffer of `room` bytes: a spare one when it fits, its own (transferable) otherwise. */
function batchBuffer(room: number): Buffer<ArrayBuffer> {
  return Buffer.from(
    room <= BATCH_BYTES ? (spare.pop() ?? new ArrayBuffer(BATCH_BYTES)) : new ArrayBuffer(room),
  );
}

/** Seals a batch of small files' contents, every one, and sends them back as one batch. */
async function sealBlobs(task: SealBlobsTask): Promise<void> {
  const plain = Buffer.from(task.plain);
  let room = 0;
  for (const length of task.lengths) room += sealedRoom(length);
  const sealed = batchBuffer(room);
  const layout = new Uint32Array(3 * task.lengths.length);
  let from = 0;
  let at = 0;
  for (let i = 0; i < task.lengths.length; i++) {
    const length = task.lengths[i]!;
    const place = sealBlobInto(
      key,
      setup.compress,
      plain.subarray(from, from + length),
      sealed,
      at,
    );
    layout[3 * i] = place.length;
    layout[3 * i + 1] = place.uncompressedLength;
    layout[3 * i + 2] = length;
    from += length;
    at += place.length;
  }
  await credit(task.task);
  const batch: SealedBatch = {
    kind: 'batch',
    task: task.task,
    ids: '',
    layout,
    sealed: sealed.buffer as ArrayBuffer,
  };
  post(batch, [batch.sealed, layout.buffer as ArrayBuffer]);
}

async function seal(task: SealTask): Promise<void> {
  const plan = task.plan === 'database' ? planDatabaseChunks(task.file) : task.plan;
  const skip = new Set<ResticId>();
  for (let at = 0; at < task.previous.length; at += 64) skip.add(task.previous.slice(at, at + 64));
  const empty = () => Buffer.from(new ArrayBuffer(0));
  let sealed = empty();
  let at = 0;
  let layout: number[] = [];
  let ids = '';
  const send = async () => {
    await credit(task.task);
    const batch: SealedBatch = {
      kind: 'batch',
      task: task.task,
      ids,
      layout: Uint32Array.from(layout),
      sealed: sealed.buffer as ArrayBuffer,
    };
    post(batch, [batch.sealed, batch.layout.buffer as ArrayBuffer]);
    sealed = empty();
    at = 0;
    layout = [];
    ids = '';
  };
  for await (const chunk of readChunks(task.file, plan, undefined, readBuffer, READ_SIZE)) {
    if (chunk.length === 0) continue;
    if (cancelled.has(task.task)) throw new Cancelled();
    if (layout.length === 3 * BATCH_CHUNKS) await send();
    const id = hashId(chunk);
    if (skip.has(id)) {
      ids += id;
      layout.push(0, 0, chunk.length);
      continue;
    }
    skip.add(id);
    const room = sealedRoom(chunk.length);
    if (at + room > sealed.length) {
      if (layout.length > 0) await send();
      // A buffer of its own (not a slice of Buffer's pool), so it can be transferred.
      sealed = batchBuffer(room);
    }
    ids += id;
    const place = sealBlobInto(key, setup.compress, chunk, sealed, at);
    layout.push(place.length, place.uncompressedLength, chunk.length);
    at += place.length;
  }
  if (layout.length > 0) await send();
}

for (;;) {
  cancelled.clear();
  const task = tasks.shift();
  if (!task) {
    await new Promise<void>((resolve) => (wake = resolve));
    continue;
  }
  try {
    await (task.kind === 'blobs' ? sealBlobs(task) : seal(task));
    post({ kind: 'done', task: task.task });
  } catch (error) {
    // A task called off says nothing more: the main thread has let it go.
    if (error instanceof Cancelled) continue;
    post({
      kind: 'failed',
      task: task.task,
      message: error instanceof Error ? error.message : String(error),
      code: (error as NodeJS.ErrnoException).code ?? null,
    });
  }
}
