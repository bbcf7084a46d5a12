import { createHash, hash as hashOf } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import fs, { type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { TendFailure } from '../../../src-shared/errors';
import {
  MANIFEST_ENTRY,
  type BackupManifest,
  type ManifestCollection,
  type ManifestEntry,
} from '../../../src-shared/models/backup-manifest';
import { describeFsError } from '../fs/fs-error';
import { LoopBudget } from '../fs/loop-budget';
import { displayName, hasRawBytes } from '../fs/raw-name';
import { isLongPath } from '../fs/sys-path';
import { openFile } from '../fs/sys-fs';
import type { Category } from '../../../src-shared/models/categories';
import type { ManifestStore } from '../../../src-shared/models/backup-manifest';
import type { ProfileStore } from '../profiles/profile';
import type { BackupScope, ScopeEntry } from './backup-scope';
import {
  isIncompressible,
  levelForPath,
  STORE_LEVEL,
  TEXT_LEVEL,
  LOW_LEVEL,
} from './compression-level';
import { GzipMemberWriter } from './gzip-members';
import { ManifestWriter } from './manifest-writer';
import {
  describeAssistantDb,
  isSqliteFile,
  snapshotSqlite,
  sqliteCompanions,
} from './sqlite-snapshot';
import { captureProfileStores, type StoreCaptures } from './store-capture';
import { CHANGED, readSmallFile, SHRANK, SMALL_FILE_BYTES, type SmallRead } from './small-file';
import { encodeTarHeader, TAR_END, tarPadding } from './tar-header';

const READ_BYTES = 1024 * 1024;
// Progress is reported at most this often (and once at the end): per file, its bookkeeping
// cost more than reading a small file.
const PROGRESS_EVERY_MS = 50;
/** Padding to the next tar block is taken from here (it is only ever read). */
const ZEROS = Buffer.alloc(512);

/**
 * A file archived at a root-relative path although it is not in the root: a database dump
 * written into the backup's temp folder (the postgres-app profile's `database/<name>.dump`).
 */
export interface ArchiveExtraFile {
  /** Root-relative path inside the archive, forward slashes. */
  readonly path: string;
  /** Where its bytes are now (absolute). */
  readonly source: string;
  readonly category: Category;
  /** Already compressed (a custom-format dump): stored as is, not deflated again. */
  readonly compressed?: boolean;
}

/**
 * How the warning of a damaged database archived as is begins (a safety snapshot's manifest):
 * an undo from that snapshot knows to put it back without judging it.
 */
export const DAMAGED_DATABASE_NOTE = 'The database could not be read by SQLite';

/** What the writer needs to know besides the scope. */
export interface ArchiveWriteOptions {
  root: string;
  scope: BackupScope;
  /** The archive being written, `<destination>/<id>.tar.gz.partial`. */
  partialPath: string;
  /** A folder in Tend's state for SQLite snapshots; emptied by the caller. */
  tempDir: string;
  /**
   * The root-relative path of Tend's assistant store database, whose schema version and
   * collections the manifest records; null for a profile without one.
   */
  assistantDb: string | null;
  /** The manifest's fixed fields; entries, totals, warnings and the database facts are added. */
  manifestBase: Omit<
    BackupManifest,
    'entries' | 'totals' | 'warnings' | 'leftOut' | 'assistantSchemaVersion' | 'collections'
  >;
  /** What a file that cannot be opened does: fail the backup, or leave it out with a warning. */
  unreadable: 'fail' | 'warn';
  /**
   * What a database the online backup API cannot read (a damaged one) does: fail the backup
   * (a backup must be a good copy), or, for a safety snapshot, go in byte for byte with its
   * -wal/-journal and a warning: an undo must put back exactly what was there, damage
   * included, and a damaged database is the very thing a restore is made to replace.
   */
  damagedDatabases?: 'fail' | 'as-is';
  signal: AbortSignal;
  onProgress(progress: { bytesDone: number; filesDone: number; currentPath: string }): void;
  /** Opens the archive for writing; tests hand in a device that fails as a full disk does. */
  openOutput?: (file: string) => Promise<FileHandle>;
  /** Opens a file to archive; tests use it to refuse a file or change it while it is read. */
  openSource?: (file: string) => Promise<FileHandle>;
  /**
   * Files from outside the root, archived after the scope's entries (a scope entry at the same
   * path is left out, with a warning): their bytes hashed like every other file's.
   */
  extraFiles?: ReadonlyArray<ArchiveExtraFile>;
  /**
   * The root's profile's stores: each instance in the scope is captured by its plan (those
   * whose files must agree, together into staging first) and recorded in the manifest's
   * `stores`. Absent: every file is archived on its own, and the manifest names no stores.
   */
  stores?: ReadonlyArray<ProfileStore>;
}

/** The manifest's fields other than its entries, which stay in the manifest writer's file. */
export type ManifestHead = Omit<BackupManifest, 'entries' | 'totals' | 'warnings' | 'leftOut'>;

/** The written (and fsynced) archive. */
export interface ArchiveWriteResult {
  /** The manifest's entries, to stream into the sidecar with `head`, `totals`, `warnings`. */
  manifest: ManifestWriter;
  head: ManifestHead;
  totals: BackupManifest['totals'];
  /** Everything a person should know, the scope's left-out entries and link notes included. */
  warnings: BackupManifest['warnings'];
  leftOut: NonNullable<BackupManifest['leftOut']>;
  archiveBytes: number;
  archiveSha256: string;
  /** Bytes of tar stream compressed at each gzip level (0 = stored), for the bench. */
  bytesByLevel: Record<number, number>;
}

async function writeAll(handle: FileHandle, data: Buffer): Promise<void> {
  let offset = 0;
  while (offset < data.length) {
    const { bytesWritten } = await handle.write(data, offset, data.length - offset);
    offset += bytesWritten;
  }
}

/**
 * Writes one backup archive in one pass: each file is read once, hashed as it is archived,
 * and compressed as independent gzip members on both cores.
 *
 * SQLite databases are first snapshotted with the online backup API and the snapshot's bytes
 * are archived under the database's own path; their -wal/-shm/-journal files are left out.
 * The manifest goes last. The file is fsynced before this returns; renaming it into place and
 * recording it is the caller's part.
 */
export async function writeArchive(options: ArchiveWriteOptions): Promise<ArchiveWriteResult> {
  const { root, scope, signal } = options;
  const extras = new Map((options.extraFiles ?? []).map((extra) => [extra.path, extra]));
  const archiveHash = createHash('sha256');
  let archiveBytes = 0;
  const handle = await (options.openOutput ?? ((file) => fs.open(file, 'wx', 0o600)))(
    options.partialPath,
  );
  const sink = async (compressed: Buffer) => {
    archiveHash.update(compressed);
    archiveBytes += compressed.length;
    try {
      await writeAll(handle, compressed);
    } catch (error) {
      throw writeFailure(options.partialPath, error);
    }
  };
  const gzip = new GzipMemberWriter(sink);
  let stopSnapshots: AbortController | null = null;
  let manifest: ManifestWriter | null = null;
  const snapshotsDone: Array<Promise<void>> = [];
  // Files a store's plan copied into staging as they are (not database snapshots): compressed
  // as the live file would be.
  let stagedCopies = new Set<string>();
  try {
    const captures: StoreCaptures | null = options.stores
      ? await captureProfileStores({
          root,
          stores: options.stores,
          files: new Set(
            scope.entries
              .filter((entry) => entry.type === 'file' && !extras.has(entry.path))
              .map((entry) => entry.path),
          ),
          stagingDir: path.join(options.tempDir, 'stores'),
          signal,
          snapshot: (source, target, stop) => snapshotSqlite(source, target, stop),
          onFailure: options.damagedDatabases === 'as-is' ? 'per-file' : 'fail',
          onProgress: (currentPath) =>
            options.onProgress({ bytesDone: 0, filesDone: 0, currentPath }),
        })
      : null;
    const staged = captures?.staged ?? new Map<string, string>();
    stagedCopies = new Set([...staged.keys()].filter((file) => !captures?.snapshotted.has(file)));
    const storeRecords: ManifestStore[] = (captures?.records ?? []).map((record) => ({
      ...record,
    }));
    const databases = new Set<string>();
    // Long synchronous stretches give the event loop its turn every few milliseconds.
    const budget = new LoopBudget();
    for (const entry of scope.entries) {
      if (budget.spent) await budget.pause();
      // A database is opened by name; one whose path the driver cannot take is archived as is.
      const byName = !hasRawBytes(entry.path) && !isLongPath(path.join(root, entry.path));
      if (staged.has(entry.path)) continue;
      if (entry.type === 'file' && byName && (await isSqliteFile(path.join(root, entry.path)))) {
        databases.add(entry.path);
      }
    }
    // Every database is snapshotted at once, in worker threads, while the files before it
    // are archived; the loop waits for a snapshot only when it reaches that database.
    const snapshots = new Map<string, { file: string; done: Promise<void> }>();
    stopSnapshots = new AbortController();
    const stop = stopSnapshots;
    signal.addEventListener('abort', () => stop.abort(signal.reason), { once: true });
    for (const [index, db] of [...databases].entries()) {
      const file = path.join(options.tempDir, `snapshot-${index + 1}.db`);
      const done = snapshotSqlite(path.join(root, db), file, stop.signal);
      snapshotsDone.push(done);
      // Awaited in the loop; this keeps a failure from going unhandled before then.
      done.catch(() => undefined);
      snapshots.set(db, { file, done });
    }
    // A staged database's snapshot holds its -wal too; its companions stay out like these.
    const companions = new Set(
      [...databases, ...(captures?.snapshotted ?? [])].flatMap((db) =>
        sqliteCompanions.map((suffix) => db + suffix),
      ),
    );
    const companionOwner = (relative: string): string | undefined =>
      sqliteCompanions
        .filter((suffix) => relative.endsWith(suffix))
        .map((suffix) => relative.slice(0, -suffix.length))
        .find((db) => databases.has(db));
    // Why each damaged database's snapshot failed, when damaged ones go in as they are.
    const damageOf = new Map<string, string>();
    const damaged = async (db: string): Promise<boolean> => {
      if (options.damagedDatabases !== 'as-is') return false;
      const snapshot = snapshots.get(db);
      if (!snapshot) return false;
      try {
        await snapshot.done;
        return false;
      } catch (error) {
        signal.throwIfAborted();
        damageOf.set(db, (error as Error).message);
        return true;
      }
    };

    manifest = await ManifestWriter.create(path.join(options.tempDir, 'manifest-entries.json'));
    const leftOut = scope.skipped.map((item) => ({ path: item.path, reason: item.reason }));
    const warnings: Array<{ path: string; message: string }> = [
      ...scope.skipped.map((item) => ({ path: item.path, message: `Left out: ${item.reason}` })),
      ...scope.notes,
      ...(captures?.warnings ?? []),
    ];
    let bytesDone = 0;
    let filesDone = 0;
    let dataBytes = 0;
    let schemaVersion: number | null = null;
    let collections: ManifestCollection[] = [];

    // Databases go last: their snapshots are taken meanwhile in worker threads, so the loop
    // rarely waits for one, and the compressors have the other files to work on.
    const extraEntries: ScopeEntry[] = [];
    for (const extra of extras.values()) {
      const stat = await fs.stat(extra.source);
      extraEntries.push({
        type: 'file',
        path: extra.path,
        mode: stat.mode & 0o7777,
        mtimeMs: stat.mtimeMs,
        size: stat.size,
        category: extra.category,
      });
    }
    const shadowed = scope.entries.filter((entry) => extras.has(entry.path));
    for (const entry of shadowed) {
      warnings.push({
        path: entry.path,
        message: `Left out: the folder's own file at this path gave way to the backup's ${entry.path}.`,
      });
    }
    const ordered = [
      ...scope.entries.filter((entry) => !snapshots.has(entry.path) && !extras.has(entry.path)),
      ...scope.entries.filter((entry) => snapshots.has(entry.path) && !extras.has(entry.path)),
      ...extraEntries,
    ];
    // Small files are read synchronously (small-file.ts) into this one buffer, in turn; the
    // budget gives the event loop its turn every few milliseconds of that.
    const smallBuffer = Buffer.allocUnsafe(SMALL_FILE_BYTES);
    let lastProgress = 0;
    const progress = (currentPath: string, force = false) => {
      const now = performance.now();
      if (!force && now - lastProgress < PROGRESS_EVERY_MS) return;
      lastProgress = now;
      options.onProgress({ bytesDone, filesDone, currentPath });
    };

    for (const entry of ordered) {
      signal.throwIfAborted();
      if (budget.spent) await budget.pause();
      if (entry.type === 'directory') {
        await gzip.write(encodeTarHeader({ ...entry, type: 'Directory', size: 0 }), TEXT_LEVEL);
        manifest.add({ ...entry, mode: entry.mode & 0o7777 });
        continue;
      }
      if (entry.type === 'symlink') {
        await gzip.write(
          encodeTarHeader({ ...entry, type: 'SymbolicLink', size: 0, linkpath: entry.target }),
          TEXT_LEVEL,
        );
        manifest.add({ ...entry, mode: entry.mode & 0o7777 });
        continue;
      }
      if (companions.has(entry.path)) {
        // Held by its database's snapshot; archived as is only beside a damaged database.
        const owner = companionOwner(entry.path);
        if (!(owner && (await damaged(owner)))) {
          bytesDone += entry.size;
          continue;
        }
      }
      progress(entry.path);
      let source =
        extras.get(entry.path)?.source ?? staged.get(entry.path) ?? path.join(root, entry.path);
      let snapshot = extras.has(entry.path) ? undefined : snapshots.get(entry.path);
      if (snapshot && (await damaged(entry.path))) {
        snapshot = undefined;
        warnings.push({
          path: entry.path,
          message: `${DAMAGED_DATABASE_NOTE} (${damageOf.get(entry.path)}): archived byte for byte, as it is on disk, with its journal files.`,
        });
      }
      if (snapshot) {
        try {
          await snapshot.done;
        } catch (error) {
          signal.throwIfAborted();
          throw new TendFailure(
            'FILE_UNREADABLE',
            `Cannot take a consistent copy of the database ${displayName(entry.path)}: ${(error as Error).message}`,
          );
        }
        source = snapshot.file;
        if (entry.path === options.assistantDb) {
          ({ schemaVersion, collections } = describeAssistantDb(snapshot.file));
        }
      }
      // Test hooks open files their own way (asynchronously): those go the streamed way.
      const read =
        !snapshot &&
        !extras.has(entry.path) &&
        entry.size <= SMALL_FILE_BYTES &&
        !options.openSource
          ? readSmallFile(source, smallBuffer)
          : null;
      const whole = read !== null && !('large' in read);
      const archived = whole
        ? await archiveSmall(entry, read)
        : await archiveFile(entry, source, (bytes) => {
            bytesDone += bytes;
            progress(entry.path);
          });
      if (whole || 'skipped' in archived) bytesDone += entry.size;
      if ('skipped' in archived) {
        if (options.unreadable === 'fail') {
          throw new TendFailure(
            'FILE_UNREADABLE',
            `Cannot read ${displayName(entry.path)} (${archived.skipped}). Fix its permissions, or set unreadable files to "warn" in Settings to leave such files out.`,
            { path: entry.path },
          );
        }
        const reason = `cannot read the file (${archived.skipped}); a restore keeps it as it is`;
        leftOut.push({ path: entry.path, reason });
        warnings.push({ path: entry.path, message: `Left out: ${reason}` });
        continue;
      }
      if (archived.warning) warnings.push({ path: entry.path, message: archived.warning });
      manifest.add(archived.entry);
      const owner = extras.has(entry.path)
        ? undefined
        : storeRecords[captures?.ownerOf(entry.path) ?? -1];
      if (owner) {
        owner.files += 1;
        owner.bytes += archived.entry.size;
      }
      filesDone += 1;
      dataBytes += archived.entry.size;
      progress(entry.path);
    }
    progress(ordered.at(-1)?.path ?? '', true);

    await manifest.close();
    const head: ManifestHead = {
      ...options.manifestBase,
      assistantSchemaVersion: schemaVersion,
      collections,
      ...(captures ? { stores: storeRecords } : {}),
    };
    const tail = { totals: { files: filesDone, bytes: dataBytes }, warnings, leftOut };
    const manifestSize = manifest.sizeOf(head, tail);
    await gzip.write(
      encodeTarHeader({
        path: MANIFEST_ENTRY,
        type: 'File',
        mode: 0o644,
        mtimeMs: Date.now(),
        size: manifestSize,
      }),
      TEXT_LEVEL,
    );
    for await (const chunk of manifest.chunks(head, tail)) await gzip.write(chunk, TEXT_LEVEL);
    await gzip.write(Buffer.concat([Buffer.alloc(tarPadding(manifestSize)), TAR_END]), TEXT_LEVEL);
    await gzip.end();
    try {
      await handle.sync();
    } catch (error) {
      throw writeFailure(options.partialPath, error);
    }
    return {
      manifest,
      head,
      ...tail,
      archiveBytes,
      archiveSha256: archiveHash.digest('hex'),
      bytesByLevel: Object.fromEntries(gzip.bytesByLevel),
    };
  } catch (error) {
    await gzip.abandon();
    await manifest?.close().catch(() => undefined);
    throw error;
  } finally {
    // A failure part way must not leave a worker writing into the temp folder.
    stopSnapshots?.abort(new TendFailure('CANCELLED', 'The backup stopped.'));
    await Promise.allSettled(snapshotsDone);
    await handle.close().catch(() => undefined);
  }

  /** Archives a small file read whole: header, bytes, padding; its hash from those bytes. */
  async function archiveSmall(
    entry: Extract<ScopeEntry, { type: 'file' }>,
    read: Exclude<SmallRead, { large: true }>,
  ): Promise<
    | { entry: Extract<ManifestEntry, { type: 'file' }>; warning: string | null }
    | { skipped: string }
  > {
    if ('skipped' in read) return read;
    if ('failed' in read) {
      throw new TendFailure(
        'FILE_UNREADABLE',
        `Reading ${displayName(entry.path)} failed part way: ${describeFsError(read.failed)}`,
        { path: entry.path },
      );
    }
    const { data } = read;
    const level = levelForPath(entry.path);
    const header = encodeTarHeader({
      path: entry.path,
      type: 'File',
      mode: entry.mode,
      mtimeMs: entry.mtimeMs,
      size: data.length,
    });
    // Header, bytes and padding in one region of the member: one hand-over per file.
    const padded = data.length + tarPadding(data.length);
    const region = await gzip.region(header.length + padded);
    header.copy(region, 0);
    data.copy(region, header.length);
    region.fill(0, header.length + data.length);
    await gzip.commit(region.length, level);
    return {
      entry: {
        type: 'file',
        path: entry.path,
        size: data.length,
        mtimeMs: entry.mtimeMs,
        mode: entry.mode & 0o7777,
        // One-shot: no Hash object per file.
        sha256: hashOf('sha256', data, 'hex'),
        category: entry.category,
      },
      warning: read.warning,
    };
  }

  /**
   * Archives one file: header from the open file's own size, then its bytes hashed as they
   * go. A file that shrinks while read is padded with zeros (tar needs the size the header
   * promised) and one that grows is cut at that size; either way the manifest holds the hash
   * of exactly the bytes in the archive, and a warning says so.
   */
  async function archiveFile(
    entry: Extract<ScopeEntry, { type: 'file' }>,
    source: string,
    onRead: (bytes: number) => void,
  ): Promise<
    | { entry: Extract<ManifestEntry, { type: 'file' }>; warning: string | null }
    | { skipped: string }
  > {
    let file: FileHandle;
    try {
      file = await (options.openSource ?? openNoFollow)(source);
    } catch (error) {
      return { skipped: describeFsError(error) };
    }
    try {
      const stat = await file.stat();
      const size = stat.size;
      // An SQLite snapshot mixes text and float vectors: level 1 deflates it at about 90 MB/s a
      // core for 2-3% more bytes than level 6 at 55 MB/s.
      const extra = extras.get(entry.path);
      const level = extra
        ? extra.compressed
          ? STORE_LEVEL
          : LOW_LEVEL
        : source === path.join(root, entry.path) || stagedCopies.has(entry.path)
          ? levelForPath(entry.path)
          : LOW_LEVEL;
      await gzip.write(
        encodeTarHeader({
          path: entry.path,
          type: 'File',
          mode: entry.mode,
          mtimeMs: entry.mtimeMs,
          size,
        }),
        level === LOW_LEVEL ? LOW_LEVEL : TEXT_LEVEL,
      );
      const hash = createHash('sha256');
      let done = 0;
      let warning: string | null = null;
      while (done < size) {
        signal.throwIfAborted();
        const want = Math.min(READ_BYTES, size - done);
        // Read straight into the gzip member being filled: no copy, no buffer per read.
        const target = await gzip.region(want);
        let read: number;
        try {
          ({ bytesRead: read } = await file.read(target, 0, want, done));
        } catch (error) {
          throw new TendFailure(
            'FILE_UNREADABLE',
            `Reading ${displayName(entry.path)} failed part way: ${describeFsError(error)}`,
            { path: entry.path },
          );
        }
        if (read === 0) {
          target.fill(0);
          read = want;
          warning = SHRANK;
        }
        const bytes = target.subarray(0, read);
        hash.update(bytes);
        // Judged per chunk, by content: model weights often start with a text header, and a
        // cache blob's name says nothing of what it holds.
        await gzip.commit(read, isIncompressible(bytes) ? STORE_LEVEL : level);
        done += read;
        onRead(read);
      }
      const after = await file.stat();
      if (!warning && (after.size !== size || after.mtimeMs !== stat.mtimeMs)) {
        warning = CHANGED;
      }
      const padding = tarPadding(size);
      if (padding > 0) await gzip.write(ZEROS.subarray(0, padding), LOW_LEVEL);
      return {
        entry: {
          type: 'file',
          path: entry.path,
          size,
          mtimeMs: entry.mtimeMs,
          mode: entry.mode & 0o7777,
          sha256: hash.digest('hex'),
          category: entry.category,
        },
        warning,
      };
    } finally {
      await file.close();
    }
  }
}

function openNoFollow(file: string): Promise<FileHandle> {
  return openFile(file, fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW);
}

function writeFailure(file: string, error: unknown): TendFailure {
  const code = (error as NodeJS.ErrnoException).code;
  const folder = path.dirname(file);
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new TendFailure(
      'NO_SPACE',
      `The backup destination ${folder} is full; the backup was stopped and its partial file removed. Free space there or choose another destination.`,
      { destination: folder },
    );
  }
  return new TendFailure(
    'DESTINATION_UNAVAILABLE',
    `Writing the backup to ${folder} failed (${describeFsError(error)}).`,
    { destination: folder },
  );
}
