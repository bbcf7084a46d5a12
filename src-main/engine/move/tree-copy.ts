/**
 * Copies a data folder to another filesystem and proves the copy: each file read once (its
 * SHA-256 taken from the bytes read), written, fsynced, read back once and its SHA-256
 * compared with the original's; mtimes and modes kept; SQLite databases through the online
 * backup API (a consistent copy, its WAL folded in) and checked with `PRAGMA quick_check`. A
 * file that changes while it is copied is copied again, and after three tries the move is
 * refused: nothing half-copied is ever taken for the data.
 */
import type { Stats } from 'node:fs';
import { createHash } from 'node:crypto';
import fsSync from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { TendFailure } from '../../../src-shared/errors';
import type { JobProgress } from '../../../src-shared/models/jobs';
import { syncDescriptorSync, syncFile, syncFolder } from '../fs/durable';
import { diskSpace } from '../fs/free-space';
import { readInto } from '../fs/sys-fs';
import { faultPoint } from '../maintenance/fault-point';
import { parseSqliteHeader, SQLITE_HEADER_BYTES } from '../stores/sqlite/sqlite-header';
import { withReadOnlyDatabase } from '../stores/sqlite/sqlite-open';
import { snapshotDatabase } from '../stores/sqlite/sqlite-snapshot';
import type { MoveTree, TreeFile } from './move-tree';

/** How often a changing file is copied before the move gives up on it. */
export const COPY_ATTEMPTS = 3;

/** Files up to this size are read once into memory, written, fsynced and read back. */
const SMALL_FILE_BYTES = 8 * 1024 * 1024;

/** Larger files are read, hashed, written and read back in chunks of this size. */
const CHUNK_BYTES = 4 * 1024 * 1024;

/** What a copy is given. */
export interface TreeCopyOptions {
  readonly signal: AbortSignal;
  readonly onProgress: (progress: Partial<Omit<JobProgress, 'etaSeconds'>>) => void;
  /** Test seam: runs after a file's bytes are copied, before they are checked. */
  readonly afterFileCopy?: (relative: string, attempt: number) => void | Promise<void>;
}

/** What a copy copied. */
export interface TreeCopyResult {
  readonly files: number;
  readonly bytes: number;
  /** Files copied more than once because they changed meanwhile. */
  readonly recopied: ReadonlyArray<string>;
  readonly databases: ReadonlyArray<string>;
}

const companions = ['-wal', '-shm', '-journal'];

/**
 * Whether a file has a companion (`-wal`, `-shm`, `-journal`) beside it: a small database
 * with one must be known before the copy starts, so its companions are not copied on their
 * own. Other small databases are recognised as they are read.
 */
function hasCompanion(relative: string, names: ReadonlySet<string>): boolean {
  return companions.some((suffix) => names.has(`${relative}${suffix}`));
}

/** Whether a file is a SQLite database, by its size (whole pages) and header. */
async function isDatabase(file: string, size: number): Promise<boolean> {
  if (size < 512 || size % 512 !== 0) return false;
  const handle = await fs.open(file, 'r').catch(() => null);
  if (!handle) return false;
  try {
    const head = Buffer.alloc(SQLITE_HEADER_BYTES);
    const { bytesRead } = await handle.read(head, 0, SQLITE_HEADER_BYTES, 0);
    return parseSqliteHeader(head.subarray(0, bytesRead)).ok;
  } finally {
    await handle.close();
  }
}

/** Whether bytes read from a file are a SQLite database: whole pages and its header. */
function looksLikeDatabase(bytes: Buffer): boolean {
  return (
    bytes.length >= 512 &&
    bytes.length % 512 === 0 &&
    parseSqliteHeader(bytes.subarray(0, SQLITE_HEADER_BYTES)).ok
  );
}

/** What tells a file changed: its size, times and inode. */
type FileState = Pick<Stats, 'size' | 'mtimeMs' | 'ctimeMs' | 'ino' | 'atimeMs'>;

function sameStat(a: FileState, b: FileState): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs && a.ino === b.ino;
}

