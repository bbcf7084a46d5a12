/**
 * The restore domain of one open root: plans, restore and undo jobs, export to another folder
 * and import of a backup file from elsewhere.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { TendFailure } from '../../../src-shared/errors';
import type { BackupSidecar } from '../../../src-shared/models/backup-manifest';
import type { JobRecord } from '../../../src-shared/models/jobs';
import {
  LastRestoreSchema,
  type LatestChoice,
  type LastRestore,
  type RestorableBackup,
  type RestoreExportResult,
  type RestoreImportResult,
  type RestorePlan,
  type RestoreScope,
} from '../../../src-shared/models/restore';
import type { EngineServices } from '../engine-services';
import { resolveThroughLinks } from '../backup/destination';
import { renameDurably, writeFileDurablySync } from '../fs/durable';
import { displayName } from '../fs/raw-name';
import { VectorService } from '../vectors/vector-service';
import { isWithin } from '../root/confine';
import type { ProfiledRoot } from '../profiles/profiled-root';
import { readSettings } from '../root/settings-file';
import type { RootSession, SessionService } from '../root-session';
import { isUnder } from './archive-path';
import {
  backupServiceLocator,
  backupServiceSnapshotter,
  registerImported,
} from './backup-service-adapter';
import {
  newestRestorable,
  toRestorable,
  type BackupLocator,
  type LocatedBackup,
  type SnapshotLookup,
} from './backup-locator';
import { readSidecar, sidecarPathFor } from './backup-manifest-reader';
import type { RestorePlace } from './restore-journal';
import { normalizeScopePath, planRestore } from './restore-plan';
import { runRestore, type RestoreStep } from './restore-run';
import type { SafetySnapshotter } from './safety-snapshot';
import { extractVerified } from './verified-extract';
import { removeTree } from '../fs/sys-fs';

/** What the service is built from; tests pass their own snapshotter or step hook. */
export interface RestoreServiceParts {
  locator?: BackupLocator;
  snapshotter?: SafetySnapshotter;
  onStep?: (step: RestoreStep, swapped?: number) => void;
}

/** Whether the last restore can still be undone. */
export function canUndo(last: LastRestore | null): boolean {
  return (
    last !== null &&
    last.undoneAt === null &&
    !last.report.undo &&
    last.report.outcome === 'restored' &&
    last.report.safetySnapshot !== null
  );
}

/** The restore domain of one root. */
export class RestoreService implements SessionService {
  readonly locator: BackupLocator;
  private readonly snapshotter: SafetySnapshotter;

  constructor(
    private readonly session: RootSession,
    private readonly engine: EngineServices,
    private readonly parts: RestoreServiceParts = {},
  ) {
    this.locator = parts.locator ?? backupServiceLocator(session, engine);
    this.snapshotter = parts.snapshotter ?? backupServiceSnapshotter(session, engine);
  }

  /** Nothing to close: every restore job ends with the session's job runner. */
  close(): void {}

  /** Backups to choose from, newest first. */
  async backups(): Promise<RestorableBackup[]> {
    return (await this.locator.list()).flatMap((backup) => toRestorable(backup) ?? []);
  }

  /** Where this root's restores keep their journal and last report (Tend's state). */
  private get place(): RestorePlace {
    return {
      root: this.session.path,
      journal: this.session.state.restoreJournal,
      last: this.session.state.lastRestore,
    };
  }

  /** The preview of a restore. */
  async plan(ref: string, scope: RestoreScope): Promise<RestorePlan> {
    return (await planRestore(this.session, await this.locator.resolve(ref), scope)).plan;
  }

