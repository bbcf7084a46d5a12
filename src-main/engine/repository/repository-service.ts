import fs from 'node:fs/promises';
import path from 'node:path';
import { TendFailure } from '../../../src-shared/errors';
import type { BackupKind } from '../../../src-shared/models/backup-manifest';
import type { PruneDecision, RetentionPolicy } from '../../../src-shared/models/backups';
import { isFinished, type JobRecord } from '../../../src-shared/models/jobs';
import type {
  DestinationTest,
  RepositoryCreated,
  RepositoryDestination,
  RepositoryKey,
  RepositorySnapshot,
  RepositoryStatus,
  S3Keys,
} from '../../../src-shared/models/repository';
import { destinationProblem } from '../../../src-shared/models/settings-rules';
import { categoriesForKind } from '../backup/backup-scope';
import { TEND_VERSION } from '../backup/tend-version';
import type { EngineServices } from '../engine-services';
import { readSettings, updateSettings } from '../root/settings-file';
import type { RootSession, SessionService } from '../root-session';
import type { Backend } from './backend';
import { checkDestination } from './destination-check';
import { formatDestinationAddress } from './destination-address';
import { nanosToDate } from './go-time';
import { HostKeyPins } from './host-key-pins';
import { removeKeyWithItsPassphrase } from './keyring-passphrase';
import type { ScryptParams } from './key-file';
import { openDestination } from './open-destination';
import { osKeyringOrNone, type Keyring } from './os-keyring';
import { generatePassphrase, passphraseFileLine } from './passphrase';
import { recoverySheet } from './recovery-sheet';
import { Repository } from './repository';
import { addressOfDestination } from './repository-destination';
import { forgetSnapshots, pruneRepository } from './repository-prune';
import {
  MemorySecrets,
  passphraseSecret,
  s3KeysSecret,
  sftpPasswordSecret,
  type SecretStore,
} from './repository-secrets';
import { verifyRepository, type VerifyResult } from './repository-verify';
import { backupSnapshot, type BackupResult } from './snapshot-backup';
import { listSnapshots, type SnapshotEntry } from './snapshot-reader';
import { planSnapshotRetention, snapshotKind } from './snapshot-retention';
import { restoreSnapshot, type RestoreResult } from './snapshot-restore';

/** How a repository service is made; tests use small scrypt parameters. */
export interface RepositoryServiceOptions {
  /** scrypt parameters of new keys (restic's defaults otherwise). */
  readonly kdf?: ScryptParams;
  /** Where TEND_PASSWORD and the SSH agent are read (process.env by default). */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * The OS keyring `tend repo key remember` keeps passphrases in, or null where there is none
   * (by default the OS's, opened when a key is removed; none when it cannot be used here).
   */
  readonly osKeyring?: () => Promise<Keyring | null>;
}

/** The job title of a repository backup a schedule started (the shells read "Scheduled backup"). */
const SCHEDULED_TITLE = 'Scheduled backup';

/** A snapshot as the app lists it. */
export function describeSnapshot(
  snapshot: SnapshotEntry,
  decision: Pick<PruneDecision, 'action' | 'reason'>,
): RepositorySnapshot {
  return {
    id: snapshot.id,
    shortId: snapshot.id.slice(0, 8),
    time: nanosToDate(snapshot.time).toISOString(),
    kind: snapshotKind(snapshot),
    hostname: snapshot.hostname ?? null,
    tags: snapshot.tags ?? [],
    retention: {
      action: decision.action === 'delete' ? 'forget' : 'keep',
      reason: decision.reason,
    },
  };
}

/** The first line of a passphrase file (restic's rule), or REPOSITORY_PASSWORD_MISSING naming it. */
function passphraseFromFile(file: string): string {
  const read = passphraseFileLine(file);
  if ('line' in read) return read.line;
  throw new TendFailure(
    'REPOSITORY_PASSWORD_MISSING',
    'unreadable' in read
      ? `The passphrase file ${file} (TEND_PASSWORD_FILE) cannot be read (${read.unreadable}).`
      : `The passphrase file ${file} (TEND_PASSWORD_FILE) is empty.`,
    { file },
  );
}

// Secrets the engine was not given a store for live as long as the engine's process.
const processSecrets = new MemorySecrets();

/**
 * A root's encrypted repository (issue 12) as the app uses it: where it is (in settings, no
 * secret there), the test of a place, creating one, its passphrase and keys, and backups,
 * retention and verify as jobs. The restic-format engine underneath is the rest of this folder.
 */
export class RepositoryService implements SessionService {
  private activeBackup: string | null = null;

