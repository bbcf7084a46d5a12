import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { TendFailure, type TendError } from '../../../src-shared/errors';
import { formatBytes } from '../../../src-shared/language/bytes';
import { MANIFEST_FORMAT_VERSION } from '../../../src-shared/models/backup-manifest';
import type {
  BackupKind,
  BackupRecord,
  DestinationInfo,
  PrunePlan,
  RetentionPolicy,
  UnavailableBackup,
  VerifyDepth,
  VerifyReport,
} from '../../../src-shared/models/backups';
import type { Category } from '../../../src-shared/models/categories';
import { isFinished, type JobRecord } from '../../../src-shared/models/jobs';
import type { EngineServices } from '../engine-services';
import { publishArchive } from './manifest-writer';
import { checkSpace, diskSpace } from '../fs/free-space';
import type { JobContext } from '../jobs/job-runner';
import { readSettings } from '../root/settings-file';
import type { RootSession, SessionService } from '../root-session';
import { writeArchive, type ArchiveExtraFile, type ArchiveWriteOptions } from './archive-writer';
import { BackupCatalog } from './backup-catalog';
import {
  archiveName,
  backupId,
  isBackupId,
  PARTIAL_SUFFIX,
  sidecarName,
  SIDECAR_SUFFIX,
} from './backup-naming';
import {
  categoriesForKind,
  normalizeScopePaths,
  scanScope,
  type ScanOptions,
} from './backup-scope';
import { readSidecar, verifyArchive } from './backup-verify';
import { describeDestination, resolveDestination } from './destination';
import { planRetention } from './retention';
import { TEND_VERSION } from './tend-version';
import { processAlive } from '../jobs/process-alive';

// The job id or process id a temp folder that is not a backup's is named after.
const JOB_ID_SUFFIX = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
const PID_SUFFIX = /-pid-(\d+)$/;

/** What to back up. */
export interface BackupRequest {
  kind: BackupKind;
  /** Categories to cover; by default those of the kind. Required for `custom`. */
  categories?: ReadonlyArray<Category>;
  /** Root-relative files or folders; limits the backup to them (safety snapshots). */
  paths?: ReadonlyArray<string>;
  /** A destination for this backup only, instead of the one in settings. */
  destination?: string;
  /** Who asked: a schedule's backups say so in their title (the desktop notifies of the rest). */
  trigger?: 'manual' | 'schedule';
  /**
   * Files from outside the root to archive too, made once the job runs and the record exists
   * (the postgres-app profile dumps its database into `tempDir` here). A failure fails the
   * backup and leaves nothing behind, like any other.
   */
  extraFiles?: (tempDir: string, context: JobContext) => Promise<ReadonlyArray<ArchiveExtraFile>>;
}

/** Where tests reach in to play a full disk; production uses the real calls. */
export interface BackupFaults {
  /** Free bytes at a folder (default: statfs). */
  freeSpace?: (folder: string) => Promise<number>;
  /** Opens the archive for writing (default: a new file). */
  openOutput?: ArchiveWriteOptions['openOutput'];
  /** Opens a file to archive (default: read-only, not following links). */
  openSource?: ArchiveWriteOptions['openSource'];
  /** Lists a folder of the root (default: fs/sys-fs.ts); tests make one unreadable as root. */
  readFolder?: ScanOptions['readFolder'];
  /** Called by the start-up recovery once it has listed the backups marked running. */
  recoveryListed?: () => Promise<void>;
}

/** How a backup job's title starts: one a person asked for, and one a schedule started. */
export const MANUAL_TITLE = 'Back up';
export const SCHEDULED_TITLE = 'Scheduled backup';

function toTendError(error: unknown): TendError {
  if (error instanceof TendFailure) return error.toError();
  return { code: 'INTERNAL', message: (error as Error)?.message ?? String(error) };
}

/** Removes a file Tend wrote: only a regular file, never through a link. */
async function removeOwnFile(file: string): Promise<void> {
  const stat = await fs.lstat(file).catch(() => null);
  if (stat?.isFile()) await fs.rm(file, { force: true });
}

/**
 * Backups of one root (DESIGN §4): writes archives as jobs, keeps the history in the catalog,
 * verifies, prunes with grandfather-father-son retention, and recovers after a crash.
 */
export class BackupService implements SessionService {
  readonly catalog: BackupCatalog;
  private activeJobId: string | null = null;
  private lastImported: string | null = null;

