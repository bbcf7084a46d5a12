/**
 * A collection's index on disk: `vector_store/<collection>/index.hnsw` and `index.json`, the
 * layout the demo writes. Files are only ever replaced by temp file, fsync and rename, so a
 * reader (or a backup) sees a whole old or a whole new file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { EmbeddingSpaceSchema } from '../../../src-shared/models/vectors';
import { layout } from '../root/layout';

/** Where a collection's index files are, under a root. */
export interface IndexPaths {
  readonly dir: string;
  readonly index: string;
  readonly meta: string;
}

/** The index files of a collection. */
export function indexPaths(root: string, collection: string): IndexPaths {
  const dir = path.join(root, layout.vectorStore, collection);
  return { dir, index: path.join(dir, 'index.hnsw'), meta: path.join(dir, 'index.json') };
}

/** What index.json says about the index beside it (the demo's fields plus deletions). */
export const IndexMetaSchema = z.object({
  collection: z.string(),
  dimension: z.number().int().positive(),
  space: EmbeddingSpaceSchema,
  m: z.number().int(),
  efConstruction: z.number().int(),
  efSearch: z.number().int(),
  /** Vectors in the index, deleted ones included. */
  count: z.number().int().min(0),
  maxElements: z.number().int().min(0),
  builtAt: z.string(),
  schemaVersion: z.number().int(),
  /** Vectors marked deleted since the last build (the demo's files have none). */
  deletedCount: z.number().int().min(0).default(0),
});
export type IndexMeta = z.infer<typeof IndexMetaSchema>;

/** Reads index.json, or null when it is missing or unreadable. */
export function readIndexMeta(file: string): IndexMeta | null {
  try {
    return IndexMetaSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
  } catch {
    return null;
  }
}

/** Fsyncs a folder so a rename inside it survives a power cut. */
export function fsyncDir(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Fsyncs a written file. */
export function fsyncFile(file: string): void {
  const fd = fs.openSync(file, 'r+');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Puts a finished, fsynced temp file in place of `target` and fsyncs the folder. */
export function replaceFile(temporary: string, target: string): void {
  fs.renameSync(temporary, target);
  fsyncDir(path.dirname(target));
}

/** Writes index.json through a temp file, fsync and rename. */
export function writeIndexMeta(file: string, meta: IndexMeta): void {
  const temporary = `${file}.${process.pid}.partial`;
  fs.writeFileSync(temporary, `${JSON.stringify(meta, null, 2)}\n`);
  fsyncFile(temporary);
  replaceFile(temporary, file);
}

/** A temp name beside an index file, unique to this process and moment. */
export function temporaryIndexPath(indexFile: string): string {
  return `${indexFile}.${process.pid}-${Date.now()}.partial`;
}

/** Whether the process named in a temp file's name (`….<pid>-<ms>.partial`) still runs. */
function writerAlive(name: string): boolean {
  const match = /\.(\d+)(?:-\d+)?\.partial$/.exec(name);
  if (!match) return false;
  const pid = Number(match[1]);
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes temp files that a killed writer left beside the index files; returns their names. */
export function removeLeftovers(root: string): string[] {
  const store = path.join(root, layout.vectorStore);
  const removed: string[] = [];
  let collections: string[];
  try {
    collections = fs.readdirSync(store);
  } catch {
    return removed;
  }
  for (const collection of collections) {
    const dir = path.join(store, collection);
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      if (!name.endsWith('.partial') || writerAlive(name)) continue;
      fs.rmSync(path.join(dir, name), { force: true });
      removed.push(path.join(collection, name));
    }
  }
  return removed;
}

/** hnswlib's fixed header: 6 size_t, an int, an unsigned, 3 size_t, a double, a size_t. */
const HEADER_BYTES = 96;

/** What the header of an index file says. */
export interface IndexHeader {
  readonly maxElements: number;
  readonly count: number;
  readonly maxM0: number;
  readonly m: number;
  readonly bytes: number;
}

/**
 * Checks an index file's header and link-list table against the collection before hnswlib
 * reads it.
 *
 * Why: hnswlib trusts its header; a garbage one can make it allocate wildly or read out of
 * bounds. A file that passes here has the right vector size, a sane count and link lists that
 * end exactly at the end of the file. Returns the reason it is refused, or the header.
 */
export function checkIndexFile(
  file: string,
  dimension: number,
): { ok: true; header: IndexHeader } | { ok: false; reason: string; dimension?: number } {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return {
      ok: false,
      reason: code === 'ENOENT' ? 'The index file does not exist.' : `Cannot open: ${code}`,
    };
  }
  try {
    const size = fs.fstatSync(fd).size;
    if (size < HEADER_BYTES) return { ok: false, reason: `The file is only ${size} bytes long.` };
    const head = Buffer.alloc(HEADER_BYTES);
    fs.readSync(fd, head, 0, HEADER_BYTES, 0);
    const u64 = (at: number) => Number(head.readBigUInt64LE(at));
    const offsetLevel0 = u64(0);
    const maxElements = u64(8);
    const count = u64(16);
    const perElement = u64(24);
    const labelOffset = u64(32);
    const offsetData = u64(40);
    const maxM = u64(56);
    const maxM0 = u64(64);
    const m = u64(72);
    const linksLevel0 = maxM0 * 4 + 4;
    const shapeSane =
      offsetLevel0 === 0 &&
      m >= 2 &&
      m <= 4096 &&
      maxM === m &&
      maxM0 === 2 * m &&
      offsetData === linksLevel0 &&
      labelOffset > linksLevel0 &&
      (labelOffset - linksLevel0) % 4 === 0 &&
      perElement === labelOffset + 8 &&
      count <= maxElements &&
      maxElements <= 2 ** 31;
    if (!shapeSane) {
      return {
        ok: false,
        reason: `The header does not describe a ${dimension}-dimension hnswlib index.`,
      };
    }
    // A sound header for vectors of another length: say which, for the dimension check.
    const fileDimension = (labelOffset - linksLevel0) / 4;
    if (fileDimension !== dimension) {
      return {
        ok: false,
        reason: `The index holds ${fileDimension}-dimension vectors; the collection's are ${dimension}.`,
        dimension: fileDimension,
      };
    }
    // Walk the upper-level link lists, as hnswlib's own loader does, to the exact end. They
    // are small (4 bytes for most elements), so they are read in one go.
    const start = HEADER_BYTES + count * perElement;
    if (start + count * 4 > size) return { ok: false, reason: 'The file is truncated.' };
    const tail = Buffer.alloc(size - start);
    fs.readSync(fd, tail, 0, tail.length, start);
    const linksPerLevel = maxM * 4 + 4;
    let at = 0;
    for (let i = 0; i < count; i++) {
      if (at + 4 > tail.length) return { ok: false, reason: 'The file is truncated.' };
      const length = tail.readUInt32LE(at);
      if (length % linksPerLevel !== 0) {
        return { ok: false, reason: `The link list of element ${i} is malformed.` };
      }
      at += 4 + length;
    }
    if (at !== tail.length) {
      return {
        ok: false,
        reason:
          at > tail.length
            ? 'The file is truncated.'
            : `The file has ${tail.length - at} bytes after the last link list.`,
      };
    }
    return { ok: true, header: { maxElements, count, maxM0, m, bytes: size } };
  } finally {
    fs.closeSync(fd);
  }
}
