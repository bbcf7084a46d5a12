import { Header } from 'tar';
import { describe, expect, it } from 'vitest';
import {
  encodePlainHeader,
  encodeTarHeader,
  type TarEntryHeader,
} from '../../../../src-main/engine/backup/tar-header';

/** node-tar's own header for an entry, the reference the plain encoder must match. */
function nodeTarHeader(entry: TarEntryHeader): Buffer {
  const block = Buffer.alloc(512);
  new Header({
    path: entry.type === 'Directory' ? `${entry.path}/` : entry.path,
    mode: entry.mode & 0o7777,
    uid: 0,
    gid: 0,
    size: entry.type === 'File' ? entry.size : 0,
    mtime: new Date(Math.floor(entry.mtimeMs)),
    type: entry.type,
    linkpath: entry.linkpath ?? '',
    uname: '',
    gname: '',
  }).encode(block);
  return block;
}

const plain: ReadonlyArray<[string, TarEntryHeader]> = [
  ['a small file', { path: 'a/b.json', type: 'File', mode: 0o644, mtimeMs: 1700000000123, size: 1500 }],
  ['an empty file', { path: 'empty', type: 'File', mode: 0o600, mtimeMs: 0, size: 0 }],
  ['a folder', { path: 'local_data/logs', type: 'Directory', mode: 0o40755, mtimeMs: 1.5e12, size: 0 }],
  ['a link', { path: 'x/link', type: 'SymbolicLink', mode: 0o120777, mtimeMs: 1.6e12, size: 0, linkpath: '../target' }],
  ['a name of 99 bytes', { path: 'n'.repeat(99), type: 'File', mode: 0o644, mtimeMs: 1.7e12, size: 7 }],
  ['a size just under 8 GiB', { path: 'big.bin', type: 'File', mode: 0o644, mtimeMs: 1.7e12, size: 0o77777777777 }],
  ['a size with eleven octal digits', { path: 'mid.bin', type: 'File', mode: 0o644, mtimeMs: 1.7e12, size: 0o10000000000 }],
  ['setuid and sticky bits', { path: 'odd', type: 'File', mode: 0o107755, mtimeMs: 1.7e12, size: 3 }],
]; // prettier-ignore

const other: ReadonlyArray<[string, TarEntryHeader]> = [
  ['a name of 100 bytes', { path: 'n'.repeat(100), type: 'File', mode: 0o644, mtimeMs: 1.7e12, size: 1 }],
  ['a name over 100 bytes', { path: `${'d/'.repeat(60)}f`, type: 'File', mode: 0o644, mtimeMs: 1.7e12, size: 1 }],
  ['a name that is not ASCII', { path: 'résumé.txt', type: 'File', mode: 0o644, mtimeMs: 1.7e12, size: 1 }],
  ['raw bytes', { path: 'r\uDCE9sum\uDCE9.txt', type: 'File', mode: 0o644, mtimeMs: 1.7e12, size: 1 }],
  ['a file of 8 GiB', { path: 'huge.bin', type: 'File', mode: 0o644, mtimeMs: 1.7e12, size: 8 * 1024 ** 3 }],
  ['a time before 1970', { path: 'old', type: 'File', mode: 0o644, mtimeMs: -1000, size: 1 }],
  ['a long link target', { path: 'l', type: 'SymbolicLink', mode: 0o777, mtimeMs: 1.7e12, size: 0, linkpath: 't'.repeat(101) }],
]; // prettier-ignore

describe('encodePlainHeader', () => {
  it.each(plain)('writes the bytes node-tar writes for %s', (_, entry) => {
    const name = entry.type === 'Directory' ? `${entry.path}/` : entry.path;
    const block = encodePlainHeader(entry, name);
    expect(block).not.toBeNull();
    expect(block!.equals(nodeTarHeader(entry))).toBe(true);
    expect(encodeTarHeader(entry).equals(nodeTarHeader(entry))).toBe(true);
  });

  it.each(other)('leaves %s to node-tar (and its pax header)', (_, entry) => {
    const name = entry.type === 'Directory' ? `${entry.path}/` : entry.path;
    expect(encodePlainHeader(entry, name)).toBeNull();
  });
});