  constructor(
    private readonly session: RootSession,
    private readonly engine: EngineServices,
    private readonly faults: BackupFaults = {},
  ) {
    this.catalog = new BackupCatalog(session.catalog);
  }

  /**
   * Starts a backup as its own job. It takes the data lock, so it never sees a restore half
   * done. A second backup asked while one is queued or running is refused with BACKUP_RUNNING.
   */
  start(request: BackupRequest): JobRecord {
    if (this.activeJobId) {
      const active = this.session.jobs.get(this.activeJobId);
      if (!isFinished(active.state)) {
        throw new TendFailure(
          'BACKUP_RUNNING',
          `A backup is already ${active.state} (${active.title}, since ${active.startedAt ?? active.createdAt}). Wait for it to end or cancel it.`,
          { jobId: active.id },
        );
      }
    }
    const job = this.session.jobs.start({
      kind: 'backup',
      title: `${request.trigger === 'schedule' ? SCHEDULED_TITLE : MANUAL_TITLE} (${request.kind})`,
      writesRoot: true,
      run: (context) => this.writeWithin(context, request),
    });
    this.activeJobId = job.id;
    return job;
  }

  /**
   * Checks before a job starts that the backup has somewhere to go, so the person who asked
   * hears NO_DESTINATION or DESTINATION_INSIDE_ROOT at once rather than from a failed job.
   */
  async checkDestination(request: BackupRequest): Promise<string> {
    const settings = await readSettings(this.session.state.settings);
    return resolveDestination(
      this.session.path,
      request.destination ?? settings.backup.destination,
      request.kind,
      this.session.state.snapshots,
    );
  }

