/**
 * The backups an app makes of its own folder (the memory system's `memory_backup_*.tar.gz`)
 * shown beside Tend's, and imported into Tend's history on request: the app's archive is
 * read into staging (regular files and folders only, every path kept inside), archived again
 * as a Tend backup (every file's SHA-256, the manifest inside and beside it), so verify and
 * restore work on it as on any other. Importing the same file again does nothing.
 */
import { publishArchive } from './manifest-writer';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import * as tar from 'tar';
import { TendFailure } from '../../../src-shared/errors';
import { MANIFEST_FORMAT_VERSION } from '../../../src-shared/models/backup-manifest';
import type {
  AppBackup,
  AppBackupImport,
  AppBackupList,
  BackupRecord,
} from '../../../src-shared/models/backups';
import type { Category } from '../../../src-shared/models/categories';
import type { JobContext } from '../jobs/job-runner';
import type { AppBackupFile, AppBackups } from '../profiles/profile';
import type { RootSession } from '../root-session';
import { writeArchive } from './archive-writer';
import { archiveName, backupId, PARTIAL_SUFFIX, sidecarName } from './backup-naming';
import { scanScope } from './backup-scope';
import type { BackupService } from './backup-service';
import { readSidecar } from './backup-verify';
import { TEND_VERSION } from './tend-version';

/** What an imported backup covers: what the app's backup holds, by the profile's rules. */
const IMPORTED_CATEGORIES: ReadonlyArray<Category> = [
  'irreplaceable',
  'rebuildable',
  'redownloadable',
];

/**
 * Why a restore of an imported backup removes nothing: the app's backup holds only some of
 * the folder (the memory system's: memories, embeddings, indexes), so what it lacks was not
 * part of it.
 */
export const APP_BACKUP_LEFT_OUT =
  'made by the app, which backs up only part of its folder: a restore brings back the files it holds and removes nothing';

function appBackupsOf(session: RootSession): AppBackups {
  const own = session.profile.appBackups;
  if (!own) {
    throw new TendFailure(
      'INVALID_INPUT',
      `${session.profile.name} folders have no backups made by the app itself; only Tend's backups are in the history.`,
    );
  }
  return own;
}

async function sha256Of(file: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { signal })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The history's imported backups, by the app's file they came from. */
async function importedFrom(
  service: BackupService,
): Promise<Array<{ id: string; file: string; bytes: number; sha256: string }>> {
  const out: Array<{ id: string; file: string; bytes: number; sha256: string }> = [];
  for (const record of service.list()) {
    if (record.origin !== 'imported' || record.state !== 'completed') continue;
    const read = await readSidecar(service.sidecarPath(record));
    const madeBy = 'sidecar' in read ? read.sidecar.madeBy : undefined;
    if (madeBy) out.push({ id: record.id, ...madeBy });
  }
  return out;
}

/** The app's own backups of the root, newest first, each with the history's id it has. */
export async function listAppBackups(
  session: RootSession,
  service: BackupService,
): Promise<AppBackupList> {
  const own = session.profile.appBackups;
  if (!own) return { appName: null, folder: null, backups: [] };
  const files = await own.list(path.join(session.path, ...own.folder.split('/')));
  const imported = await importedFrom(service);
  const backups: AppBackup[] = files.map((backup) => ({
    ...backup,
    importedAs:
      imported.find((item) => item.file === backup.file && item.bytes === backup.bytes)?.id ?? null,
  }));
  return { appName: session.profile.appName, folder: own.folder, backups };
}

/** One of the app's backups by its file name: never a path from outside its folder. */
export async function findAppBackup(
  session: RootSession,
  file: string,
): Promise<{ own: AppBackups; backup: AppBackupFile; absolute: string }> {
  const own = appBackupsOf(session);
  const folder = path.join(session.path, ...own.folder.split('/'));
  const name = path.basename(file);
  const backup = (await own.list(folder)).find((candidate) => candidate.file === name);
  if (!backup) {
    throw new TendFailure(
      'BACKUP_NOT_FOUND',
      `There is no backup ${file} by ${session.profile.appName} in ${own.folder}/; list them with "tend backup import --app".`,
    );
  }
  return { own, backup, absolute: path.join(folder, name) };
}

/** The archive's regular files and folders, its other entries, and the bytes of the files. */
async function listArchive(
  file: string,
): Promise<{ files: string[]; dataBytes: number; others: string[] }> {
  const files: string[] = [];
  const others: string[] = [];
  let dataBytes = 0;
  try {
    await tar.t({
      file,
      strict: true,
      onReadEntry: (entry) => {
        if (entry.type === 'File' || entry.type === 'OldFile') {
          files.push(entry.path);
          dataBytes += entry.size ?? 0;
        } else if (entry.type !== 'Directory') others.push(entry.path);
      },
    });
  } catch (error) {
    throw new TendFailure(
      'BACKUP_CORRUPT',
      `${path.basename(file)} is not a whole tar.gz archive (${(error as Error).message}); it cannot be imported. Import an older one.`,
    );
  }
  return { files, dataBytes, others };
}

