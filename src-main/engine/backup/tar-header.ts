import { Header, Pax } from 'tar';
import { encodeName, hasRawBytes } from '../fs/raw-name';

/** What a tar header says about one entry. */
export interface TarEntryHeader {
  /** Root-relative, forward slashes; a folder without its trailing slash. */
  path: string;
  type: 'File' | 'Directory' | 'SymbolicLink';
  mode: number;
  mtimeMs: number;
  size: number;
  linkpath?: string;
}

/** The 1024 zero bytes that end a tar archive. */
export const TAR_END = Buffer.alloc(1024);

/** Bytes of zero padding after `size` bytes of content, to the next 512-byte block. */
export function tarPadding(size: number): number {
  return (512 - (size % 512)) % 512;
}

/**
 * The header block(s) of one entry: a ustar header, preceded by a pax extended header when a
 * path, link or size does not fit ustar's fields (long names, files over 8 GiB).
 *
 * node-tar's Header and Pax do the encoding: they are the format's reference in the Node world,
 * and GNU tar reads what they write.
 */
export function encodeTarHeader(entry: TarEntryHeader): Buffer {
  if (hasRawBytes(entry.path) || (entry.linkpath !== undefined && hasRawBytes(entry.linkpath))) {
    return encodeRawHeader(entry);
  }
  const name = entry.type === 'Directory' ? `${entry.path}/` : entry.path;
  const plain = encodePlainHeader(entry, name);
  if (plain) return plain;
  const fields = {
    path: name,
    mode: entry.mode & 0o7777,
    uid: 0,
    gid: 0,
    size: entry.type === 'File' ? entry.size : 0,
    // tar keeps whole seconds in ustar; pax carries the rest when it is written anyway.
    mtime: new Date(Math.floor(entry.mtimeMs)),
    type: entry.type,
    linkpath: entry.linkpath ?? '',
    uname: '',
    gname: '',
  };
  const header = new Header(fields);
  const block = Buffer.alloc(512);
  header.encode(block);
  if (!header.needPax) return block;
  const pax = new Pax({
    path: name,
    linkpath: entry.linkpath,
    size: fields.size,
    mtime: fields.mtime,
  }).encode();
  return Buffer.concat([pax, block]);
}

const MAX_OCTAL_12 = 0o77777777777;
const MAX_OCTAL_8 = 0o7777777;
const ASCII = /^[\x20-\x7e]*$/;
const typeFlags = { File: 0x30, Directory: 0x35, SymbolicLink: 0x32 } as const;

/**
 * The ustar header of the common entry (a printable ASCII name and link under 100 bytes, a size
 * and time that fit their octal fields), written field by field; null for any other entry,
 * which node-tar encodes.
 *
 * Note: the same bytes node-tar's Header writes for such an entry (a test holds them equal),
 * without its object and its string padding per field: on 20,000 small files the headers
 * took longer than reading the files.
 */
export function encodePlainHeader(entry: TarEntryHeader, name: string): Buffer | null {
  const linkpath = entry.linkpath ?? '';
  const size = entry.type === 'File' ? entry.size : 0;
  const mtime = Math.floor(Math.floor(entry.mtimeMs) / 1000);
  const mode = entry.mode & 0o7777;
  if (
    name.length >= 100 ||
    linkpath.length >= 100 ||
    !ASCII.test(name) ||
    !ASCII.test(linkpath) ||
    !(size >= 0 && size <= MAX_OCTAL_12) ||
    !(mtime >= 0 && mtime <= MAX_OCTAL_12) ||
    mode > MAX_OCTAL_8
  ) {
    return null;
  }
  const block = Buffer.alloc(512);
  block.write(name, 0, 'latin1');
  writeOctal(block, 100, 8, mode);
  writeOctal(block, 108, 8, 0);
  writeOctal(block, 116, 8, 0);
  writeOctal(block, 124, 12, size);
  writeOctal(block, 136, 12, mtime);
  block[156] = typeFlags[entry.type];
  if (linkpath) block.write(linkpath, 157, 'latin1');
  block.write('ustar\u000000', 257, 'latin1');
  // Device major and minor: zero, as node-tar writes them.
  writeOctal(block, 329, 8, 0);
  writeOctal(block, 337, 8, 0);
  // The checksum counts its own field as eight spaces.
  let sum = 8 * 0x20;
  for (let i = 0; i < 148; i++) sum += block[i]!;
  for (let i = 156; i < 512; i++) sum += block[i]!;
  writeOctal(block, 148, 8, sum);
  return block;
}

/** An octal field as node-tar writes it: zero-padded, then a space and a NUL (or just a NUL). */
function writeOctal(block: Buffer, offset: number, size: number, value: number): void {
  const digits = value.toString(8);
  const text = digits.length === size - 1 ? `${digits}\0` : `${digits.padStart(size - 2, '0')} \0`;
  block.write(text, offset, 'latin1');
}

/** The byte a name's bytes that are not UTF-8 are shown as in the plain ustar fields. */
const STAND_IN = '_';

/**
 * The header of an entry whose name (or link target) is not UTF-8: a pax header that says
 * `hdrcharset=BINARY` and carries the exact bytes, as POSIX provides and GNU tar reads, then
 * the ustar header with a readable stand-in name that every reader of pax ignores.
 */
function encodeRawHeader(entry: TarEntryHeader): Buffer {
  const name = entry.type === 'Directory' ? `${entry.path}/` : entry.path;
  const size = entry.type === 'File' ? entry.size : 0;
  const mtime = new Date(Math.floor(entry.mtimeMs));
  const records = [
    paxRecord('hdrcharset', Buffer.from('BINARY')),
    paxRecord('path', encodeName(name)),
    ...(entry.linkpath !== undefined ? [paxRecord('linkpath', encodeName(entry.linkpath))] : []),
    paxRecord('mtime', Buffer.from(String(mtime.getTime() / 1000))),
    paxRecord('size', Buffer.from(String(size))),
  ];
  const body = Buffer.concat(records);
  const paxHeader = Buffer.alloc(512);
  new Header({
    path: 'PaxHeader/entry',
    mode: 0o644,
    uid: 0,
    gid: 0,
    size: body.length,
    mtime,
    type: 'ExtendedHeader',
    linkpath: '',
    uname: '',
    gname: '',
  }).encode(paxHeader);
  const block = Buffer.alloc(512);
  new Header({
    path: standIn(name),
    mode: entry.mode & 0o7777,
    uid: 0,
    gid: 0,
    size,
    mtime,
    type: entry.type,
    linkpath: entry.linkpath === undefined ? '' : standIn(entry.linkpath),
    uname: '',
    gname: '',
  }).encode(block);
  return Buffer.concat([paxHeader, body, Buffer.alloc(tarPadding(body.length)), block]);
}

/** A name with its raw bytes replaced, cut to fit ustar (the pax header holds the real one). */
function standIn(name: string): string {
  const plain = name.replace(/(?<![\uD800-\uDBFF])[\uDC80-\uDCFF]/g, STAND_IN);
  return Buffer.byteLength(plain) <= 100 ? plain : plain.slice(-90).replace(/^[^/]*\//, '');
}

/** One pax record, `<length> <key>=<value>\n`, the length counting its own digits. */
function paxRecord(key: string, value: Buffer): Buffer {
  const rest = Buffer.byteLength(` ${key}=`) + value.length + 1;
  let length = rest + String(rest).length;
  if (String(length).length !== String(rest).length) length = rest + String(length).length;
  return Buffer.concat([Buffer.from(`${length} ${key}=`), value, Buffer.from('\n')]);
}