  /** Writes a backup from inside a job that already holds the data lock (no lock taken here). */
  async writeWithin(context: JobContext, request: BackupRequest): Promise<BackupRecord> {
    const root = this.session.path;
    const settings = await readSettings(this.session.state.settings);
    const destination = await resolveDestination(
      root,
      request.destination ?? settings.backup.destination,
      request.kind,
      this.session.state.snapshots,
    );
    if (request.kind === 'custom' && !request.categories?.length) {
      throw new TendFailure('INVALID_INPUT', 'A custom backup needs the categories to cover.');
    }
    const paths = request.paths ? normalizeScopePaths(request.paths) : null;
    // A safety snapshot of named paths holds every one of them, whatever its category: the
    // restore or migration after it changes exactly those. Other backups never hold
    // disposable files. A safety snapshot that leaves out a file it cannot read would let
    // the change after it go with no way back: it fails instead.
    const safety = request.kind === 'pre-restore' || request.kind === 'pre-migration';
    const categories =
      safety && paths
        ? (['irreplaceable', 'rebuildable', 'redownloadable', 'disposable'] as const).slice()
        : [...(request.categories ?? categoriesForKind(request.kind))].filter(
            (category) => category !== 'disposable',
          );
    const unreadable = safety ? 'fail' : settings.backup.unreadableFiles;
    context.progress({ message: 'Listing files', currentPath: null });
    const scope = await scanScope(root, categories, paths, {
      categorizer: this.session.categorize,
      unreadable,
      includeDisposable: safety && paths !== null,
      readFolder: this.faults.readFolder,
    });
    context.throwIfCancelled();

    const free = this.faults.freeSpace
      ? await this.faults.freeSpace(destination)
      : (await diskSpace(destination)).freeBytes;
    const space = checkSpace(scope.bytes, free);
    if (!space.enough) {
      throw new TendFailure(
        'NO_SPACE',
        `Not enough space at the backup destination ${destination}: this backup may need up to ${formatBytes(space.neededBytes)} (with a margin of ${formatBytes(space.marginBytes)}) and ${formatBytes(free)} is free. Free space there or choose another destination.`,
        { destination, neededBytes: space.neededBytes, freeBytes: free },
      );
    }

    const createdAt = new Date();
    const id = backupId(
      request.kind,
      createdAt,
      (candidate) => this.catalog.get(candidate) !== null,
    );
    const record: BackupRecord = {
      id,
      kind: request.kind,
      categories,
      state: 'running',
      destination,
      fileName: archiveName(id),
      createdAt: createdAt.toISOString(),
      finishedAt: null,
      durationMs: null,
      archiveBytes: null,
      archiveSha256: null,
      files: null,
      dataBytes: null,
      verifyState: 'unverified',
      verifiedAt: null,
      verifyMessage: null,
      warnings: [
        ...scope.skipped.map((item) => ({ path: item.path, message: `Left out: ${item.reason}` })),
        ...scope.notes,
      ],
      error: null,
      jobId: context.jobId,
      origin: 'created',
      host: os.hostname(),
    };
    this.catalog.insert(record);
    this.changed();

    const archive = path.join(destination, archiveName(id));
    const sidecar = path.join(destination, sidecarName(id));
    const tempDir = path.join(this.session.state.backupTemp, id);
    const started = Date.now();
    context.progress({
      bytesDone: 0,
      bytesTotal: scope.bytes,
      filesDone: 0,
      filesTotal: scope.files,
      message: `Writing ${archiveName(id)} to ${destination}`,
    });
    try {
      await fs.mkdir(tempDir, { recursive: true });
      const extras =
        request.extraFiles ??
        (await this.session.profile.backupExtras?.(this.session.state, request.kind)) ??
        null;
      const extraFiles = extras ? await extras(tempDir, context) : [];
      context.throwIfCancelled();
      const written = await writeArchive({
        extraFiles,
        stores: this.session.profile.stores,
        root,
        scope,
        partialPath: archive + PARTIAL_SUFFIX,
        tempDir,
        assistantDb: this.session.assistantStore?.db ?? null,
        manifestBase: {
          format: 'tend-backup',
          formatVersion: MANIFEST_FORMAT_VERSION,
          tendVersion: TEND_VERSION,
          id,
          kind: request.kind,
          categories,
          createdAt: record.createdAt,
          sourceRoot: root,
          host: record.host,
        },
        unreadable,
        damagedDatabases: safety || request.kind === 'pre-update' ? 'as-is' : 'fail',
        signal: context.signal,
        onProgress: (progress) => context.progress(progress),
        openOutput: this.faults.openOutput,
        openSource: this.faults.openSource,
      });
      await publishArchive(written, { archive, sidecar, signal: context.signal });
      const warnings = written.warnings;
      this.catalog.finish(id, {
        state: 'completed',
        finishedAt: new Date().toISOString(),
        durationMs: Date.now() - started,
        error: null,
        archiveBytes: written.archiveBytes,
        archiveSha256: written.archiveSha256,
        files: written.totals.files,
        dataBytes: written.totals.bytes,
        warnings,
      });
      this.changed();
      return this.get(id);
    } catch (error) {
      const reason = context.signal.aborted ? context.signal.reason : error;
      for (const file of [archive + PARTIAL_SUFFIX, sidecar + PARTIAL_SUFFIX, archive, sidecar]) {
        await removeOwnFile(file).catch(() => undefined);
      }
      const tendError = toTendError(reason);
      this.catalog.finish(id, {
        state: tendError.code === 'CANCELLED' ? 'cancelled' : 'failed',
        finishedAt: new Date().toISOString(),
        durationMs: Date.now() - started,
        error: tendError,
      });
      this.changed();
      throw reason;
    } finally {
      await fs.rm(tempDir, { recursive: true, force: true }).catch(() => undefined);
    }
  }

  /** Every backup, newest first. */
  list(): BackupRecord[] {
    return this.catalog.list();
  }

  /** One backup by id or by its archive's file name (or path); BACKUP_NOT_FOUND otherwise. */
  get(idOrFile: string): BackupRecord {
    const base = path.basename(idOrFile.trim());
    const id = base.endsWith('.tar.gz')
      ? base.slice(0, -'.tar.gz'.length)
      : base.endsWith(SIDECAR_SUFFIX)
        ? base.slice(0, -SIDECAR_SUFFIX.length)
        : base;
    const record = this.catalog.get(id);
    if (!record) {
      throw new TendFailure('BACKUP_NOT_FOUND', `There is no backup ${idOrFile} in the history.`);
    }
    return record;
  }

  /** The newest completed backup that passed verification, or null. */
  newestVerified(): BackupRecord | null {
    return (
      this.catalog
        .list()
        .find((record) => record.state === 'completed' && record.verifyState === 'verified') ?? null
    );
  }

  /** The newest completed backup (not a safety snapshot), or null. */
  newestCompleted(): BackupRecord | null {
    return (
      this.catalog
        .list()
        .find(
          (record) =>
            record.state === 'completed' &&
            record.kind !== 'pre-restore' &&
            record.kind !== 'pre-migration',
        ) ?? null
    );
  }