/**
 * What importing one of the app's backups does: its size, hash and contents, and the
 * history's backup it already is when imported before. Reads only.
 */
export async function planAppBackupImport(
  session: RootSession,
  service: BackupService,
  file: string,
  signal?: AbortSignal,
): Promise<{ plan: AppBackupImport; absolute: string; own: AppBackups }> {
  const { own, backup, absolute } = await findAppBackup(session, file);
  const sha256 = await sha256Of(absolute, signal);
  const listed = await listArchive(absolute);
  const already = (await importedFrom(service)).find((item) => item.sha256 === sha256);
  return {
    plan: {
      file: backup.file,
      takenAt: backup.takenAt,
      bytes: backup.bytes,
      sha256,
      files: listed.files.length,
      dataBytes: listed.dataBytes,
      alreadyImportedAs: already?.id ?? null,
      dryRun: true,
    },
    absolute,
    own,
  };
}

/**
 * Imports one of the app's backups into the history (inside a job): the record of the
 * backup it becomes, or the one it already is.
 */
export async function importAppBackup(
  context: JobContext,
  session: RootSession,
  service: BackupService,
  file: string,
): Promise<BackupRecord> {
  context.progress({ message: `Reading ${path.basename(file)}`, currentPath: null });
  const { plan, absolute, own } = await planAppBackupImport(session, service, file, context.signal);
  if (plan.alreadyImportedAs) return service.get(plan.alreadyImportedAs);
  const destination = await service.checkDestination({ kind: 'full' });
  const takenAt = new Date(plan.takenAt);
  const id = backupId('full', takenAt, (candidate) => {
    if (service.catalog.get(candidate)) return true;
    return false;
  });
  const tempDir = path.join(session.state.backupTemp, `${id}-import`);
  const tree = path.join(tempDir, 'tree');
  const archive = path.join(destination, archiveName(id));
  const sidecar = path.join(destination, sidecarName(id));
  const listed = await listArchive(absolute);
  const base = own.baseOf(listed.files);
  try {
    await fs.rm(tempDir, { recursive: true, force: true });
    await fs.mkdir(path.join(tree, ...base.split('/').filter(Boolean)), { recursive: true });
    // node-tar keeps every path inside `cwd` (no `..`, no absolute paths) unless told not to;
    // links, devices and FIFOs are not taken.
    await tar.x({
      file: absolute,
      cwd: path.join(tree, ...base.split('/').filter(Boolean)),
      strict: true,
      preservePaths: false,
      filter: (_path, entry) =>
        'type' in entry &&
        (entry.type === 'File' || entry.type === 'OldFile' || entry.type === 'Directory'),
    });
    context.throwIfCancelled();
    const scanned = await scanScope(tree, IMPORTED_CATEGORIES, null, {
      categorizer: session.categorize,
      unreadable: 'fail',
    });
    const scope = {
      ...scanned,
      skipped: [
        ...scanned.skipped,
        { path: '.', reason: APP_BACKUP_LEFT_OUT },
        ...listed.others.map((other) => ({
          path: other,
          reason: 'a link or special file in the app’s archive; not imported',
        })),
      ],
    };
    context.progress({
      bytesDone: 0,
      bytesTotal: scope.bytes,
      filesDone: 0,
      filesTotal: scope.files,
      message: `Importing ${plan.file} as ${id}`,
    });
    const written = await writeArchive({
      root: tree,
      scope,
      partialPath: archive + PARTIAL_SUFFIX,
      tempDir,
      assistantDb: null,
      manifestBase: {
        format: 'tend-backup',
        formatVersion: MANIFEST_FORMAT_VERSION,
        tendVersion: TEND_VERSION,
        id,
        kind: 'full',
        categories: IMPORTED_CATEGORIES,
        createdAt: plan.takenAt,
        // The app's archive it was read from: not this root as Tend backs it up.
        sourceRoot: absolute,
        host: session.profile.appName,
        madeBy: {
          app: session.profile.appName,
          file: plan.file,
          bytes: plan.bytes,
          sha256: plan.sha256,
        },
      },
      unreadable: 'fail',
      signal: context.signal,
      onProgress: (progress) => context.progress(progress),
    });
    await publishArchive(written, { archive, sidecar, signal: context.signal });
  } catch (error) {
    for (const partial of [archive + PARTIAL_SUFFIX, sidecar + PARTIAL_SUFFIX]) {
      await fs.rm(partial, { force: true }).catch(() => undefined);
    }
    throw error;
  } finally {
    await fs.rm(tempDir, { recursive: true, force: true }).catch(() => undefined);
  }
  await service.importFrom(destination);
  return service.get(id);
}
