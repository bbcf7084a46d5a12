/**
 * A streaming reader of the tar format: ustar headers, with pax (`x`) and GNU long-name (`L`,
 * `K`) extensions, over decompressed chunks.
 *
 * Note: our own reader rather than node-tar's Parser or Unpack. Unpack writes files through a
 * chain of streams and checks that cost about four times GNU tar's time on many small files;
 * the restore needs only to see each header before any byte is written and to hand the data
 * slices, without copies, to a hash and a plain `fs.writeSync`. The format is small and fixed
 * (POSIX.1-2001); this file is all of it that Tend reads.
 */
import { TendFailure } from '../../../src-shared/errors';
import { decodeName } from '../fs/raw-name';

/** What an archive entry is, before anything trusts it. */
export type TarEntryType =
  | 'file'
  | 'directory'
  | 'symlink'
  | 'hardlink'
  | 'character-device'
  | 'block-device'
  | 'fifo'
  | 'other';

/** One entry's header, with pax and GNU long names applied. */
export interface TarHeader {
  readonly path: string;
  readonly type: TarEntryType;
  /** The raw type flag, for messages. */
  readonly flag: string;
  readonly size: number;
  readonly mode: number;
  readonly mtimeSeconds: number;
  readonly linkPath: string;
}

/** Receives one entry's data; slices are views of the reader's buffer, valid only during the call. */
export interface TarEntrySink {
  data(chunk: Buffer): void;
  end(): void;
}

/** Decides, from a header, what happens to the entry's data: a sink, or null to skip it. */
export type TarVisitor = (header: TarHeader) => TarEntrySink | null;

const BLOCK = 512;
/** pax and GNU long-name records above this are refused: no honest path is that long. */
const MAX_META_BYTES = 1024 * 1024;

function corrupt(message: string): TendFailure {
  return new TendFailure('RESTORE_ARCHIVE_CORRUPT', message);
}

function readString(block: Buffer, offset: number, length: number): string {
  const end = block.indexOf(0, offset);
  const stop = end === -1 || end > offset + length ? offset + length : end;
  return block.toString('utf8', offset, stop);
}

/** A name field: its exact bytes, decoded as raw-name.ts does (names need not be UTF-8). */
function readName(block: Buffer, offset: number, length: number): string {
  const end = block.indexOf(0, offset);
  const stop = end === -1 || end > offset + length ? offset + length : end;
  return decodeName(block.subarray(offset, stop));
}

function readOctal(block: Buffer, offset: number, length: number, field: string): number {
  // The usual field, as tar writes it: octal digits, then spaces and NULs to its end. Read here
  // without a string (a fifth of the reader's time on 20,000 small files); anything else takes
  // the general way below, which decides as before.
  let value = 0;
  let at = offset;
  const end = offset + length;
  while (at < end && block[at]! >= 0x30 && block[at]! <= 0x37) {
    value = value * 8 + block[at]! - 0x30;
    at++;
  }
  if (at > offset && at < end && value <= Number.MAX_SAFE_INTEGER) {
    let rest = at;
    while (rest < end && (block[rest] === 0 || block[rest] === 0x20)) rest++;
    if (rest === end) return value;
  }
  return readOctalField(block, offset, length, field);
}

function readOctalField(block: Buffer, offset: number, length: number, field: string): number {
  // GNU base-256 for values that do not fit in octal: high bit set on the first byte.
  const first = block[offset] ?? 0;
  if (first & 0x80) {
    if (first === 0xff) throw corrupt(`A tar header has a negative ${field}.`);
    let value = first & 0x7f;
    for (let i = 1; i < length; i++) value = value * 256 + (block[offset + i] ?? 0);
    if (!Number.isSafeInteger(value)) throw corrupt(`A tar header's ${field} is too large.`);
    return value;
  }
  const text = readString(block, offset, length).trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) throw corrupt(`A tar header's ${field} is not a number.`);
  return parseInt(text, 8);
}

