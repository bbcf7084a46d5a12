/**
 * The archive-inflate worker: reads a .tar.gz and decompresses it, member by member where it
 * can (gzip-member-step.ts), else as one gunzip stream, and sends the bytes in order in
 * buffers the main thread gives back once read.
 *
 * Note: this file is a worker entry (its own entry in electron.vite.config.ts and in
 * scripts/build-cli.mjs); archive-inflate.ts starts it with the archive as its data.
 */
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { parentPort, workerData } from 'node:worker_threads';
import zlib from 'node:zlib';
import type { InflateMessage, InflateReturn, InflateTask } from './archive-inflate-protocol';
import { MemberInflater, readMemberStep, type MemberSink } from './gzip-member-step';

/** Compressed bytes a member may take and still be read in one go (Tend's: about 4 MiB). */
const MAX_MEMBER_BYTES = 6 * 1024 * 1024;
/** The read window: refilled when less than a member is left, so few bytes move. */
const WINDOW_BYTES = 16 * 1024 * 1024;
/** Reads of the gunzip stream, when the rest is read as one. */
const STREAM_READ_BYTES = 1024 * 1024;

const task = workerData as InflateTask;
/** Slots of the shared ring not held by the main thread nor filled here. */
const free: number[] = Array.from({ length: task.buffers }, (_, slot) => task.buffers - 1 - slot);
let wake: (() => void) | null = null;

function send(message: InflateMessage, transfer: ArrayBuffer[] = []): void {
  parentPort?.postMessage(message, transfer);
}

parentPort?.on('message', (returned: InflateReturn) => {
  free.push(returned.slot);
  wake?.();
  wake = null;
});

/** The slot of the ring a buffer is. */
function slotOf(buffer: Buffer): number {
  return buffer.byteOffset / task.bufferBytes;
}

/**
 * Decompressed bytes go out in full buffers, in order. A member's bytes are held until it is
 * known whole (`keep`), or dropped (`drop`) when the stream must read it again.
 */
class Output implements MemberSink {
  private buffer: Buffer | null = null;
  private used = 0;
  /** Buffers filled since the last `keep`, not sent yet. */
  private held: Buffer[] = [];
  /** Where the bytes since the last `keep` start: in `held[0]`, else in `buffer`. */
  private keptUsed = 0;

  /** Most bytes `held` may reach: the main thread holds the others. */
  get maxHeld(): number {
    return Math.floor(task.buffers / 2) * task.bufferBytes;
  }

  async space(): Promise<Buffer> {
    if (this.buffer && this.used === this.buffer.length) {
      this.held.push(this.buffer);
      this.buffer = null;
    }
    if (!this.buffer) {
      this.buffer = await this.take();
      this.used = 0;
    }
    return this.buffer.subarray(this.used);
  }

  filled(bytes: number): void {
    this.used += bytes;
  }

  /** Appends bytes and keeps them. */
  async write(data: Buffer): Promise<void> {
    let at = 0;
    while (at < data.length) {
      const space = await this.space();
      const copied = data.copy(space, 0, at);
      this.filled(copied);
      at += copied;
    }
    this.keep();
  }

  /** The bytes since the last `keep` are sound: full buffers go. */
  keep(): void {
    for (const buffer of this.held) this.post(buffer, buffer.length);
    this.held = [];
    if (this.buffer && this.used === this.buffer.length) {
      this.post(this.buffer, this.used);
      this.buffer = null;
      this.used = 0;
    }
    this.keptUsed = this.used;
  }

  /** Forgets the bytes since the last `keep`. */
  drop(): void {
    const first = this.held.shift();
    if (first) {
      if (this.buffer) free.push(slotOf(this.buffer));
      for (const buffer of this.held) free.push(slotOf(buffer));
      this.held = [];
      this.buffer = first;
    }
    this.used = this.keptUsed;
  }

  /** Sends what is kept, full or not (at the end), and forgets the rest. */
  flush(): void {
    this.drop();
    if (this.buffer && this.used > 0) this.post(this.buffer, this.used);
    this.buffer = null;
    this.used = 0;
    this.keptUsed = 0;
  }

  private post(buffer: Buffer, length: number): void {
    send({ kind: 'data', slot: slotOf(buffer), length });
  }

  private async take(): Promise<Buffer> {
    while (free.length === 0) await new Promise<void>((resolve) => (wake = resolve));
    const slot = free.pop()!;
    return Buffer.from(task.ring, slot * task.bufferBytes, task.bufferBytes);
  }
}

