/**
 * What a folder holds, exactly: every entry by its exact name (bytes that are not UTF-8
 * included), at any depth (paths past the system's limit included), with its type, mode,
 * size, time, content hash or link target. Two equal fingerprints mean nothing changed.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { decodeName, displayName, encodeName } from '../../../../../src-main/engine/fs/raw-name';
import {
  lstatEntry,
  makeFolders,
  openFileSync,
  readFolder,
  readLink,
} from '../../../../../src-main/engine/fs/sys-fs';
import { DIRECT_PATH_BYTES } from '../../../../../src-main/engine/fs/sys-path';

/** How closely to look. */
export interface FingerprintOptions {
  /** Leave these root-relative paths (and what is under them) out. */
  skip?: (relative: string) => boolean;
  /** Include each entry's inode: a file rewritten with the same bytes then differs. */
  inodes?: boolean;
}

function hashOf(absolute: string): string {
  const fd = openFileSync(absolute, 'r');
  try {
    const hash = createHash('sha256');
    const buffer = Buffer.alloc(64 * 1024);
    for (;;) {
      const read = fs.readSync(fd, buffer, 0, buffer.length, null);
      if (read === 0) break;
      hash.update(buffer.subarray(0, read));
    }
    return hash.digest('hex');
  } finally {
    fs.closeSync(fd);
  }
}

/** One line per entry, sorted: `type path mode size mtime content`. */
export function exactFingerprint(root: string, options: FingerprintOptions = {}): string[] {
  const skip = options.skip ?? ((relative: string) => relative === '.tend');
  const lines: string[] = [];
  const walk = (relative: string) => {
    const entries = readFolder(relative ? path.join(root, relative) : root).sort((a, b) =>
      a.name < b.name ? -1 : 1,
    );
    for (const entry of entries) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (skip(child)) continue;
      const absolute = path.join(root, child);
      const stat = lstatEntry(absolute)!;
      const inode = options.inodes ? ` ino=${stat.ino}` : '';
      const head = `${displayName(child)} mode=${(stat.mode & 0o7777).toString(8)}${inode}`;
      if (stat.isDirectory()) {
        lines.push(`d ${head}`);
        walk(child);
      } else if (stat.isSymbolicLink()) {
        lines.push(`l ${head} -> ${displayName(readLink(absolute))}`);
      } else if (stat.isFile()) {
        const readable = (stat.mode & 0o444) !== 0;
        const content = readable ? hashOf(absolute) : 'unreadable';
        lines.push(`f ${head} size=${stat.size} mtime=${Math.floor(stat.mtimeMs)} ${content}`);
      } else {
        lines.push(`s ${head} ${stat.isFIFO() ? 'fifo' : 'special'}`);
      }
    }
  };
  walk('');
  return lines;
}

/** A name whose bytes are Latin-1, not UTF-8: `résumé.txt` as an old system wrote it. */
export const LATIN1_RESUME = decodeName(Buffer.from('r\xe9sum\xe9.txt', 'latin1'));

/** Writes a file at any path (raw names, any length), making its folders. */
export function writeExact(absolute: string, content: string | Buffer): void {
  makeFolders(path.dirname(absolute));
  const fd = openFileSync(absolute, 'w');
  try {
    fs.writeSync(fd, typeof content === 'string' ? Buffer.from(content) : content);
  } finally {
    fs.closeSync(fd);
  }
}

/** Reads a file at any path. */
export function readExact(absolute: string): Buffer {
  const fd = openFileSync(absolute, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const buffer = Buffer.alloc(size);
    fs.readSync(fd, buffer, 0, size, 0);
    return buffer;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * A root-relative path under `under` whose absolute path, in `root`, is `totalBytes` long
 * (folders of up to 200 bytes, then a file name making up the rest).
 */
export function pathOfLength(root: string, under: string, totalBytes: number): string {
  const base = encodeName(path.join(root, under)).length + 1;
  const parts: string[] = [];
  let length = base;
  while (totalBytes - length > 230) {
    parts.push('d'.repeat(200));
    length += 201;
  }
  parts.push('f'.repeat(totalBytes - length));
  return `${under}/${parts.join('/')}`;
}

/** Whether a path is past what the system takes directly (it needs an open folder). */
export function isPastLimit(absolute: string): boolean {
  return encodeName(absolute).length > DIRECT_PATH_BYTES;
}

/** Makes a FIFO. */
export function makeFifo(absolute: string): void {
  fs.mkdirSync(path.dirname(absolute), { recursive: true });
  execFileSync('mkfifo', [absolute]);
}
