import { Header, Pax } from 'tar';

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
  const name = entry.type === 'Directory' ? `${entry.path}/` : entry.path;
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