  constructor(
    private readonly session: RootSession,
    private readonly engine: EngineServices,
    private readonly options: RepositoryServiceOptions = {},
  ) {}

  private get secrets(): SecretStore {
    return this.engine.secrets ?? processSecrets;
  }

  private get env(): NodeJS.ProcessEnv {
    return this.options.env ?? process.env;
  }

  /** Nothing to let go: every call opens and closes its own storage. */
  close(): void {
    this.activeBackup = null;
  }

  /** The destination in settings, or null when encrypted backups are off. */
  async destination(): Promise<RepositoryDestination | null> {
    return (await readSettings(this.session.state.settings)).backup.repository;
  }

  /** The destination in settings, or REPOSITORY_NOT_FOUND saying how to set one. */
  private async requireDestination(): Promise<RepositoryDestination> {
    const destination = await this.destination();
    if (!destination) {
      throw new TendFailure(
        'REPOSITORY_NOT_FOUND',
        'No encrypted backup destination is set. Choose one under Settings › Encrypted backups.',
        { reason: 'no-destination' },
      );
    }
    return destination;
  }

  /** The restic address of a destination. */
  locationOf(destination: RepositoryDestination): string {
    return formatDestinationAddress(addressOfDestination(destination));
  }

  /** What Settings shows: the destination, and whether the passphrase and keys are known. */
  async status(): Promise<RepositoryStatus> {
    const destination = await this.destination();
    if (!destination) {
      return {
        destination: null,
        location: null,
        passphraseKnown: false,
        passphraseKept: 'none',
        s3KeysKnown: null,
        sftpPasswordKept: null,
      };
    }
    const location = this.locationOf(destination);
    const kept = await this.secrets.get(passphraseSecret(location));
    const passphraseKept =
      kept !== null
        ? this.secrets.durability
        : this.env.TEND_PASSWORD || this.env.TEND_PASSWORD_FILE
          ? 'environment'
          : 'none';
    return {
      destination,
      location,
      passphraseKnown: passphraseKept !== 'none',
      passphraseKept,
      s3KeysKnown:
        destination.kind === 's3' ? (await this.s3Keys(location, undefined)) !== null : null,
      sftpPasswordKept:
        destination.kind === 'sftp'
          ? (await this.secrets.get(sftpPasswordSecret(location))) !== null
          : null,
    };
  }

  /**
   * Sets (or, with null, clears) the destination of encrypted backups. A folder must not be the
   * data folder, inside it or around it. S3 keys and an SFTP password given here go to the
   * secret store only.
   */
  async setDestination(
    destination: RepositoryDestination | null,
    s3Keys?: S3Keys,
    sftpPassword?: string,
  ): Promise<RepositoryStatus> {
    if (destination?.kind === 'local') {
      const problem = destinationProblem(destination.folder, this.session.path);
      if (problem) {
        throw new TendFailure('SETTINGS_INVALID', problem, {
          issues: [{ path: 'destination.folder', message: problem }],
        });
      }
    }
    if (destination?.kind === 's3' && s3Keys) {
      await this.secrets.set(s3KeysSecret(this.locationOf(destination)), JSON.stringify(s3Keys));
    }
    if (destination?.kind === 'sftp' && sftpPassword) {
      await this.secrets.set(sftpPasswordSecret(this.locationOf(destination)), sftpPassword);
    }
    const saved = await updateSettings(
      { file: this.session.state.settings, root: this.session.path },
      { backup: { repository: destination } },
    );
    this.engine.events.emit('settings:changed', saved);
    return this.status();
  }

  /** The S3 keys given now, else the kept ones, else the environment's, else null. */
  private async s3Keys(location: string, given: S3Keys | undefined): Promise<S3Keys | null> {
    if (given) return given;
    const kept = await this.secrets.get(s3KeysSecret(location));
    if (kept) return JSON.parse(kept) as S3Keys;
    const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey } = this.env;
    return accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : null;
  }

