/**
 * Copies a data folder to another filesystem and proves the copy: each file copied, fsynced,
 * and its SHA-256 compared with the original's; mtimes and modes kept; SQLite databases
 * through the online backup API (a consistent copy, its WAL folded in) and checked with
 * `PRAGMA quick_check`. A file that changes while it is copied is copied again, and after
 * three tries the move is refused: nothing half-copied is ever taken for the data.
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
import { faultPoint } from '../maintenance/fault-point';
import { sha256File } from '../maintenance/file-moves';
import { parseSqliteHeader, SQLITE_HEADER_BYTES } from '../stores/sqlite/sqlite-header';
import { withReadOnlyDatabase } from '../stores/sqlite/sqlite-open';
import { snapshotDatabase } from '../stores/sqlite/sqlite-snapshot';
import type { MoveTree, TreeFile } from './move-tree';

/** How often a changing file is copied before the move gives up on it. */
export const COPY_ATTEMPTS = 3;

/** Files up to this size are read once into memory, written, fsynced and read back. */
const SMALL_FILE_BYTES = 8 * 1024 * 1024;

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

function sameStat(a: Stats, b: Stats): boolean {
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
 * Copies a small file (read once, written, fsynced, read back) until it holds still. Why
 * synchronous calls: a data folder has tens of thousands of small files, and a round trip
 * through libuv's four threads for each of a dozen calls a file costs more than the copy; the
 * caller gives the event loop a turn every few milliseconds (progress, cancel).
 */
function copySmallFile(
  source: string,
  target: string,
  file: TreeFile,
  attempt: number,
): { done: boolean } | 'database' {
  const before = fsSync.lstatSync(source);
  const bytes = fsSync.readFileSync(source);
  if (attempt === 1 && bytes.length >= 512 && bytes.length % 512 === 0) {
    if (parseSqliteHeader(bytes.subarray(0, SQLITE_HEADER_BYTES)).ok) return 'database';
  }
  const fd = fsSync.openSync(target, 'w');
  try {
    fsSync.writeFileSync(fd, bytes);
    syncDescriptorSync(fd);
  } finally {
    fsSync.closeSync(fd);
  }
  return { done: checkSmallCopy(source, target, file, before, bytes) };
}

/** After a small copy: false when the source changed meanwhile; the copy proven otherwise. */
function checkSmallCopy(
  source: string,
  target: string,
  file: TreeFile,
  before: Stats,
  bytes: Buffer,
): boolean {
  const after = fsSync.lstatSync(source);
  if (!sameStat(before, after) || bytes.length !== after.size) return false;
  if (sha256(fsSync.readFileSync(target)) !== sha256(bytes)) throw mismatch(file.relative);
  fsSync.chmodSync(target, file.mode);
  fsSync.utimesSync(target, before.atimeMs / 1000, before.mtimeMs / 1000);
  return true;
}

/** A small file copied until it holds still (the test seam runs between copy and check). */
async function copySmall(
  source: string,
  target: string,
  file: TreeFile,
  options: TreeCopyOptions,
): Promise<{ attempts: number } | 'database'> {
  for (let attempt = 1; attempt <= COPY_ATTEMPTS; attempt++) {
    if (!options.afterFileCopy) {
      const result = copySmallFile(source, target, file, attempt);
      if (result === 'database') return result;
      if (result.done) return { attempts: attempt };
      continue;
    }
    const before = fsSync.lstatSync(source);
    const bytes = fsSync.readFileSync(source);
    if (attempt === 1 && bytes.length >= 512 && bytes.length % 512 === 0) {
      if (parseSqliteHeader(bytes.subarray(0, SQLITE_HEADER_BYTES)).ok) return 'database';
    }
    fsSync.writeFileSync(target, bytes);
    await options.afterFileCopy(file.relative, attempt);
    if (checkSmallCopy(source, target, file, before, bytes)) return { attempts: attempt };
  }
  throw changing(file.relative);
}

/** Copies one regular file until it holds still, then proves the copy. */
async function copyFile(
  source: string,
  target: string,
  file: TreeFile,
  options: TreeCopyOptions,
): Promise<{ bytes: number; attempts: number }> {
  for (let attempt = 1; attempt <= COPY_ATTEMPTS; attempt++) {
    const before = await fs.lstat(source);
    await fs.copyFile(source, target);
    await options.afterFileCopy?.(file.relative, attempt);
    const [sourceHash, targetHash] = await Promise.all([
      sha256File(source),
      syncFile(target).then(() => sha256File(target)),
    ]);
    const after = await fs.lstat(source);
    if (!sameStat(before, after)) continue;
    if (sourceHash !== targetHash) throw mismatch(file.relative);
    await keepTimesAndMode(target, { ...file, atimeMs: before.atimeMs, mtimeMs: before.mtimeMs });
    return { bytes: after.size, attempts: attempt };
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

  // Small files are told apart as they are read (copySmallFile); only large ones are opened here.
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
      const small =
        databases.has(file.relative) || file.size > SMALL_FILE_BYTES
          ? null
          : await copySmall(from, to, file, options);
      if (small === 'database' || databases.has(file.relative)) {
        databases.add(file.relative);
        await copyDatabase(from, to, file, signal);
      } else if (small === null) {
        const { attempts } = await copyFile(from, to, file, options);
        if (attempts > 1) recopied.push(file.relative);
      } else if (small.attempts > 1) {
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