  /** Where a backup's archive is. */
  archivePath(record: BackupRecord): string {
    return path.join(record.destination, record.fileName);
  }

  /** Where a backup's sidecar is. */
  sidecarPath(record: BackupRecord): string {
    return path.join(record.destination, sidecarName(record.id));
  }

  /** Verifies backups as a job (reads only; runs beside writers). */
  startVerify(ids: ReadonlyArray<string>, depth: VerifyDepth): JobRecord {
    const records = ids.map((id) => this.get(id));
    for (const record of records) {
      if (record.state !== 'completed') {
        throw new TendFailure(
          'BACKUP_NOT_FOUND',
          `Backup ${record.id} did not complete (${record.state}); there is no archive to verify.`,
        );
      }
    }
    const title =
      records.length === 1 ? `Verify ${records[0]!.id}` : `Verify ${records.length} backups`;
    return this.session.jobs.start({
      kind: 'verify',
      title,
      writesRoot: false,
      run: async (context) => {
        const reports: VerifyReport[] = [];
        const total = records.reduce((sum, record) => sum + (record.archiveBytes ?? 0), 0);
        let before = 0;
        context.progress({
          bytesDone: 0,
          bytesTotal: total,
          filesDone: 0,
          filesTotal: records.length,
        });
        for (const record of records) {
          reports.push(
            await this.verify(record, depth, context.signal, (bytes, currentPath) =>
              context.progress({ bytesDone: before + bytes, currentPath }),
            ),
          );
          before += record.archiveBytes ?? 0;
          context.progress({ filesDone: reports.length });
        }
        const failed = reports.filter((report) => !report.ok);
        if (failed.length > 0) {
          throw new TendFailure(
            'BACKUP_CORRUPT',
            failed.map((report) => `${report.id}: ${report.problems.join(' ')}`).join('\n'),
            { reports },
          );
        }
        return { reports };
      },
    });
  }

  /** Verifies one backup now and records the outcome. */
  async verify(
    record: BackupRecord,
    depth: VerifyDepth,
    signal: AbortSignal,
    onProgress?: (bytesRead: number, currentPath: string | null) => void,
  ): Promise<VerifyReport> {
    const report = await verifyArchive(
      {
        id: record.id,
        archivePath: this.archivePath(record),
        sidecarPath: this.sidecarPath(record),
        expectedSha256: record.archiveSha256,
      },
      depth,
      signal,
      onProgress,
    );
    // A quick check that passes does not make an unverified archive verified; one that fails
    // does mark it failed.
    if (!report.ok) {
      this.catalog.setVerified(
        record.id,
        'failed',
        new Date().toISOString(),
        report.problems.join(' '),
      );
    } else if (depth === 'full') {
      this.catalog.setVerified(record.id, 'verified', new Date().toISOString(), null);
    }
    this.changed();
    return report;
  }

  /**
   * The completed backups that cannot be restored now, and why: the archive is missing (a
   * wiped or unplugged drive), has another size than recorded, or failed verification.
   */
  async unavailable(): Promise<UnavailableBackup[]> {
    const out: UnavailableBackup[] = [];
    for (const record of this.catalog.list()) {
      if (record.state !== 'completed') continue;
      const reason = await this.unavailableBecause(record);
      if (reason) out.push({ id: record.id, reason });
    }
    return out;
  }

  private async unavailableBecause(record: BackupRecord): Promise<string | null> {
    if (record.verifyState === 'failed') {
      return `it failed verification${record.verifyMessage ? ` (${record.verifyMessage})` : ''}`;
    }
    const stat = await fs.lstat(this.archivePath(record)).catch(() => null);
    if (!stat) {
      const folder = await fs.stat(record.destination).catch(() => null);
      return folder
        ? `its archive ${record.fileName} is missing from ${record.destination}`
        : `its destination ${record.destination} cannot be reached (is the drive connected?)`;
    }
    if (!stat.isFile()) return `${this.archivePath(record)} is not a file`;
    if (record.archiveBytes !== null && stat.size !== record.archiveBytes) {
      return `its archive has ${stat.size} bytes, not the ${record.archiveBytes} written`;
    }
    return null;
  }

