import { createHash } from 'node:crypto';
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
import { layout } from '../root/layout';
import type { BackupScope, ScopeEntry } from './backup-scope';
import {
  isIncompressible,
  levelForPath,
  STORE_LEVEL,
  TEXT_LEVEL,
  LOW_LEVEL,
} from './compression-level';
import { GzipMemberWriter } from './gzip-members';
import {
  describeAssistantDb,
  isSqliteFile,
  snapshotSqlite,
  sqliteCompanions,
} from './sqlite-snapshot';
import { encodeTarHeader, TAR_END, tarPadding } from './tar-header';

const READ_BYTES = 1024 * 1024;

/** What the writer needs to know besides the scope. */
export interface ArchiveWriteOptions {
  root: string;
  scope: BackupScope;
  /** The archive being written, `<destination>/<id>.tar.gz.partial`. */
  partialPath: string;
  /** A folder under `.tend/` for SQLite snapshots; emptied by the caller. */
  tempDir: string;
  /** The manifest's fixed fields; entries, totals, warnings and the database facts are added. */
  manifestBase: Omit<
    BackupManifest,
    'entries' | 'totals' | 'warnings' | 'assistantSchemaVersion' | 'collections'
  >;
  /** What a file that cannot be opened does: fail the backup, or leave it out with a warning. */
  unreadable: 'fail' | 'warn';
  signal: AbortSignal;
  onProgress(progress: { bytesDone: number; filesDone: number; currentPath: string }): void;
  /** Opens the archive for writing; tests hand in a device that fails as a full disk does. */
  openOutput?: (file: string) => Promise<FileHandle>;
  /** Opens a file to archive; tests use it to refuse a file or change it while it is read. */
  openSource?: (file: string) => Promise<FileHandle>;
}

/** The written (and fsynced) archive. */
export interface ArchiveWriteResult {
  manifest: BackupManifest;
  archiveBytes: number;
  archiveSha256: string;
  /** Bytes of tar stream compressed at each gzip level (0 = stored), for the bench. */
  bytesByLevel: Record<number, number>;
}

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code ? `${code}: ${(error as Error).message}` : String(error);
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
  const snapshotsDone: Array<Promise<void>> = [];
  try {
    const databases = new Set<string>();
    for (const entry of scope.entries) {
      if (entry.type === 'file' && (await isSqliteFile(path.join(root, entry.path)))) {
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
    const companions = new Set(
      [...databases].flatMap((db) => sqliteCompanions.map((suffix) => db + suffix)),
    );

    const manifestEntries: ManifestEntry[] = [];
    const warnings: Array<{ path: string; message: string }> = [];
    let bytesDone = 0;
    let filesDone = 0;
    let dataBytes = 0;
    let schemaVersion: number | null = null;
    let collections: ManifestCollection[] = [];

    for (const entry of scope.entries) {
      signal.throwIfAborted();
      if (entry.type === 'directory') {
        await gzip.write(encodeTarHeader({ ...entry, type: 'Directory', size: 0 }), TEXT_LEVEL);
        manifestEntries.push({ ...entry, mode: entry.mode & 0o7777 });
        continue;
      }
      if (entry.type === 'symlink') {
        await gzip.write(
          encodeTarHeader({ ...entry, type: 'SymbolicLink', size: 0, linkpath: entry.target }),
          TEXT_LEVEL,
        );
        manifestEntries.push({ ...entry, mode: entry.mode & 0o7777 });
        continue;
      }
      if (companions.has(entry.path)) {
        bytesDone += entry.size;
        continue;
      }
      options.onProgress({ bytesDone, filesDone, currentPath: entry.path });
      let source = path.join(root, entry.path);
      const snapshot = snapshots.get(entry.path);
      if (snapshot) {
        try {
          await snapshot.done;
        } catch (error) {
          signal.throwIfAborted();
          throw new TendFailure(
            'FILE_UNREADABLE',
            `Cannot take a consistent copy of the database ${entry.path}: ${(error as Error).message}`,
          );
        }
        source = snapshot.file;
        if (entry.path === layout.assistantDb) {
          ({ schemaVersion, collections } = describeAssistantDb(snapshot.file));
        }
      }
      const archived = await archiveFile(entry, source, (read) => {
        bytesDone += read;
        options.onProgress({ bytesDone, filesDone, currentPath: entry.path });
      });
      if ('skipped' in archived) {
        if (options.unreadable === 'fail') {
          throw new TendFailure(
            'FILE_UNREADABLE',
            `Cannot read ${entry.path} (${archived.skipped}). Fix its permissions, or set unreadable files to "warn" in Settings to leave such files out.`,
            { path: entry.path },
          );
        }
        warnings.push({ path: entry.path, message: `Left out: ${archived.skipped}` });
        bytesDone += entry.size;
        continue;
      }
      if (archived.warning) warnings.push({ path: entry.path, message: archived.warning });
      manifestEntries.push(archived.entry);
      filesDone += 1;
      dataBytes += archived.entry.size;
      options.onProgress({ bytesDone, filesDone, currentPath: entry.path });
    }

    const manifest: BackupManifest = {
      ...options.manifestBase,
      assistantSchemaVersion: schemaVersion,
      collections,
      entries: manifestEntries,
      totals: { files: filesDone, bytes: dataBytes },
      warnings,
    };
    const manifestBytes = Buffer.from(`${JSON.stringify(manifest, null, 1)}\n`);
    await gzip.write(
      encodeTarHeader({
        path: MANIFEST_ENTRY,
        type: 'File',
        mode: 0o644,
        mtimeMs: Date.now(),
        size: manifestBytes.length,
      }),
      TEXT_LEVEL,
    );
    await gzip.write(manifestBytes, TEXT_LEVEL);
    await gzip.write(
      Buffer.concat([Buffer.alloc(tarPadding(manifestBytes.length)), TAR_END]),
      TEXT_LEVEL,
    );
    await gzip.end();
    try {
      await handle.sync();
    } catch (error) {
      throw writeFailure(options.partialPath, error);
    }
    return {
      manifest,
      archiveBytes,
      archiveSha256: archiveHash.digest('hex'),
      bytesByLevel: Object.fromEntries(gzip.bytesByLevel),
    };
  } catch (error) {
    await gzip.abandon();
    throw error;
  } finally {
    // A failure part way must not leave a worker writing into the temp folder.
    stopSnapshots?.abort(new TendFailure('CANCELLED', 'The backup stopped.'));
    await Promise.allSettled(snapshotsDone);
    await handle.close().catch(() => undefined);
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
      const level = source === path.join(root, entry.path) ? levelForPath(entry.path) : LOW_LEVEL;
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
            `Reading ${entry.path} failed part way: ${describeFsError(error)}`,
            { path: entry.path },
          );
        }
        if (read === 0) {
          target.fill(0);
          read = want;
          warning = 'It shrank while it was read; the archive holds it padded with zeros.';
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
        warning = 'It changed while it was read; the archive holds the bytes as they were read.';
      }
      const padding = tarPadding(size);
      if (padding > 0) await gzip.write(Buffer.alloc(padding), LOW_LEVEL);
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
  return fs.open(file, fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW);
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
