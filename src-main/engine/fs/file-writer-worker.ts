/**
 * A file-writer worker: creates, writes, stamps and closes the files of each batch it is sent,
 * in order, with the blocking calls tar makes (open with O_CREAT | O_EXCL, write, fchmod when
 * asked, futimes, close), off the main thread.
 *
 * Note: this file is a worker entry (its own entry in electron.vite.config.ts and in
 * scripts/build-cli.mjs); file-writers.ts starts it and sends it batches (file-writer-protocol.ts).
 * After a failure it writes nothing more and answers every later batch with the same failure;
 * it still closes the descriptors the main thread handed over (steps with `fd`), so none is left
 * open, and none is closed by the main thread while a write to it may still be waiting here.
 */
import fs from 'node:fs';
import { parentPort } from 'node:worker_threads';
import type { WriteBatch, WriteReply, WriteStep, WriterMessage } from './file-writer-protocol';

let fd: number | null = null;
let failure: Omit<Extract<WriteReply, { ok: false }>, 'id' | 'buffer'> | null = null;
let currentPath = '';

/** Index of the step `run` is at: after a failure, the steps from there on are not written. */
let at = 0;

function run(batch: WriteBatch): void {
  const bytes = new Uint8Array(batch.buffer);
  for (at = 0; at < batch.steps.length; at++) {
    const step = batch.steps[at]!;
    if (step.fd !== undefined) {
      onDescriptor(bytes, step);
      continue;
    }
    if (step.path !== undefined) {
      currentPath = step.path;
      fd = fs.openSync(step.path, 'wx', step.mode);
    }
    if (fd === null) throw new Error('A write came before its file was opened.');
    let offset = step.start;
    const end = step.start + step.length;
    while (offset < end) offset += fs.writeSync(fd, bytes, offset, end - offset);
    if (step.mtimeSeconds !== undefined) {
      const open = fd;
      fd = null;
      finish(open, step, step.mtimeSeconds);
    }
  }
}

/** A step on a descriptor the main thread opened: bytes at their position, then its end. */
function onDescriptor(bytes: Uint8Array, step: WriteStep): void {
  const descriptor = step.fd!;
  currentPath = step.named ?? '';
  let position = step.position ?? 0;
  let offset = step.start;
  const end = step.start + step.length;
  try {
    while (offset < end) {
      const written = fs.writeSync(descriptor, bytes, offset, end - offset, position);
      if (written === 0) throw new Error(`no byte written to ${currentPath}`);
      offset += written;
      position += written;
    }
  } catch (error) {
    // The close this step was to make is made all the same; the failure goes on up.
    if (closes(step)) closeQuietly(descriptor);
    throw error;
  }
  if (step.mtimeSeconds !== undefined) finish(descriptor, step, step.mtimeSeconds);
  else if (step.closeOnly) fs.closeSync(descriptor);
}

/** Whether a step on a handed-over descriptor ends with its close. */
function closes(step: WriteStep): boolean {
  return step.mtimeSeconds !== undefined || step.closeOnly === true;
}

function closeQuietly(descriptor: number): void {
  try {
    fs.closeSync(descriptor);
  } catch {
    // Nothing more to do with a descriptor that will not close.
  }
}

/** Finishes a file whose bytes are in as its step asks, then closes it (always). */
function finish(descriptor: number, step: WriteStep, mtimeSeconds: number): void {
  try {
    const ending = step.ending;
    // The order restore-file-writer keeps: the bytes durable, then the mode, then the times.
    if (ending?.sync) fs.fsyncSync(descriptor);
    if (ending?.mode !== undefined) fs.fchmodSync(descriptor, ending.mode);
    fs.futimesSync(descriptor, ending?.atimeSeconds ?? mtimeSeconds, mtimeSeconds);
  } finally {
    fs.closeSync(descriptor);
  }
}

/**
 * After a failure: closes the handed-over descriptors that the steps from `from` on would have
 * closed, writing nothing. The step that failed has closed its own already (onDescriptor,
 * finish): closing a number twice could close a file the main thread has opened since.
 */
function closeHandedOver(steps: ReadonlyArray<WriteStep>, from: number): void {
  for (const step of steps.slice(from)) {
    if (step.fd !== undefined && closes(step)) closeQuietly(step.fd);
  }
}

function closeOpenFile(): void {
  if (fd === null) return;
  try {
    fs.closeSync(fd);
  } catch {
    // Only a failure or a stop leaves a file open; what it says is reported already.
  }
  fd = null;
}

parentPort?.on('message', (batch: WriterMessage) => {
  if (batch === 'stop') {
    // Everything sent before has been written: close what is open and end the thread.
    closeOpenFile();
    process.exit(0);
  }
  if (!failure) {
    try {
      run(batch);
    } catch (error) {
      const caught = error as NodeJS.ErrnoException;
      failure = { ok: false, code: caught.code, message: caught.message, path: currentPath };
      closeOpenFile();
      closeHandedOver(batch.steps, at + 1);
    }
  } else {
    closeHandedOver(batch.steps, 0);
  }
  const reply: WriteReply = failure ? { id: batch.id, ...failure } : { id: batch.id, ok: true };
  // The buffer goes back with the answer, for the next batch.
  parentPort?.postMessage({ ...reply, buffer: batch.buffer }, [batch.buffer]);
});