  /**
   * What pruning would delete now, and why each backup stays or goes. Archives are looked at
   * first: only restorable backups fill the policy's slots.
   */
  async planPrune(preview?: RetentionPolicy): Promise<PrunePlan> {
    const settings = await readSettings(this.session.state.settings);
    const policy = preview ?? settings.backup.retention;
    const records = this.catalog.list();
    const unavailable = new Map((await this.unavailable()).map((item) => [item.id, item.reason]));
    const decisions = planRetention(
      records,
      policy,
      (record) => record.origin === 'created',
      unavailable,
    );
    const doomed = decisions.filter((decision) => decision.action === 'delete');
    return {
      policy,
      decisions,
      deleteCount: doomed.length,
      freedBytes: doomed.reduce((sum, decision) => sum + (decision.archiveBytes ?? 0), 0),
    };
  }

  /** Deletes what the retention plan says goes; returns the plan it carried out. */
  async prune(): Promise<PrunePlan> {
    const plan = await this.planPrune();
    for (const decision of plan.decisions) {
      if (decision.action === 'delete') await this.delete(decision.id);
    }
    return plan;
  }

  /**
   * Deletes one backup's archive and sidecar and its record. Only files Tend recorded, by
   * their exact names, and only regular files: a link is left alone.
   */
  async delete(idOrFile: string): Promise<BackupRecord> {
    const record = this.get(idOrFile);
    if (record.state === 'running') {
      throw new TendFailure(
        'BACKUP_RUNNING',
        `Backup ${record.id} is still being written; cancel it first.`,
      );
    }
    if (!isBackupId(record.id)) {
      throw new TendFailure(
        'INVALID_INPUT',
        `${record.id} is not a name Tend gives backups; not deleting it.`,
      );
    }
    await removeOwnFile(this.archivePath(record));
    await removeOwnFile(this.sidecarPath(record));
    this.catalog.remove(record.id);
    this.changed();
    return record;
  }

  /**
   * Reads the sidecars in a folder back into the history: after the catalog was lost, or when
   * a destination holding backups from another machine is added. Returns how many were new.
   */
  async importFrom(folder: string): Promise<number> {
    const names = await fs.readdir(folder).catch(() => [] as string[]);
    let added = 0;
    for (const name of names) {
      if (!name.endsWith(SIDECAR_SUFFIX)) continue;
      const id = name.slice(0, -SIDECAR_SUFFIX.length);
      if (!isBackupId(id) || this.catalog.get(id)) continue;
      const read = await readSidecar(path.join(folder, name));
      if ('problem' in read) continue;
      const sidecar = read.sidecar;
      // A sidecar is read from disk: it names only its own archive, beside it, by Tend's rule.
      if (sidecar.id !== id || sidecar.archive.fileName !== archiveName(id)) continue;
      const archive = await fs.lstat(path.join(folder, archiveName(id))).catch(() => null);
      if (!archive?.isFile()) continue;
      const ours = sidecar.host === os.hostname() && sidecar.sourceRoot === this.session.path;
      const inserted = this.catalog.insert({
        id,
        kind: sidecar.kind,
        categories: sidecar.categories,
        state: 'completed',
        destination: folder,
        fileName: archiveName(id),
        createdAt: sidecar.createdAt,
        finishedAt: sidecar.createdAt,
        durationMs: null,
        archiveBytes: sidecar.archive.bytes,
        archiveSha256: sidecar.archive.sha256,
        files: sidecar.totals.files,
        dataBytes: sidecar.totals.bytes,
        verifyState: 'unverified',
        verifiedAt: null,
        verifyMessage: null,
        warnings: sidecar.warnings,
        error: null,
        jobId: null,
        // Tend's own backups of this folder come back as its own, so retention still prunes them.
        origin: ours ? 'created' : 'imported',
        host: sidecar.host,
      });
      if (inserted) added += 1;
    }
    if (added > 0) this.changed();
    return added;
  }

  /** Imports the destination in settings when it changed since the last import. */
  async importDestinationIfNew(): Promise<void> {
    const settings = await readSettings(this.session.state.settings).catch(() => null);
    const destination = settings?.backup.destination ?? null;
    if (!destination || destination === this.lastImported) return;
    this.lastImported = destination;
    const real = await fs.realpath(destination).catch(() => null);
    if (real) await this.importFrom(real);
  }