async function keepTimesAndMode(target: string, file: TreeFile): Promise<void> {
  await fs.chmod(target, file.mode);
  await fs.utimes(target, file.atimeMs / 1000, file.mtimeMs / 1000);
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function changing(relative: string): TendFailure {
  return new TendFailure(
    'MOVE_SOURCE_CHANGED',
    `${relative} kept changing while it was copied (${COPY_ATTEMPTS} tries). Stop whatever writes it (the app?), then move again. Nothing was changed; the partial copy was removed.`,
  );
}

function mismatch(relative: string): TendFailure {
  return new TendFailure(
    'MOVE_VERIFY_FAILED',
    `The copy of ${relative} does not match the original (SHA-256 differs): the target disk may be failing. Nothing was changed; the partial copy was removed.`,
  );
}

/**
 * Buffers kept from file to file (a copy runs one file at a time): the bytes read from the
 * source, and the copy read back. Allocating one per file was a tenth of the move's time in
 * the garbage collector.
 */
const buffers = { source: Buffer.alloc(0), copy: Buffer.alloc(0) };

function bufferFor(kind: keyof typeof buffers, bytes: number): Buffer {
  if (buffers[kind].length < bytes) buffers[kind] = Buffer.allocUnsafe(Math.max(bytes, 64 * 1024));
  return buffers[kind];
}

function writeAll(fd: number, bytes: Buffer, position: number): void {
  let done = 0;
  while (done < bytes.length) {
    done += fsSync.writeSync(fd, bytes, done, bytes.length - done, position + done);
  }
}

/** The SHA-256 of a file's first `length` bytes, read through `fd` in chunks. */
function hashOf(fd: number, length: number): string {
  const hash = createHash('sha256');
  const chunk = bufferFor('copy', Math.min(length, CHUNK_BYTES));
  for (let position = 0; position < length;) {
    const read = readInto(fd, chunk, Math.min(chunk.length, length - position), position);
    if (read === 0) break;
    hash.update(chunk.subarray(0, read));
    position += read;
  }
  return hash.digest('hex');
}

/**
 * One attempt at a small file, in as few system calls as the proof allows: the source read
 * once (its SHA-256 taken from those bytes), the copy written, fsynced and read back through
 * the same descriptor (its SHA-256 compared), the source looked at again to see that it held
 * still, then the mode and times. Why synchronous calls: a data folder has tens of thousands
 * of small files, and a round trip through libuv's threads for each call costs more than the
 * copy; the caller gives the event loop a turn every few milliseconds (progress, cancel).
 */
async function copySmallOnce(
  source: string,
  target: string,
  file: TreeFile,
  attempt: number,
  options: TreeCopyOptions,
): Promise<'copied' | 'changed' | 'database'> {
  const input = fsSync.openSync(source, 'r');
  let before: FileState;
  let bytes: Buffer;
  try {
    // The first time, the walk's look at the file is the one before: the look after tells
    // whether it changed since (then it is looked at afresh and copied again).
    before = attempt === 1 ? file : fsSync.fstatSync(input);
    // Its size as it was opened: a file that grew or shrank meanwhile is seen by the look after.
    const into = bufferFor('source', before.size);
    bytes = into.subarray(0, readInto(input, into, before.size));
  } finally {
    fsSync.closeSync(input);
  }
  if (attempt === 1 && looksLikeDatabase(bytes)) return 'database';
  const sourceHash = sha256(bytes);
  const output = fsSync.openSync(target, 'w+');
  try {
    writeAll(output, bytes, 0);
    syncDescriptorSync(output);
    await options.afterFileCopy?.(file.relative, attempt);
    const after = fsSync.lstatSync(source);
    if (!sameStat(before, after) || bytes.length !== after.size) return 'changed';
    if (hashOf(output, bytes.length) !== sourceHash) throw mismatch(file.relative);
    fsSync.fchmodSync(output, file.mode);
    fsSync.futimesSync(output, before.atimeMs / 1000, before.mtimeMs / 1000);
  } finally {
    fsSync.closeSync(output);
  }
  return 'copied';
}

/** A small file copied until it holds still (the test seam runs between copy and check). */
async function copySmall(
  source: string,
  target: string,
  file: TreeFile,
  options: TreeCopyOptions,
): Promise<{ attempts: number } | 'database'> {
  for (let attempt = 1; attempt <= COPY_ATTEMPTS; attempt++) {
    const result = await copySmallOnce(source, target, file, attempt, options);
    if (result === 'database') return result;
    if (result === 'copied') return { attempts: attempt };
  }
  throw changing(file.relative);
}

/**
 * Copies one large file until it holds still, then proves the copy: the source is read once
 * in chunks, each hashed as it is written; the copy is fsynced and read back once for its own
 * SHA-256. A turn for the event loop after each chunk (progress, cancel).
 */
async function copyFile(
  source: string,
  target: string,
  file: TreeFile,
  options: TreeCopyOptions,
): Promise<{ bytes: number; attempts: number }> {
  for (let attempt = 1; attempt <= COPY_ATTEMPTS; attempt++) {
    const input = fsSync.openSync(source, 'r');
    const output = fsSync.openSync(target, 'w+');
    try {
      const before = fsSync.fstatSync(input);
      const hash = createHash('sha256');
      const chunk = bufferFor('source', CHUNK_BYTES);
      let position = 0;
      for (;;) {
        options.signal.throwIfAborted();
        const read = readInto(input, chunk, chunk.length, position);
        if (read === 0) break;
        hash.update(chunk.subarray(0, read));
        writeAll(output, chunk.subarray(0, read), position);
        position += read;
        await new Promise((resolve) => setImmediate(resolve));
      }
      syncDescriptorSync(output);
      await options.afterFileCopy?.(file.relative, attempt);
      const after = fsSync.lstatSync(source);
      if (!sameStat(before, after) || position !== after.size) continue;
      if (hashOf(output, position) !== hash.digest('hex')) throw mismatch(file.relative);
      fsSync.fchmodSync(output, file.mode);
      fsSync.futimesSync(output, before.atimeMs / 1000, before.mtimeMs / 1000);
      return { bytes: position, attempts: attempt };
    } finally {
      fsSync.closeSync(input);
      fsSync.closeSync(output);
    }
  }
  throw changing(file.relative);
}

/** Copies a database through the online backup API, then checks the copy. */
async function copyDatabase(
  source: string,
  target: string,
  file: TreeFile,
  signal: AbortSignal,
): Promise<number> {
  let snapshot;
  try {
    snapshot = await snapshotDatabase(source, target, { signal });
  } catch (error) {
    // SQLite says "database or disk is full" in its own words: the target's room tells.
    const disk = await diskSpace(path.dirname(target)).catch(() => null);
    if (!signal.aborted && disk && disk.freeBytes < file.size) {
      throw Object.assign(new Error('no space'), { code: 'ENOSPC' });
    }
    throw error;
  }
  await syncFile(target);
  const verdict = withReadOnlyDatabase(target, (db) => db.pragma('quick_check', { simple: true }));
  if (verdict !== 'ok') {
    throw new TendFailure(
      'MOVE_VERIFY_FAILED',
      `The copy of the database ${file.relative} failed its check (${String(verdict)}). Nothing was changed; the partial copy was removed.`,
    );
  }
  await keepTimesAndMode(target, file);
  return snapshot.bytes;
}

/** A disk error of the target in words a person can act on; anything else as it is. */
function plainFailure(error: unknown, relative: string): unknown {
  switch ((error as NodeJS.ErrnoException | null)?.code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return new TendFailure(
        'MOVE_NO_SPACE',
        `The target disk filled up while ${relative} was copied. Nothing was changed; the partial copy was removed. Free some space there, or choose another disk.`,
      );
    case 'EROFS':
    case 'EACCES':
    case 'EPERM':
      return new TendFailure(
        'MOVE_TARGET_UNUSABLE',
        `Tend could not write ${relative} at the target (${(error as Error).message}). Nothing was changed; the partial copy was removed.`,
      );
    default:
      return error;
  }
}

/**
 * Copies `tree` (walked from `source`) into the existing, empty folder `target`, one file
 * after the other. On any failure or cancel the error is thrown: the caller removes the
 * partial copy.
 */
export async function copyTree(
  source: string,
  target: string,
  tree: MoveTree,
  options: TreeCopyOptions,
): Promise<TreeCopyResult> {
  options.signal.throwIfAborted();
  for (const folder of tree.folders) await fs.mkdir(path.join(target, folder.relative));
  for (const link of tree.links) await fs.symlink(link.target, path.join(target, link.relative));

  // Small files are told apart as they are read (copySmallOnce); only large ones, and those
  // with a companion, are opened here.
  const databases = new Set<string>();
  const names = new Set(tree.files.map((file) => file.relative));
  for (const file of tree.files) {
    if (file.size <= SMALL_FILE_BYTES && !hasCompanion(file.relative, names)) continue;
    if (await isDatabase(path.join(source, file.relative), file.size)) databases.add(file.relative);
  }
  const skipped = new Set(
    tree.files
      .map((file) => file.relative)
      .filter((relative) =>
        companions.some(
          (suffix) => relative.endsWith(suffix) && databases.has(relative.slice(0, -suffix.length)),
        ),
      ),
  );
  const toCopy = tree.files.filter((file) => !skipped.has(file.relative));
  const bytesTotal = toCopy.reduce((sum, file) => sum + file.size, 0);
  let bytesDone = 0;
  let filesDone = 0;
  const recopied: string[] = [];
  options.onProgress({ bytesDone, bytesTotal, filesDone, filesTotal: toCopy.length });

  const signal = options.signal;
  let lastTurn = performance.now();
  for (const file of toCopy) {
    signal.throwIfAborted();
    const from = path.join(source, file.relative);
    const to = path.join(target, file.relative);
    try {
      const copied = databases.has(file.relative)
        ? 'database'
        : file.size > SMALL_FILE_BYTES
          ? await copyFile(from, to, file, options)
          : await copySmall(from, to, file, options);
      if (copied === 'database') {
        databases.add(file.relative);
        await copyDatabase(from, to, file, signal);
      } else if (copied.attempts > 1) {
        recopied.push(file.relative);
      }
    } catch (error) {
      throw plainFailure(error, file.relative);
    }
    bytesDone += file.size;
    filesDone += 1;
    faultPoint('move:copy-file');
    options.onProgress({
      bytesDone,
      bytesTotal,
      filesDone,
      filesTotal: toCopy.length,
      currentPath: file.relative,
    });
    // A turn for the event loop every few milliseconds: progress events, a cancel.
    if (performance.now() - lastTurn > 10) {
      await new Promise((resolve) => setImmediate(resolve));
      lastTurn = performance.now();
    }
  }
  if (signal.aborted) throw signal.reason;

  // Folders last, deepest first: writing into a folder changes its time.
  for (const folder of [...tree.folders].reverse()) {
    const at = path.join(target, folder.relative);
    await fs.chmod(at, folder.mode);
    await fs.utimes(at, folder.atimeMs / 1000, folder.mtimeMs / 1000);
    await syncFolder(at);
  }
  await syncFolder(target);
  return { files: toCopy.length, bytes: bytesTotal, recopied, databases: [...databases] };
}