  /**
   * Opens the storage of a destination, runs `work`, and always closes it. Secrets given now
   * (`s3Keys`, `sftpPassword`) go before the kept ones.
   */
  private async withBackend<T>(
    destination: RepositoryDestination,
    given: { s3Keys?: S3Keys | undefined; sftpPassword?: string | undefined },
    work: (backend: Backend, location: string) => Promise<T>,
  ): Promise<T> {
    const address = addressOfDestination(destination);
    const location = formatDestinationAddress(address);
    const env: NodeJS.ProcessEnv = { ...this.env };
    if (destination.kind === 's3') {
      const keys = await this.s3Keys(location, given.s3Keys);
      if (!keys) {
        // openDestination's own message speaks to the command line (the environment only).
        throw new TendFailure(
          'INVALID_INPUT',
          `No access keys for ${location}: type the access key id and the secret access key under Settings › Encrypted backups (kept as a secret, never in settings), or start Tend with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY set.`,
          { reason: 'no-s3-keys', location },
        );
      }
      env.AWS_ACCESS_KEY_ID = keys.accessKeyId;
      env.AWS_SECRET_ACCESS_KEY = keys.secretAccessKey;
      if (destination.region) env.AWS_REGION = destination.region;
    }
    const password =
      destination.kind === 'sftp'
        ? (given.sftpPassword ?? (await this.secrets.get(sftpPasswordSecret(location))))
        : null;
    const backend = await openDestination(address, {
      env,
      ...(destination.kind === 'sftp' && destination.identityFile
        ? { identityFile: destination.identityFile }
        : {}),
      ...(password ? { password } : {}),
      hostKeys: HostKeyPins.inStateDir(this.engine.appStateDir),
    });
    try {
      return await work(backend, location);
    } finally {
      await backend.close();
    }
  }

  /**
   * Tests a place before it is used: reach, write, read back, delete, free space (or quota),
   * each step reported; it never throws for the storage's faults, it reports them.
   */
  async test(
    destination: RepositoryDestination,
    s3Keys?: S3Keys,
    sftpPassword?: string,
  ): Promise<DestinationTest> {
    const location = this.locationOf(destination);
    try {
      return await this.withBackend(destination, { s3Keys, sftpPassword }, async (backend) => {
        const check = await checkDestination(backend);
        return { ...check, location, steps: [...check.steps] };
      });
    } catch (error) {
      // Opening failed (no SSH key, no S3 keys, a refused login): the first step says why.
      const failure =
        error instanceof TendFailure
          ? error
          : new TendFailure('DESTINATION_UNAVAILABLE', (error as Error).message);
      return {
        location,
        ok: false,
        repositoryPresent: null,
        freeBytes: null,
        steps: [
          { step: 'reach', status: 'failed', detail: failure.message, code: failure.code },
          ...(['write', 'read-back', 'delete', 'free-space'] as const).map((step) => ({
            step,
            status: 'skipped' as const,
            detail: 'Not tried: the place could not be reached.',
          })),
        ],
      };
    }
  }

  /**
   * The passphrase kept, else TEND_PASSWORD, else the first line of the file TEND_PASSWORD_FILE
   * names (as restic's RESTIC_PASSWORD_FILE: what `tend schedule install` gives the system's
   * scheduler, which runs with no keychain and must not hold the secret in its own files); else
   * REPOSITORY_PASSWORD_MISSING.
   */
  private async passphrase(location: string): Promise<string> {
    const kept =
      (await this.secrets.get(passphraseSecret(location))) ??
      (this.env.TEND_PASSWORD || null) ??
      (this.env.TEND_PASSWORD_FILE ? passphraseFromFile(this.env.TEND_PASSWORD_FILE) : null);
    if (!kept) {
      throw new TendFailure(
        'REPOSITORY_PASSWORD_MISSING',
        "Tend does not know the repository's passphrase in this session. Type it under Settings › Encrypted backups (Unlock), or start Tend with TEND_PASSWORD set.",
        { location },
      );
    }
    return kept;
  }

  /** Opens the repository of the destination in settings, runs `work`, and closes it. */
  async withRepository<T>(
    work: (repository: Repository, location: string) => Promise<T>,
  ): Promise<T> {
    const destination = await this.requireDestination();
    return this.withBackend(destination, {}, async (backend, location) =>
      work(await Repository.open(backend, await this.passphrase(location)), location),
    );
  }

  /** The recovery sheet of a key just made, naming the passphrase when Tend generated it. */
  private recoverySheet(
    location: string,
    repository: Repository,
    generated: string | null,
  ): string {
    return recoverySheet({
      location,
      repositoryId: repository.config.id,
      passphrase: generated,
      createdAt: new Date(),
      root: this.session.path,
    });
  }

  /**
   * Makes the repository at the destination in settings, with the passphrase given or a new
   * one (answered once, with the recovery sheet). The passphrase is kept in the secret store.
   */
  async create(given: string | null): Promise<RepositoryCreated> {
    const destination = await this.requireDestination();
    const passphrase = given ?? generatePassphrase();
    return this.withBackend(destination, {}, async (backend, location) => {
      const repository = await Repository.init(
        backend,
        passphrase,
        this.options.kdf ? { kdf: this.options.kdf } : {},
      );
      await this.secrets.set(passphraseSecret(location), passphrase);
      return {
        location,
        repositoryId: repository.config.id,
        generatedPassphrase: given === null ? passphrase : null,
        recoverySheet: this.recoverySheet(location, repository, given === null ? passphrase : null),
      };
    });
  }