  /**
   * Start-up recovery: a backup still marked running whose job is gone was cut off (a crash,
   * a kill). Its files are removed, since none was ever recorded complete, and it is marked
   * interrupted; stray `.partial` files in the destinations and temp folders go too.
   *
   * Another Tend may be writing a backup of this folder right now (the open app while a
   * command starts): whether a backup is cut off is decided for each record and file at the
   * moment it would be removed, never from a list taken earlier, so a backup that started or
   * ended meanwhile is left alone.
   */
  async recover(): Promise<BackupRecord[]> {
    const recovered: BackupRecord[] = [];
    const listed = this.catalog.running();
    await this.faults.recoveryListed?.();
    for (const { id } of listed) {
      const record = this.catalog.get(id);
      if (!record || record.state !== 'running' || this.beingWritten(record)) continue;
      for (const file of [
        this.archivePath(record) + PARTIAL_SUFFIX,
        this.sidecarPath(record) + PARTIAL_SUFFIX,
        this.archivePath(record),
        this.sidecarPath(record),
      ]) {
        await removeOwnFile(file).catch(() => undefined);
      }
      this.catalog.finish(record.id, {
        state: 'interrupted',
        finishedAt: new Date().toISOString(),
        durationMs: null,
        error: {
          code: 'INTERNAL',
          message: 'Tend stopped while this backup was written; its partial file was removed.',
        },
      });
      recovered.push(this.get(record.id));
    }
    const settings = await readSettings(this.session.state.settings).catch(() => null);
    const folders = new Set([this.session.state.snapshots]);
    if (settings?.backup.destination) folders.add(settings.backup.destination);
    for (const record of this.catalog.list().slice(0, 50)) folders.add(record.destination);
    for (const folder of folders) {
      const names = await fs.readdir(folder).catch(() => [] as string[]);
      for (const name of names) {
        if (!name.endsWith(PARTIAL_SUFFIX)) continue;
        const id = name.replace(/(\.tar\.gz|\.manifest\.json)\.partial$/, '');
        if (isBackupId(id) && !this.idBeingWritten(id)) {
          await removeOwnFile(path.join(folder, name));
        }
      }
    }
    const temp = this.session.state.backupTemp;
    for (const name of await fs.readdir(temp).catch(() => [] as string[])) {
      if (!this.idBeingWritten(name)) {
        await fs.rm(path.join(temp, name), { recursive: true, force: true });
      }
    }
    return recovered;
  }

  /** Whether a job of a live Tend (this one or another) is writing this backup now. */
  private beingWritten(record: BackupRecord): boolean {
    const job = record.jobId ? this.jobState(record.jobId) : null;
    return job === 'running' || job === 'queued';
  }

  /**
   * Whether the backup of this id is being written now, read from the catalog at this moment.
   * A backup records itself, with its job, before it writes a temp folder or a partial file,
   * so neither can belong to a live backup that has no record. Other temp folders live as long
   * as what they are named after: a job (`pg-restore-<job id>`, `repository-<job id>`) or a
   * command's process (`…-pid-<pid>`).
   */
  private idBeingWritten(id: string): boolean {
    const record = this.catalog.get(id);
    if (record) return record.state === 'running' && this.beingWritten(record);
    const jobId = JOB_ID_SUFFIX.exec(id)?.[1];
    if (jobId) {
      const job = this.jobState(jobId);
      return job === 'running' || job === 'queued';
    }
    const pid = PID_SUFFIX.exec(id)?.[1];
    return pid !== undefined && processAlive(Number(pid));
  }

  /** The destination in settings, its free space and whether it shares the data's disk. */
  async destinationInfo(): Promise<DestinationInfo> {
    const settings = await readSettings(this.session.state.settings);
    const lastFull = this.catalog
      .list()
      .find((record) => record.state === 'completed' && record.kind === 'full');
    return describeDestination(
      this.session.path,
      settings.backup.destination,
      lastFull?.archiveBytes ?? null,
    );
  }

  private jobState(jobId: string): JobRecord['state'] | null {
    try {
      return this.session.jobs.get(jobId).state;
    } catch {
      return null;
    }
  }

  /** Nothing to release: jobs stop with the session's runner, files are closed per backup. */
  close(): void {
    this.activeJobId = null;
  }

  /** Tells every window the history changed. */
  private changed(): void {
    this.engine.events.emit('backups:changed', { at: new Date().toISOString() });
  }
}

/** The open root's backup service, made once per session. */
export function backupServiceFor(session: RootSession, engine: EngineServices): BackupService {
  return session.service('backup', () => new BackupService(session, engine));
}
