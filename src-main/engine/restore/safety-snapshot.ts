/**
 * The safety snapshot (DESIGN §5, step 2): every live file a restore will replace or remove,
 * archived in the backup format before anything changes, so the restore can be undone.
 *
 * Restore takes it through the `SafetySnapshotter` interface: the backup service's
 * `writeWithin` when it is there, else the small writer here, which writes into
 * `.tend/restore/snapshots/`. Both run inside the restore's own job, which already holds the
 * data lock (the lock is not re-entrant, so no second job is started).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import Database from 'better-sqlite3';
import { Header, Pax } from 'tar';
import { TendFailure } from '../../../src-shared/errors';
import {
  MANIFEST_ENTRY,
  MANIFEST_FORMAT_VERSION,
  type BackupManifest,
  type BackupSidecar,
  type ManifestEntry,
} from '../../../src-shared/models/backup-manifest';
import type { SafetySnapshot } from '../../../src-shared/models/restore';
import type { JobContext } from '../jobs/job-runner';
import { categorize } from '../root/category-rules';
import { layout } from '../root/layout';
import { sidecarPathFor } from './backup-manifest-reader';

/** Takes the safety snapshot of some root-relative paths, inside the running restore job. */
export interface SafetySnapshotter {
  take(context: JobContext, paths: ReadonlyArray<string>): Promise<SafetySnapshot>;
}

/** Where the fallback writer keeps safety snapshots. */
export const SNAPSHOT_DIR = `${layout.tend}/restore/snapshots`;

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
const TEND_VERSION = '0.1.0';

