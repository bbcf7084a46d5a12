/**
 * A file-writer worker: creates, writes, stamps and closes the files of each batch it is sent,
 * in order, with the blocking calls tar makes (open with O_CREAT | O_EXCL, write, fchmod when
 * asked, futimes, close), off the main thread.
 *
 * Note: this file is a worker entry (its own entry in electron.vite.config.ts and in
 * scripts/build-cli.mjs); file-writers.ts starts it and sends it batches (file-writer-protocol.ts).
 * After a failure it writes nothing more and answers every later batch with the same failure.
 */
import fs from 'node:fs';
import { parentPort } from 'node:worker_threads';
import type { WriteBatch, WriteReply, WriterMessage } from './file-writer-protocol';

let fd: number | null = null;
let failure: Omit<Extract<WriteReply, { ok: false }>, 'id' | 'buffer'> | null = null;
let currentPath = '';

function run(batch: WriteBatch): void {
  const bytes = new Uint8Array(batch.buffer);
  for (const step of batch.steps) {
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
      try {
        const ending = step.ending;
        // The order restore-file-writer keeps: the bytes durable, then the mode, then the times.
        if (ending?.sync) fs.fsyncSync(open);
        if (ending?.mode !== undefined) fs.fchmodSync(open, ending.mode);
        fs.futimesSync(open, ending?.atimeSeconds ?? step.mtimeSeconds, step.mtimeSeconds);
      } finally {
        fs.closeSync(open);
      }
    }
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
    }
  }
  const reply: WriteReply = failure ? { id: batch.id, ...failure } : { id: batch.id, ok: true };
  // The buffer goes back with the answer, for the next batch.
  parentPort?.postMessage({ ...reply, buffer: batch.buffer }, [batch.buffer]);
});