  /**
   * The one-click plan, of everything: `latest` is the newest restorable backup (the first
   * `backups()` lists that is not a safety snapshot), `newest-verified` the newest one that
   * passed a full verification. The plan says which backup and whether it was verified; with
   * none to take, the plan is null and `reason` says why and what to do.
   */
  async latest(choice: LatestChoice = 'latest'): Promise<{
    plan: RestorePlan | null;
    reason: string | null;
  }> {
    let chosen = await newestRestorable(this.locator, choice);
    // A newer snapshot in the encrypted repository is the latest backup too (issue 12); one
    // that cannot be read now is said, never passed over in silence for an older archive.
    let unreadable: string | null = null;
    if (choice === 'latest' && this.locator.newestSnapshot) {
      const snapshot = await this.locator
        .newestSnapshot()
        .catch((error: unknown): SnapshotLookup => ({
          state: 'unreadable',
          location: 'its place',
          why: (error as Error).message,
        }));
      if (snapshot.state === 'found' && snapshot.createdAt > (chosen?.sidecar?.createdAt ?? '')) {
        chosen = await this.locator.resolve(snapshot.ref);
      }
      if (snapshot.state === 'unreadable') {
        unreadable = `The encrypted repository at ${snapshot.location} cannot be read now (${snapshot.why.replace(/\.$/, '')}), and it may hold a newer backup: unlock it in Settings › Encrypted backups (or connect its disk), then ask again.`;
      }
    }
    if (!chosen) {
      const any = await newestRestorable(this.locator, 'latest');
      return {
        plan: null,
        reason: unreadable
          ? `No archive to restore here. ${unreadable}`
          : !any
            ? 'There is no backup to restore yet (or none whose archive is there). Back up first, or import a backup file.'
            : `No backup has been verified yet. Verify one (tend backup verify ${any.id}), or restore the latest one, ${any.id}: every file is checked against its manifest as it is restored anyway.`,
      };
    }
    const { plan } = await planRestore(this.session, chosen, { kind: 'everything' });
    const warnings = [
      ...(unreadable ? [unreadable] : []),
      ...(chosen.verified
        ? []
        : [
            `${chosen.id} is the newest ${unreadable ? 'archive' : 'backup'} and has not been verified yet. The restore checks every file against its manifest as it goes anyway, and changes nothing if one does not match.`,
          ]),
    ];
    return {
      plan: warnings.length > 0 ? { ...plan, warnings: [...warnings, ...plan.warnings] } : plan,
      reason: null,
    };
  }

  /** Starts a restore job. */
  async apply(ref: string, scope: RestoreScope): Promise<JobRecord> {
    const backup = await this.locator.resolve(ref);
    // Refusals are said at once, not after the job has queued.
    const { plan } = await planRestore(this.session, backup, scope);
    if (plan.refusals[0]) {
      const first = plan.refusals[0];
      throw new TendFailure(first.code, first.message, { refusals: plan.refusals });
    }
    return this.startRestore(backup, scope, false, `Restore ${backup.id}`);
  }