  /**
   * Checks a passphrase against the repository and keeps it (the keychain on the desktop, this
   * process's memory in the web host); a wrong one is REPOSITORY_WRONG_PASSPHRASE, nothing kept.
   */
  async unlock(passphrase: string): Promise<RepositoryStatus> {
    const destination = await this.requireDestination();
    await this.withBackend(destination, {}, async (backend, location) => {
      await Repository.open(backend, passphrase);
      await this.secrets.set(passphraseSecret(location), passphrase);
    });
    return this.status();
  }

  /** Forgets the kept passphrase (the repository is untouched). */
  async lock(): Promise<RepositoryStatus> {
    const destination = await this.requireDestination();
    await this.secrets.delete(passphraseSecret(this.locationOf(destination)));
    return this.status();
  }

  /**
   * Forgets the SFTP login password kept for the destination in settings (the next login uses
   * the key file or ssh-agent, or a password typed then); the destination is not changed.
   */
  async forgetSftpPassword(): Promise<RepositoryStatus> {
    const destination = await this.requireDestination();
    await this.secrets.delete(sftpPasswordSecret(this.locationOf(destination)));
    return this.status();
  }

  /** The repository's keys. */
  async keys(): Promise<RepositoryKey[]> {
    return this.withRepository(async (repository) =>
      (await repository.listKeys()).map((key) => ({
        id: key.id,
        current: key.current,
        username: key.username || null,
        hostname: key.hostname || null,
        created: key.created?.toISOString() ?? null,
      })),
    );
  }

  /**
   * Adds a key (a passphrase given, or a new one answered once, with its recovery sheet); no
   * data is rewritten.
   */
  async addKey(
    given: string | null,
  ): Promise<{ id: string; generatedPassphrase: string | null; recoverySheet: string }> {
    const passphrase = given ?? generatePassphrase();
    return this.withRepository(async (repository, location) => {
      const id = await repository.addKey(passphrase, this.options.kdf);
      return {
        id,
        generatedPassphrase: given === null ? passphrase : null,
        recoverySheet: this.recoverySheet(location, repository, given === null ? passphrase : null),
      };
    });
  }

  /**
   * Removes a key (its id, or a prefix naming one key only). The key in use is refused by the
   * repository, so the last key is never removed. A passphrase remembered in the OS keyring
   * that opened only the removed key is forgotten there too (keyringForgotten).
   */
  async removeKey(id: string): Promise<{ keys: RepositoryKey[]; keyringForgotten: boolean }> {
    const keyringForgotten = await this.withRepository(async (repository) => {
      const keys = await repository.listKeys();
      const matches = keys.filter((candidate) => candidate.id.startsWith(id));
      if (matches.length !== 1) {
        throw new TendFailure(
          'INVALID_INPUT',
          matches.length === 0
            ? `The repository has no key ${id}.`
            : `${id} names ${matches.length} keys; give more of the id.`,
          { id },
        );
      }
      const keyring = await (this.options.osKeyring ?? osKeyringOrNone)();
      return removeKeyWithItsPassphrase(repository, matches[0]!.id, keyring);
    });
    return { keys: await this.keys(), keyringForgotten };
  }

  /** The snapshots, newest first. */
  async snapshots(): Promise<RepositorySnapshot[]> {
    const { retention } = (await readSettings(this.session.state.settings)).backup;
    return this.withRepository(async (repository) => {
      const snapshots = await listSnapshots(repository);
      // What the next thinning out would do to each, by the settings' numbers as they are now.
      const decisions = new Map(
        planSnapshotRetention(snapshots, retention).map((decision) => [decision.id, decision]),
      );
      return snapshots.map((snapshot) =>
        describeSnapshot(
          snapshot,
          decisions.get(snapshot.id) ?? { action: 'keep', reason: 'not planned: kept' },
        ),
      );
    });
  }

  /** Whether a repository backup is queued or running. */
  private busy(): JobRecord | null {
    if (!this.activeBackup) return null;
    const job = this.session.jobs.get(this.activeBackup);
    return isFinished(job.state) ? null : job;
  }