function checksumOk(block: Buffer): boolean {
  const stored = readOctal(block, 148, 8, 'checksum');
  // Every byte, with the checksum field's eight counted as spaces.
  let sum = 8 * 32;
  for (let i = 0; i < 148; i++) sum += block[i]!;
  for (let i = 156; i < BLOCK; i++) sum += block[i]!;
  return sum === stored;
}

function isZeroBlock(block: Buffer): boolean {
  for (let i = 0; i < BLOCK; i++) if (block[i] !== 0) return false;
  return true;
}

function typeOf(flag: string): TarEntryType {
  switch (flag) {
    case '0':
    case '\0':
    case '':
    case '7':
      return 'file';
    case '5':
      return 'directory';
    case '2':
      return 'symlink';
    case '1':
      return 'hardlink';
    case '3':
      return 'character-device';
    case '4':
      return 'block-device';
    case '6':
      return 'fifo';
    default:
      return 'other';
  }
}

/** Parses pax records `<len> <key>=<value>\n`. */
function parsePax(data: Buffer): Map<string, string> {
  const records = new Map<string, string>();
  let at = 0;
  while (at < data.length) {
    const space = data.indexOf(0x20, at);
    if (space === -1) throw corrupt('A pax header is malformed.');
    const length = Number(data.toString('ascii', at, space));
    if (!Number.isInteger(length) || length <= 0 || at + length > data.length) {
      throw corrupt('A pax header has a wrong record length.');
    }
    // Values are kept as bytes decoded like names: a path under `hdrcharset=BINARY` (or
    // written by a tool that ignored it) need not be UTF-8.
    const eq = data.indexOf(0x3d, space + 1);
    if (eq === -1 || eq >= at + length - 1) throw corrupt('A pax record has no value.');
    records.set(
      data.toString('utf8', space + 1, eq),
      decodeName(data.subarray(eq + 1, at + length - 1)),
    );
    at += length;
  }
  return records;
}

type State =
  | { kind: 'header' }
  | { kind: 'data'; remaining: number; padding: number; sink: TarEntrySink | null }
  | { kind: 'meta'; remaining: number; padding: number; flag: string; parts: Buffer[] }
  | { kind: 'padding'; remaining: number }
  | { kind: 'ended' };

/**
 * Feeds decompressed chunks through the tar format and calls `visit` for each entry.
 *
 * Synchronous per chunk, so the caller decides the pace; `finish` throws when the archive
 * stopped before its end-of-archive blocks.
 */
export class TarReader {
  private state: State = { kind: 'header' };
  private pending: Buffer | null = null;
  private pax: Map<string, string> | null = null;
  private longName: string | null = null;
  private longLink: string | null = null;
  private zeroBlocks = 0;

  constructor(private readonly visit: TarVisitor) {}

  /** Whether the end-of-archive marker has been read. */
  get ended(): boolean {
    return this.state.kind === 'ended';
  }

  /** Feeds the next chunk of the decompressed stream. */
  write(chunk: Buffer): void {
    let at = 0;
    if (this.pending) {
      // A header cut by the chunk's edge: complete that block alone. Joining the whole chunk
      // to it would copy every chunk after a gzip member's short last one (members do not end
      // on a tar block).
      const need = BLOCK - this.pending.length;
      if (chunk.length < need) {
        this.pending = Buffer.concat([this.pending, chunk]);
        return;
      }
      const block = Buffer.concat([this.pending, chunk.subarray(0, need)]);
      this.pending = null;
      this.header(block);
      at = need;
    }
    while (at < chunk.length) {
      const state = this.state;
      switch (state.kind) {
        case 'ended':
          // GNU tar and node-tar pad the archive to a whole record with zeros; anything else
          // after the end marker was not written by Tend.
          for (let i = at; i < chunk.length; i++) {
            if (chunk[i] !== 0) throw corrupt('There is data after the end of the archive.');
          }
          return;
        case 'header': {
          if (chunk.length - at < BLOCK) {
            this.pending = Buffer.from(chunk.subarray(at));
            return;
          }
          this.header(chunk.subarray(at, at + BLOCK));
          at += BLOCK;
          break;
        }
        case 'data': {
          const take = Math.min(state.remaining, chunk.length - at);
          if (take > 0) {
            state.sink?.data(chunk.subarray(at, at + take));
            state.remaining -= take;
            at += take;
          }
          if (state.remaining === 0) {
            state.sink?.end();
            this.state =
              state.padding > 0
                ? { kind: 'padding', remaining: state.padding }
                : { kind: 'header' };
          }
          break;
        }
        case 'meta': {
          const take = Math.min(state.remaining, chunk.length - at);
          state.parts.push(Buffer.from(chunk.subarray(at, at + take)));
          state.remaining -= take;
          at += take;
          if (state.remaining === 0) {
            this.meta(state.flag, Buffer.concat(state.parts));
            this.state =
              state.padding > 0
                ? { kind: 'padding', remaining: state.padding }
                : { kind: 'header' };
          }
          break;
        }
        case 'padding': {
          const take = Math.min(state.remaining, chunk.length - at);
          state.remaining -= take;
          at += take;
          if (state.remaining === 0) this.state = { kind: 'header' };
          break;
        }
      }
    }
  }