/** The archive read through a window: `bytes` from `start` to `end` are the next unread ones. */
class Input {
  readonly bytes = Buffer.allocUnsafeSlow(WINDOW_BYTES);
  start = 0;
  end = 0;
  /** The file's offset of `bytes[start]`. */
  offset = 0;
  eof = false;
  private position = 0;

  constructor(private readonly fd: number) {}

  /** What is left in the window. */
  get rest(): Buffer {
    return this.bytes.subarray(this.start, this.end);
  }

  /** Moves what is left to the front and reads until the window is full or the file ends. */
  fill(): void {
    if (this.start > 0) {
      this.bytes.copy(this.bytes, 0, this.start, this.end);
      this.end -= this.start;
      this.start = 0;
    }
    while (this.end < this.bytes.length && !this.eof) {
      const read = this.readInto(this.bytes, this.end);
      if (read === 0) this.eof = true;
      this.end += read;
    }
  }

  take(bytes: number): void {
    this.start += bytes;
    this.offset += bytes;
  }

  /** Reads the next bytes of the file after the window into `into` at `at`; 0 at its end. */
  readInto(into: Buffer, at: number): number {
    const read = fs.readSync(this.fd, into, at, into.length - at, this.position);
    this.position += read;
    if (read > 0 && task.sendRead) {
      // A buffer of its own (Buffer.from may take a slice of the shared pool, not to be sent).
      const copy = new ArrayBuffer(read);
      new Uint8Array(copy).set(into.subarray(at, at + read));
      send({ kind: 'read', buffer: copy }, [copy]);
    }
    return read;
  }
}

/** The rest of the file from `input`'s window on, as one gunzip stream (as tar and Node read it). */
async function readSerially(input: Input, output: Output): Promise<void> {
  async function* compressed(): AsyncGenerator<Buffer> {
    if (input.end > input.start) yield Buffer.from(input.rest);
    for (;;) {
      const chunk = Buffer.allocUnsafe(STREAM_READ_BYTES);
      const read = input.readInto(chunk, 0);
      if (read === 0) return;
      yield chunk.subarray(0, read);
    }
  }
  await pipeline(
    compressed(),
    zlib.createGunzip({ chunkSize: task.bufferBytes }),
    async (source: AsyncIterable<Buffer>) => {
      for await (const chunk of source) await output.write(chunk);
    },
  );
}

/** Whether only zeros are left in the file (gunzip's padding after the last member). */
function onlyZerosLeft(input: Input): boolean {
  for (;;) {
    const rest = input.rest;
    for (let i = 0; i < rest.length; i++) if (rest[i] !== 0) return false;
    input.take(rest.length);
    if (input.eof) return true;
    input.fill();
  }
}

async function run(output: Output): Promise<InflateMessage> {
  const fd = fs.openSync(task.archivePath, 'r');
  const inflater = new MemberInflater();
  try {
    const input = new Input(fd);
    let members = 0;
    let serialFrom: number | null = null;
    for (;;) {
      if (input.end - input.start < MAX_MEMBER_BYTES) input.fill();
      if (input.end === input.start) break;
      const window = input.bytes.subarray(
        input.start,
        Math.min(input.end, input.start + MAX_MEMBER_BYTES),
      );
      const step = byMember
        ? await readMemberStep(window, members === 0, inflater, output, output.maxHeld)
        : ({ kind: 'serial' } as const);
      if (step.kind === 'member') {
        output.keep();
        input.take(step.size);
        members++;
        continue;
      }
      output.drop();
      if (step.kind === 'padding') {
        if (onlyZerosLeft(input)) break;
        return {
          kind: 'error',
          code: 'Z_DATA_ERROR',
          message: 'there are bytes after the zeros that end the compressed data',
        };
      }
      serialFrom = input.offset;
      await readSerially(input, output);
      break;
    }
    return { kind: 'end', members, serialFrom };
  } finally {
    inflater.close();
    fs.closeSync(fd);
  }
}

const byMember = MemberInflater.available;
const output = new Output();
run(output).then(
  (last) => {
    output.flush();
    send(last);
  },
  (error: NodeJS.ErrnoException) => {
    // What was decompressed before the failure goes first, as a gunzip stream gives it.
    output.flush();
    send({ kind: 'error', code: error.code, message: error.message });
  },
);
