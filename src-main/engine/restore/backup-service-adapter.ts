/**
 * Restore's view of the backup service: its history as a BackupLocator, and its `writeWithin`
 * as the safety snapshotter (run inside the restore's job, which already holds the data lock).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { TendFailure } from '../../../src-shared/errors';
import type { BackupRecord } from '../../../src-shared/models/backups';
import type { SafetySnapshot } from '../../../src-shared/models/restore';
import { backupServiceFor, type BackupService } from '../backup/backup-service';
import type { EngineServices } from '../engine-services';
import type { RootSession } from '../root-session';
import { locateArchive, type BackupLocator, type LocatedBackup } from './backup-locator';
import type { SafetySnapshotter } from './safety-snapshot';

async function located(service: BackupService, record: BackupRecord): Promise<LocatedBackup> {
  const found = await locateArchive(service.archivePath(record));
  return { ...found, id: record.id, verified: record.verifyState === 'verified' };
}

/**
 * The backup history as restore reads it: completed backups whose archive is still there,
 * with the size recorded, and did not fail verification (the restorable ones), newest first.
 */
export function backupServiceLocator(session: RootSession, engine: EngineServices): BackupLocator {
  const service = () => backupServiceFor(session, engine);
  return {
    async newestSnapshot() {
      const { newestSnapshot } = await import('../repository/snapshot-archive');
      return newestSnapshot(session, engine);
    },
    async list() {
      const backups = service();
      // Backups written by another machine into the destination show up too.
      await backups.importDestinationIfNew().catch(() => undefined);
      const out: LocatedBackup[] = [];
      for (const record of backups.list()) {
        if (record.state !== 'completed') continue;
        const found = await located(backups, record).catch(() => null);
        if (!found?.sidecar || record.verifyState === 'failed') continue;
        if (record.archiveBytes !== null && found.sidecar.archive.bytes !== record.archiveBytes) {
          continue;
        }
        if (!(await archiveHasItsSize(found))) continue;
        out.push(found);
      }
      return out;
    },
    async resolve(ref) {
      // A repository snapshot (`snapshot:<id>`) is read as an archive made from it (issue 12).
      if (ref.startsWith('snapshot:')) {
        const { snapshotArchive } = await import('../repository/snapshot-archive');
        return locateArchive(await snapshotArchive(session, engine, ref));
      }
      if (path.isAbsolute(ref)) {
        const archive = ref.endsWith('.manifest.json')
          ? ref.replace(/\.manifest\.json$/, '.tar.gz')
          : ref;
        // An archive of the history, named by its path, is that backup (its verification too).
        const record = service()
          .list()
          .find((candidate) => service().archivePath(candidate) === archive);
        return record ? located(service(), record) : locateArchive(archive);
      }
      const backups = service();
      await backups.importDestinationIfNew().catch(() => undefined);
      return located(backups, backups.get(ref));
    },
  };
}

async function archiveHasItsSize(backup: LocatedBackup): Promise<boolean> {
  const stat = await fs.stat(backup.archivePath).catch(() => null);
  return stat !== null && stat.size === backup.sidecar?.archive.bytes;
}

/** The safety snapshot as a `pre-restore` backup written by the backup service. */
export function backupServiceSnapshotter(
  session: RootSession,
  engine: EngineServices,
): SafetySnapshotter {
  return {
    async take(context, paths): Promise<SafetySnapshot> {
      const service = backupServiceFor(session, engine);
      try {
        const record = await service.writeWithin(context, { kind: 'pre-restore', paths });
        return {
          id: record.id,
          archivePath: service.archivePath(record),
          files: record.files ?? 0,
        };
      } catch (error) {
        if (context.signal.aborted) throw context.signal.reason;
        const message = error instanceof Error ? error.message : String(error);
        throw new TendFailure(
          'RESTORE_SNAPSHOT_FAILED',
          `The safety snapshot could not be written, so nothing was changed: ${message}`,
          error instanceof TendFailure ? { cause: error.toError() } : undefined,
        );
      }
    },
  };
}

/** Registers an imported archive's folder with the backup history. */
export async function registerImported(
  session: RootSession,
  engine: EngineServices,
  folder: string,
): Promise<void> {
  await backupServiceFor(session, engine).importFrom(folder);
}