  /** The last restore, from its record in Tend's state. */
  last(): LastRestore | null {
    try {
      const text = fs.readFileSync(this.place.last, 'utf8');
      const parsed = LastRestoreSchema.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  /** Starts the undo of the last restore: its safety snapshot, over exactly what it touched. */
  async undo(): Promise<JobRecord> {
    const last = this.last();
    if (!last || !canUndo(last)) {
      throw new TendFailure(
        'RESTORE_NOTHING_TO_UNDO',
        last
          ? 'The last restore cannot be undone (it was an undo, was rolled back, or is already undone).'
          : 'There is no restore to undo.',
      );
    }
    const snapshot = last.report.safetySnapshot!;
    const backup = await this.locator.resolve(snapshot.archivePath);
    const paths = last.touched.length > 0 ? [...last.touched] : [];
    return this.startRestore(
      backup,
      { kind: 'paths', paths },
      true,
      `Undo restore of ${last.report.backupId}`,
      () => {
        writeFileDurablySync(
          this.place.last,
          JSON.stringify({ ...last, undoneAt: new Date().toISOString() }),
        );
      },
    );
  }

  private startRestore(
    backup: LocatedBackup,
    scope: RestoreScope,
    undo: boolean,
    title: string,
    afterUndo?: () => void,
  ): JobRecord {
    return this.session.jobs.start({
      kind: 'restore',
      title,
      writesRoot: true,
      run: async (context) => {
        // Tend's own hold on the root: the vector indexes it keeps loaded are dropped before
        // the swap and again after it, so the next search reads the restored files.
        const releaseHandles = () => VectorService.of(this.session, this.engine.events).close();
        releaseHandles();
        try {
          const report = await runRestore({
            target: this.session,
            place: this.place,
            backup,
            scope,
            snapshotter: this.snapshotter,
            context,
            undo,
            onStep: this.parts.onStep,
          });
          afterUndo?.();
          return report;
        } finally {
          releaseHandles();
        }
      },
    });
  }

  /**
   * Starts a job that writes a backup's files into another, new or empty folder. The folder
   * is judged once its links are followed (a link to the data folder is the data folder), and
   * the job removes nothing but the temporary folder it made itself.
   */
  async export(ref: string, target: string, scope: RestoreScope): Promise<JobRecord> {
    const backup = await this.locator.resolve(ref);
    const sidecar = requireSidecar(backup);
    const given = path.resolve(target);
    const absolute = await resolveThroughLinks(given);
    const realRoot = await fsp.realpath(this.session.path);
    if (isWithin(realRoot, absolute) || isWithin(absolute, realRoot)) {
      throw new TendFailure(
        'PATH_OUTSIDE_ROOT',
        `Export into a folder outside the data folder, not ${given}${absolute !== given ? ` (which is ${absolute} once its links are followed)` : ''}.`,
      );
    }
    const there = await fsp.lstat(absolute).catch(() => null);
    if (there && !there.isDirectory()) {
      throw new TendFailure(
        'RESTORE_TARGET_NOT_EMPTY',
        `${given} is a file; export into a new or empty folder.`,
      );
    }
    const existing = there ? await fsp.readdir(absolute) : null;
    if (existing && existing.length > 0) {
      throw new TendFailure(
        'RESTORE_TARGET_NOT_EMPTY',
        `${given} already holds files; export into a new or empty folder.`,
      );
    }
    const select = exportSelector(scope, this.session);
    return this.session.jobs.start({
      kind: 'restore',
      title: `Export ${backup.id} to ${absolute}`,
      writesRoot: false,
      run: async (context): Promise<RestoreExportResult> => {
        const parent = path.dirname(absolute);
        await fsp.mkdir(parent, { recursive: true });
        // A name of its own, made here and now: whatever else sits beside the target (an
        // older partial export, a person's folder of that name) is never touched.
        const partial = await fsp.mkdtemp(
          path.join(parent, `.${path.basename(absolute)}.tend-partial-`),
        );
        try {
          context.progress({
            message: 'Unpacking and checking every file',
            bytesTotal: sidecar.totals.bytes,
            filesTotal: sidecar.totals.files,
          });
          const result = await extractVerified({
            archivePath: backup.archivePath,
            manifest: sidecar,
            target: partial,
            select: (entry) => select(entry.path, entry.category),
            signal: context.signal,
            onProgress: ({ bytes, files, currentPath }) =>
              context.progress({ bytesDone: bytes, filesDone: files, currentPath }),
          });
          if (there) await fsp.rmdir(absolute);
          await renameDurably(partial, absolute);
          return {
            backupId: backup.id,
            target: absolute,
            files: result.filesWritten,
            bytes: result.bytesWritten,
            links: result.linksWritten,
            warnings: [
              ...result.skippedLinks.map(
                (link) =>
                  `${displayName(link.path)} is a link leading outside (${link.why}); not written.`,
              ),
              ...result.unholdable.map(
                (entry) => `${displayName(entry.path)} was not written: ${entry.why}.`,
              ),
            ],
          };
        } catch (error) {
          removeTree(partial);
          throw error;
        }
      },
    });
  }

  /**
   * Starts a job that verifies a backup file from elsewhere (every hash) and copies it, with a
   * sidecar, into the backup destination, where it is listed with the others.
   */
  async import(file: string): Promise<JobRecord> {
    const source = path.resolve(file);
    const found = fs.statSync(source, { throwIfNoEntry: false });
    if (!found) throw new TendFailure('BACKUP_NOT_FOUND', `There is no file ${source}.`);
    if (!found.isFile()) {
      throw new TendFailure(
        'BACKUP_NOT_FOUND',
        `${source} is not a file. Give the backup archive itself (a tend-….tar.gz), with its .manifest.json beside it if you have it.`,
      );
    }
    const settings = await readSettings(this.session.state.settings);
    const destination = settings.backup.destination;
    if (!destination) {
      throw new TendFailure(
        'NO_DESTINATION',
        'Choose a backup destination in Settings first; imported backups are kept there.',
      );
    }
    return this.session.jobs.start({
      kind: 'verify',
      title: `Import ${path.basename(source)}`,
      writesRoot: false,
      run: async (context): Promise<RestoreImportResult> => {
        const given = await readSidecar(source);
        context.progress({ message: 'Checking every file of the backup' });
        const checked = await extractVerified({
          archivePath: source,
          manifest: given,
          target: null,
          hashAll: true,
          signal: context.signal,
          onProgress: ({ bytes, files, currentPath }) =>
            context.progress({ bytesDone: bytes, filesDone: files, currentPath }),
        });
        const manifest = checked.manifest;
        const hash = createHash('sha256');
        let bytes = 0;
        await pipeline(fs.createReadStream(source), async (chunks: AsyncIterable<Buffer>) => {
          for await (const chunk of chunks) {
            hash.update(chunk);
            bytes += chunk.length;
          }
        });
        const sha256 = hash.digest('hex');
        if (given && given.archive.sha256 !== sha256) {
          throw new TendFailure(
            'RESTORE_ARCHIVE_CORRUPT',
            'The archive does not match the SHA-256 its manifest records: it was changed.',
          );
        }
        await fsp.mkdir(destination, { recursive: true });
        const archivePath = path.join(destination, `${manifest.id}.tar.gz`);
        const sidecar: BackupSidecar = {
          ...manifest,
          archive: { fileName: path.basename(archivePath), bytes, sha256 },
        };
        if (path.resolve(archivePath) !== source) {
          if (fs.existsSync(archivePath)) {
            const there = await readSidecar(archivePath).catch(() => null);
            if (there?.archive.sha256 !== sha256) {
              throw new TendFailure(
                'RESTORE_TARGET_NOT_EMPTY',
                `Another backup named ${manifest.id} is already in ${destination}.`,
              );
            }
          } else {
            await fsp.copyFile(source, `${archivePath}.partial`);
            await fsp.rename(`${archivePath}.partial`, archivePath);
          }
        }
        writeFileDurablySync(sidecarPathFor(archivePath), JSON.stringify(sidecar, null, 2));
        await registerImported(this.session, this.engine, destination);
        return { backupId: manifest.id, archivePath, files: manifest.totals.files, bytes };
      },
    });
  }
}

function requireSidecar(backup: LocatedBackup): BackupSidecar {
  if (!backup.sidecar) {
    throw new TendFailure(
      'RESTORE_QUICK_CHECK_FAILED',
      `${path.basename(backup.archivePath)} has no manifest beside it. Import it first (tend restore import FILE).`,
    );
  }
  return backup.sidecar;
}

/** Which archive files an export of a scope writes. */
export function exportSelector(
  scope: RestoreScope,
  target: ProfiledRoot,
): (relative: string, category: string) => boolean {
  switch (scope.kind) {
    case 'everything':
      return () => true;
    case 'categories':
      return (_relative, category) => (scope.categories as string[]).includes(category);
    case 'paths': {
      const prefixes = scope.paths.map(normalizeScopePath);
      return (relative) => prefixes.some((prefix) => isUnder(prefix, relative));
    }
    case 'collection':
      return scopeSelector(target, 'collection', scope.collection);
    case 'scope':
      return scopeSelector(target, scope.scope, scope.id);
  }
}

/** An export of one id of a scope: its files, and the database its records live in. */
function scopeSelector(
  target: ProfiledRoot,
  scopeId: string,
  id: string,
): (relative: string) => boolean {
  const scope = target.profile.scopes.find((candidate) => candidate.id === scopeId);
  if (!scope) {
    throw new TendFailure(
      'RESTORE_UNKNOWN_SCOPE',
      `A ${target.profile.name} folder has no scope ${JSON.stringify(scopeId)}.`,
    );
  }
  const prefixes = scope.pathsOf(id);
  const database = scope.records?.database ?? null;
  return (relative) =>
    relative === database || prefixes.some((prefix) => isUnder(prefix, relative));
}

/** The open root's restore service, made once per session. */
export function restoreServiceFor(
  session: RootSession,
  engine: EngineServices,
  parts?: RestoreServiceParts,
): RestoreService {
  return session.service('restore', () => new RestoreService(session, engine, parts));
}