  /**
   * Backs the root up into the repository as one snapshot (a job), the kind's categories only
   * (`critical`: irreplaceable and rebuildable). SQLite files are read through the online
   * backup API, copied into Tend's state folder, never into the data folder.
   */
  startBackup(kind: BackupKind, trigger: 'manual' | 'schedule' = 'manual'): JobRecord {
    const running = this.busy();
    if (running) {
      throw new TendFailure(
        'BACKUP_RUNNING',
        `A backup is already ${running.state} (${running.title}). Wait for it to end or cancel it.`,
        { jobId: running.id },
      );
    }
    const wanted = new Set(categoriesForKind(kind));
    const categorize = this.session.categorize;
    const job = this.session.jobs.start({
      kind: 'backup',
      title: `${trigger === 'schedule' ? SCHEDULED_TITLE : 'Back up'} (${kind}, encrypted repository)`,
      // Like an archive backup: never beside a restore half done.
      writesRoot: true,
      run: async (context): Promise<BackupResult & { location: string }> => {
        const stagingDir = path.join(this.session.state.backupTemp, `repository-${context.jobId}`);
        await fs.mkdir(stagingDir, { recursive: true });
        try {
          return await this.withRepository(async (repository, location) => {
            const result = await backupSnapshot(repository, {
              root: this.session.path,
              select: (relative, type) => {
                if (type === 'dir') return true;
                const category = categorize(relative);
                return category !== null && wanted.has(category);
              },
              tags: [`kind:${kind}`],
              stagingDir,
              signal: context.signal,
              programVersion: `tend ${TEND_VERSION}`,
              onProgress: (progress) =>
                context.progress({
                  bytesDone: progress.bytesDone,
                  bytesTotal: progress.bytesTotal,
                  filesDone: progress.filesDone,
                  filesTotal: progress.filesTotal,
                  currentPath: progress.currentPath,
                }),
            });
            return { ...result, kind, location };
          });
        } finally {
          await fs.rm(stagingDir, { recursive: true, force: true });
        }
      },
    });
    this.activeBackup = job.id;
    return job;
  }

  /**
   * Applies grandfather-father-son retention to the snapshots (forget), then frees the space
   * of what no snapshot uses any more (prune), as a job.
   */
  startRetention(policy: RetentionPolicy): JobRecord {
    return this.session.jobs.start({
      kind: 'prune',
      title: 'Thin out old encrypted snapshots',
      writesRoot: false,
      run: async (context) =>
        this.withRepository(async (repository) => {
          const decisions = planSnapshotRetention(await listSnapshots(repository), policy);
          const keep = decisions.filter((d) => d.action === 'keep').map((d) => d.id);
          const forgotten = await forgetSnapshots(repository, keep);
          context.throwIfCancelled();
          const pruned = await pruneRepository(repository, { signal: context.signal });
          return {
            removed: forgotten.removed,
            kept: forgotten.kept,
            packsRemoved: pruned.remove.length,
            packsRepacked: pruned.repack.length,
          };
        }),
    });
  }

  /** Verifies the repository (quick: packs there with their sizes; full: every blob), as a job. */
  startVerify(mode: 'quick' | 'full'): JobRecord {
    return this.session.jobs.start({
      kind: 'verify',
      title: `Verify the encrypted repository (${mode})`,
      writesRoot: false,
      run: async (context): Promise<VerifyResult> =>
        this.withRepository(async (repository) => {
          const result = await verifyRepository(repository, {
            mode,
            signal: context.signal,
            onProgress: (progress) =>
              context.progress({
                bytesDone: progress.bytesDone,
                filesDone: progress.packsDone,
                filesTotal: progress.packsTotal,
                unit: 'pack',
              }),
          });
          if (!result.ok) {
            throw new TendFailure(
              'BACKUP_CORRUPT',
              `The encrypted repository is damaged: ${result.problems.slice(0, 3).join('; ')}. Damaged snapshots: ${result.damaged.map((d) => d.snapshotId.slice(0, 8)).join(', ') || 'none'}.`,
              { damaged: result.damaged.map((d) => ({ ...d })), problems: [...result.problems] },
            );
          }
          return result;
        }),
    });
  }

  /** Restores a snapshot (or one path of it) into an empty folder: the restore pipeline's staging. */
  async restoreInto(
    snapshot: string,
    target: string,
    options: {
      readonly path?: string;
      readonly signal?: AbortSignal;
      readonly onProgress?: (done: number, total: number) => void;
    } = {},
  ): Promise<RestoreResult> {
    return this.withRepository(async (repository) =>
      restoreSnapshot(repository, snapshot, {
        target,
        ...(options.path ? { path: options.path } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        onProgress: (progress) => options.onProgress?.(progress.bytesDone, progress.bytesTotal),
      }),
    );
  }
}

/** The open root's repository service. */
export function repositoryServiceFor(
  session: RootSession,
  engine: EngineServices,
  options?: RepositoryServiceOptions,
): RepositoryService {
  return session.service('repository', () => new RepositoryService(session, engine, options));
}