function stamp(at: Date): string {
  return at.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

function headerBlocks(fields: {
  path: string;
  size: number;
  mode: number;
  mtimeMs: number;
  type: 'File' | 'Directory';
}): Buffer {
  const data = {
    path: fields.path,
    mode: fields.mode & 0o7777,
    uid: 0,
    gid: 0,
    size: fields.size,
    mtime: new Date(Math.floor(fields.mtimeMs)),
    type: fields.type,
    uname: '',
    gname: '',
  };
  const header = new Header(data);
  const block = Buffer.alloc(512);
  header.encode(block);
  if (!header.needPax) return block;
  return Buffer.concat([
    new Pax({ path: data.path, size: data.size, mtime: data.mtime }).encode(),
    block,
  ]);
}

function padding(size: number): Buffer {
  return Buffer.alloc((512 - (size % 512)) % 512);
}

function isSqlite(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(16);
    return fs.readSync(fd, head, 0, 16, 0) === 16 && head.equals(SQLITE_MAGIC);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Writes a pre-restore archive of `paths` (files only; missing ones are skipped) into
 * `<root>/.tend/restore/snapshots/` with its sidecar, through `.partial` names and renames.
 */
export async function writeSnapshotArchive(
  root: string,
  paths: ReadonlyArray<string>,
  context: JobContext,
): Promise<SafetySnapshot> {
  const dir = path.join(root, SNAPSHOT_DIR);
  await fsp.mkdir(dir, { recursive: true });
  const now = new Date();
  let id = `tend-${stamp(now)}-pre-restore`;
  for (let n = 2; fs.existsSync(path.join(dir, `${id}.tar.gz`)); n++) {
    id = `tend-${stamp(now)}-pre-restore-${n}`;
  }
  const archivePath = path.join(dir, `${id}.tar.gz`);
  const partial = `${archivePath}.partial`;
  const temp = fs.mkdtempSync(path.join(root, layout.tend, 'snapshot-'));
  const gzip = zlib.createGzip({ level: 1 });
  const out = fs.createWriteStream(partial);
  const archiveHash = createHash('sha256');
  let archiveBytes = 0;
  gzip.on('data', (chunk: Buffer) => {
    archiveHash.update(chunk);
    archiveBytes += chunk.length;
  });
  gzip.pipe(out);
  const closed = new Promise<void>((resolve, reject) => {
    out.on('close', resolve);
    out.on('error', reject);
    gzip.on('error', reject);
  });
  const push = async (buffer: Buffer) => {
    if (!gzip.write(buffer)) await new Promise((resolve) => gzip.once('drain', resolve));
  };
  const entries: ManifestEntry[] = [];
  let bytes = 0;
  try {
    let done = 0;
    for (const relative of [...paths].sort()) {
      context.throwIfCancelled();
      const absolute = path.join(root, relative);
      const stat = await fsp.lstat(absolute).catch(() => null);
      if (!stat || !stat.isFile()) continue;
      // A database's WAL and friends are inside its online-backup copy; archived raw beside
      // it, an old WAL could later be replayed into a database that already holds it.
      const companion = /^(.*)-(wal|shm|journal)$/.exec(relative);
      if (companion && fs.existsSync(path.join(root, companion[1]!))) continue;
      let source = absolute;
      if (isSqlite(absolute)) {
        // The online backup API gives a consistent copy even if a WAL is beside the file.
        source = path.join(temp, `db-${entries.length}`);
        const db = new Database(absolute, { fileMustExist: true, readonly: true });
        try {
          await db.backup(source);
        } finally {
          db.close();
        }
      }
      const content = await fsp.readFile(source);
      const sha256 = createHash('sha256').update(content).digest('hex');
      await push(
        headerBlocks({
          path: relative,
          size: content.length,
          mode: stat.mode,
          mtimeMs: stat.mtimeMs,
          type: 'File',
        }),
      );
      await push(content);
      await push(padding(content.length));
      entries.push({
        type: 'file',
        path: relative,
        size: content.length,
        mtimeMs: stat.mtimeMs,
        mode: stat.mode & 0o7777,
        sha256,
        category: categorize(relative) ?? 'irreplaceable',
      });
      bytes += content.length;
      done++;
      context.progress({ filesDone: done, currentPath: relative, message: 'Safety snapshot' });
    }
    const manifest: BackupManifest = {
      format: 'tend-backup',
      formatVersion: MANIFEST_FORMAT_VERSION,
      tendVersion: TEND_VERSION,
      id,
      kind: 'pre-restore',
      categories: ['irreplaceable', 'rebuildable', 'redownloadable', 'disposable'],
      createdAt: now.toISOString(),
      sourceRoot: root,
      host: os.hostname(),
      assistantSchemaVersion: null,
      collections: [],
      entries,
      totals: { files: entries.length, bytes },
      warnings: [],
    };
    const manifestBytes = Buffer.from(JSON.stringify(manifest));
    await push(
      headerBlocks({
        path: MANIFEST_ENTRY,
        size: manifestBytes.length,
        mode: 0o644,
        mtimeMs: now.getTime(),
        type: 'File',
      }),
    );
    await push(manifestBytes);
    await push(padding(manifestBytes.length));
    await push(Buffer.alloc(1024));
    gzip.end();
    await closed;
    const fd = fs.openSync(partial, 'r');
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    const sidecar: BackupSidecar = {
      ...manifest,
      archive: {
        fileName: path.basename(archivePath),
        bytes: archiveBytes,
        sha256: archiveHash.digest('hex'),
      },
    };
    fs.renameSync(partial, archivePath);
    const sidecarPath = sidecarPathFor(archivePath);
    fs.writeFileSync(`${sidecarPath}.partial`, JSON.stringify(sidecar, null, 2));
    fs.renameSync(`${sidecarPath}.partial`, sidecarPath);
    const dirFd = fs.openSync(dir, 'r');
    fs.fsyncSync(dirFd);
    fs.closeSync(dirFd);
    return { id, archivePath, files: entries.length };
  } catch (error) {
    gzip.destroy();
    out.destroy();
    fs.rmSync(partial, { force: true });
    if (error instanceof TendFailure && error.code === 'CANCELLED') throw error;
    if (context.signal.aborted) throw context.signal.reason;
    throw new TendFailure(
      'RESTORE_SNAPSHOT_FAILED',
      `The safety snapshot could not be written, so nothing was changed: ${(error as Error).message}`,
    );
  } finally {
    fs.rmSync(temp, { recursive: true, force: true });
  }
}

/** The fallback snapshotter: writes into `.tend/restore/snapshots/`. */
export function folderSnapshotter(root: string): SafetySnapshotter {
  return { take: (context, paths) => writeSnapshotArchive(root, paths, context) };
}
