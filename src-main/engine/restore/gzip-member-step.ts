/**
 * One step of reading a gzip file member by member: at a member's start, the whole member
 * inflated straight into the caller's buffers and its end found, or a doubt, and then the rest
 * is read as one stream (archive-inflate-worker.ts).
 *
 * Note: Tend's archives are many independent members (backup/gzip-members.ts) whose headers
 * Node writes with no optional field (`1f 8b 08 00`, a zero time, XFL, OS): ten bytes. Where
 * a member ends is not recorded, but raw inflate stops at the end of its deflate data and says
 * how much it read, and the trailer after it (CRC-32, size) is checked here as gunzip checks
 * it. A bound found by chance inside a member cannot pass: inflate decides where the member's
 * data ends, not the bytes after it, and the CRC-32 and size must match. Anything else
 * (another header form, a member larger than the window, damage, a short file) is a doubt: the
 * caller drops what the member gave and reads the rest with a gunzip stream from its start, so
 * foreign, old and damaged archives read and fail as they did.
 *
 * The inflate writes into the caller's buffers through the zlib handle that Node's own
 * `inflateRawSync` drives (`_handle.writeSync`, `_writeState`): measured on the 20,000-file
 * bench tree (213 MiB), `inflateRawSync` per member faulted in a fresh 4 MiB buffer for every
 * member (100,000 page faults in a worker thread) and its bytes were then copied once more;
 * this way there is neither. Where a Node lacks that handle, every member is a doubt and the
 * stream reads the archive, as before.
 */
import zlib from 'node:zlib';

/** Bytes of the fixed member header Node writes (no name, comment, extra field or CRC). */
const HEADER_BYTES = 10;
/** CRC-32 and size, after the deflate data. */
const TRAILER_BYTES = 8;

/** What the bytes at a member's start are. */
export type MemberStep =
  /** A whole member, its bytes given to the sink: how many bytes of the file it took. */
  | { readonly kind: 'member'; readonly size: number }
  /** A zero after a member: padding, which gunzip skips when only zeros follow. */
  | { readonly kind: 'padding' }
  /** Not sure what comes: drop what the sink got and read the rest as one gunzip stream. */
  | { readonly kind: 'serial' };

/** Where a member's decompressed bytes go as they come. */
export interface MemberSink {
  /** Free space to inflate into, at least one byte. */
  space(): Promise<Buffer>;
  /** The first `bytes` of the last space now hold output. */
  filled(bytes: number): void;
}

/** The zlib handle behind `zlib.InflateRaw`, as Node's `processChunkSync` calls it. */
interface RawHandle {
  writeSync(
    flush: number,
    input: Buffer,
    inOffset: number,
    inLength: number,
    output: Buffer,
    outOffset: number,
    outLength: number,
  ): void;
}

interface HandleInternals {
  _handle?: RawHandle;
  _writeState?: Uint32Array;
}

/** A raw inflater that writes into given buffers, reused from member to member. */
export class MemberInflater {
  private inflater: zlib.InflateRaw | null = null;

  /** Whether this Node has the handle (else every member is a doubt). */
  static get available(): boolean {
    const probe = zlib.createInflateRaw() as unknown as HandleInternals & zlib.InflateRaw;
    const ok =
      typeof probe._handle?.writeSync === 'function' && probe._writeState instanceof Uint32Array;
    probe.close();
    return ok;
  }

  /**
   * Inflates `input` (all of it there is) into `output`: what it read and wrote, and whether
   * the deflate data ended; null when it is damaged or cut short.
   */
  step(
    input: Buffer,
    output: Buffer,
    fresh: boolean,
  ): { read: number; wrote: number; ended: boolean } | null {
    if (fresh || !this.inflater || this.inflater.destroyed) {
      if (this.inflater && !this.inflater.destroyed) {
        this.inflater.reset();
      } else {
        this.inflater = zlib.createInflateRaw();
        // Its failure is a doubt, told by `destroyed`; the stream that reads on reports it.
        this.inflater.on('error', () => undefined);
      }
    }
    const internals = this.inflater as unknown as HandleInternals;
    const state = internals._writeState!;
    internals._handle!.writeSync(
      zlib.constants.Z_FINISH,
      input,
      0,
      input.length,
      output,
      0,
      output.length,
    );
    // zlib's errors (damaged data, input that ends inside the member) destroy the stream.
    if (this.inflater.destroyed) return null;
    const availOut = state[0]!;
    const availIn = state[1]!;
    // With Z_FINISH and all the input, room left over means the deflate data ended.
    return { read: input.length - availIn, wrote: output.length - availOut, ended: availOut > 0 };
  }

  close(): void {
    this.inflater?.close();
    this.inflater = null;
  }
}

/**
 * Reads the member that starts at `window[0]` into `sink`. `window` holds the file from there,
 * as far as it was read (not empty); `first` says no member came before (a file may not start
 * with padding); a member may give at most `maxOutput` bytes.
 */
export async function readMemberStep(
  window: Buffer,
  first: boolean,
  inflater: MemberInflater,
  sink: MemberSink,
  maxOutput: number,
): Promise<MemberStep> {
  if (!first && window[0] === 0) return { kind: 'padding' };
  if (window.length < HEADER_BYTES + TRAILER_BYTES) return { kind: 'serial' };
  // The header Node writes: deflate, no flags (so no optional fields before the data).
  if (window[0] !== 0x1f || window[1] !== 0x8b || window[2] !== 8 || window[3] !== 0) {
    return { kind: 'serial' };
  }
  let at = HEADER_BYTES;
  let crc = 0;
  let size = 0;
  for (let fresh = true; ; fresh = false) {
    const space = await sink.space();
    const step = inflater.step(window.subarray(at), space, fresh);
    if (!step) return { kind: 'serial' };
    crc = zlib.crc32(space.subarray(0, step.wrote), crc);
    size += step.wrote;
    at += step.read;
    sink.filled(step.wrote);
    if (size > maxOutput) return { kind: 'serial' };
    if (step.ended) break;
  }
  if (at + TRAILER_BYTES > window.length) return { kind: 'serial' };
  if (window.readUInt32LE(at) !== crc) return { kind: 'serial' };
  if (window.readUInt32LE(at + 4) !== size % 2 ** 32) return { kind: 'serial' };
  return { kind: 'member', size: at + TRAILER_BYTES };
}