  /** Says the stream has ended; throws when the archive was cut short. */
  finish(): void {
    if (this.state.kind !== 'ended') {
      throw corrupt('The archive ends early: it was cut short or is damaged.');
    }
  }

  private header(block: Buffer): void {
    if (isZeroBlock(block)) {
      this.zeroBlocks++;
      if (this.zeroBlocks === 2) this.state = { kind: 'ended' };
      return;
    }
    if (this.zeroBlocks > 0) throw corrupt('The archive has an empty block amid its entries.');
    if (!checksumOk(block)) throw corrupt('A tar header is damaged (its checksum is wrong).');
    const flag = String.fromCharCode(block[156] ?? 0);
    const size = readOctal(block, 124, 12, 'size');
    const padding = (BLOCK - (size % BLOCK)) % BLOCK;
    if (flag === 'x' || flag === 'g' || flag === 'L' || flag === 'K') {
      if (size > MAX_META_BYTES) throw corrupt('An archive header extension is too large.');
      if (size === 0) return;
      this.state = { kind: 'meta', remaining: size, padding, flag, parts: [] };
      return;
    }
    const magic = block.toString('ascii', 257, 262);
    const prefix = magic === 'ustar' ? readName(block, 345, 155) : '';
    const name = readName(block, 0, 100);
    const pax = this.pax;
    const path = pax?.get('path') ?? this.longName ?? (prefix ? `${prefix}/${name}` : name);
    const linkPath = pax?.get('linkpath') ?? this.longLink ?? readName(block, 157, 100);
    let entrySize = size;
    const paxSize = pax?.get('size');
    if (paxSize !== undefined) {
      entrySize = Number(paxSize);
      if (!Number.isSafeInteger(entrySize) || entrySize < 0) {
        throw corrupt('A pax header has a wrong size.');
      }
    }
    const paxMtime = pax?.get('mtime');
    this.pax = null;
    this.longName = null;
    this.longLink = null;
    const type = typeOf(flag);
    // Links and devices carry no data whatever their size field says.
    const dataSize = type === 'file' || type === 'other' ? entrySize : 0;
    const header: TarHeader = {
      path,
      type,
      flag,
      size: dataSize,
      mode: readOctal(block, 100, 8, 'mode'),
      mtimeSeconds: paxMtime !== undefined ? Number(paxMtime) : readOctal(block, 136, 12, 'mtime'),
      linkPath,
    };
    const sink = this.visit(header);
    const dataPadding = (BLOCK - (dataSize % BLOCK)) % BLOCK;
    if (dataSize === 0) {
      sink?.end();
      return;
    }
    this.state = { kind: 'data', remaining: dataSize, padding: dataPadding, sink };
  }

  private meta(flag: string, data: Buffer): void {
    switch (flag) {
      case 'x':
        this.pax = parsePax(data);
        break;
      case 'L':
        this.longName = decodeName(data).replace(/\0+$/, '');
        break;
      case 'K':
        this.longLink = decodeName(data).replace(/\0+$/, '');
        break;
      default:
        // 'g': global pax headers carry nothing Tend uses.
        break;
    }
  }
}
