/**
 * The composition root: builds every service and the one handler map the transports carry.
 *
 * Note: this module and everything under engine/ runs under plain Node; the Electron shell,
 * the web host and the CLI import it, never the other way round.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { backupChannels } from '../../src-shared/channels/backups';
import { healthChannels } from '../../src-shared/channels/health';
import { maintenanceChannels } from '../../src-shared/channels/maintenance';
import { moveChannels } from '../../src-shared/channels/move';
import { postgresChannels } from '../../src-shared/channels/postgres';
import { profileChannels } from '../../src-shared/channels/profiles';
import { repositoryChannels } from '../../src-shared/channels/repository';
import { restoreChannels } from '../../src-shared/channels/restore';
import { unattendedChannels } from '../../src-shared/channels/unattended';
import { usageChannels } from '../../src-shared/channels/usage';
import { vectorChannels } from '../../src-shared/channels/vectors';
import type { Channel } from '../../src-shared/contract';
import type { SettingsPatch } from '../../src-shared/models/settings';
import { TendFailure, type Result } from '../../src-shared/errors';
import { readAppState, rememberDestination, rememberRoot } from './app-state';
import { dispatch, type Handlers } from './dispatch';
import type { EngineServices } from './engine-services';
import { EventBus } from './events';
import { lazyHandlers } from './lazy-handlers';
import { movePlaceIn } from './move/move-journal';
import { recoverMove } from './move/move-recovery';
import { relocateRootRecord } from './move/root-record';
import { MemorySecrets, type SecretStore } from './repository/repository-secrets';
import type { FolderFindings } from '../../src-shared/models/root';
import { createRootFolder } from './root/data-root';
import { findRegistered, registerRoot } from './root/root-registry';
import { rootStateAt } from './root/root-state';
import { migrateRootState } from './root/state-migration';
import { DEFAULT_PROFILE_ID, detectProfile, profileById } from './profiles/registry';
import type { ProfileDetection } from '../../src-shared/models/profiles';
import { PathGate, type ConfiguredPlace, type PathTransport } from './root/path-gate';
import { PathGrants } from './root/path-grants';
import { currentEnvironment, type PathEnvironment } from './root/path-policy';
import {
  admitRoot,
  inspectRootFolder,
  refuseForbiddenRoot,
  type AdmissionContext,
} from './root/root-admission';
import { readSettings, updateSettings } from './root/settings-file';
import { watchSettings } from './root/settings-watch';
import { RootSession } from './root-session';
import type { PowerSource } from './schedule/power-state';
import { runSessionOpenHooks, scheduleEntriesFor } from './session-hooks';

/** How an engine starts. */
export interface EngineOptions {
  /** Where Tend keeps what it remembers across roots (Electron's userData). */
  appStateDir: string;
  /** The root to open; when left out, the last used one, if it still opens. */
  root?: string | null;
  /**
   * Whether this engine runs the schedules (backups, upkeep …). The desktop app and
   * `tend serve` do; a one-shot CLI command does not.
   */
  schedules?: boolean;
  /**
   * Whether the open root's usage map follows the folder as it changes (a file watcher). The
   * desktop app and `tend serve` do; a one-shot CLI command measures once.
   */
  liveUsage?: boolean;
  /** Called when a scheduled run fails to start; the desktop app logs and notifies. */
  onScheduleError?: (entryId: string, error: unknown) => void;
  /** Where the battery state comes from (the desktop app's powerMonitor); else the OS's. */
  power?: PowerSource;
  /**
   * Where repository passphrases and S3 keys are kept: the desktop's keychain (safeStorage);
   * else this process's memory (the web host, the CLI).
   */
  secrets?: SecretStore;
}

/** How a folder is opened as the data root. */
export interface OpenRootOptions {
  /**
   * The person saw what Tend found in it and chose it: manage it although nothing of an
   * assistant's was found. Never overrides ROOT_NOT_ALLOWED.
   */
  adopt?: boolean;
  /** The profile the person chose (an id of profiles/registry.ts); else the one detected. */
  profile?: string;
}

/** How a transport calls a channel. */
export interface DispatchOptions {
  /** The handler map to use (the desktop's adds its pickers); the engine's own by default. */
  handlers?: Handlers;
  /**
   * How paths reach the engine: `typed` (web host, CLI: absolute paths through the policy)
   * or `desktop` (only what the picker gave out, or what the person set up before).
   */
  transport?: PathTransport;
}

/** The engine: one open root at a time, its jobs, and the handlers over them. */
export class Engine implements EngineServices {
  readonly events = new EventBus();
  readonly handlers: Handlers;
  /** What the person picked in the desktop's dialogs this session, by handle. */
  readonly grants = new PathGrants();
  private readonly gate = new PathGate(this);
  private session: RootSession | null = null;
  /** The reopening of a moved data folder at its new place, awaited on close. */
  private following: Promise<void> = Promise.resolve();

  private constructor(private readonly options: EngineOptions) {
    this.secrets = options.secrets ?? new MemorySecrets();
    this.handlers = this.buildHandlers();
  }

  /**
   * Starts an engine. An explicit root that cannot be opened is an error; a remembered one
   * that has gone away just leaves the engine without a root, for the first-run picker.
   */
  static async start(options: EngineOptions): Promise<Engine> {
    const engine = new Engine(options);
    // A move a crash cut short is finished or rolled back before any folder is opened: the
    // folder to open may be the one it was moving.
    await recoverMove(movePlaceIn(options.appStateDir), relocateRootRecord(options.appStateDir));
    if (options.root) {
      await engine.openRoot(options.root);
    } else if (options.root === undefined) {
      const { lastRoot } = await readAppState(options.appStateDir);
      if (lastRoot) await engine.openRoot(lastRoot).catch(() => undefined);
    }
    return engine;
  }

  /** Whether the machine runs on battery, as the desktop app or the OS tells. */
  get power(): PowerSource | undefined {
    return this.options.power;
  }

  /** Where repository passphrases and S3 keys are kept. */
  readonly secrets: SecretStore;

  /** Where Tend keeps what it remembers across roots. */
  get appStateDir(): string {
    return this.options.appStateDir;
  }

  /** The open root's path, or null. */
  get rootPath(): string | null {
    return this.session?.path ?? null;
  }

  /** Where the open root's safety snapshots are kept (Tend's state), or null. */
  get snapshotsFolder(): string | null {
    return this.session?.state.snapshots ?? null;
  }

  /** Calls a channel with unparsed input; the transports' single entry. */
  dispatch(
    channel: string,
    input: unknown,
    options: DispatchOptions = {},
  ): Promise<Result<unknown>> {
    const transport = options.transport ?? 'typed';
    return dispatch(options.handlers ?? this.handlers, channel, input, (name, parsed) =>
      this.gate.check(name, parsed, transport),
    );
  }

  /** Calls a channel and throws its error; for the CLI and tests. */
  async call<C extends Channel>(
    channel: C,
    input: Parameters<Handlers[C]>[0] | Record<string, unknown> = {},
  ): Promise<Awaited<ReturnType<Handlers[C]>>> {
    const result = await this.dispatch(channel, input);
    if (!result.ok)
      throw new TendFailure(result.error.code, result.error.message, result.error.details);
    return result.value as Awaited<ReturnType<Handlers[C]>>;
  }

  /** The open root, or NO_ROOT. */
  requireSession(): RootSession {
    if (!this.session) {
      throw new TendFailure(
        'NO_ROOT',
        'No data folder is open. Choose one first (tend --root DIR).',
      );
    }
    return this.session;
  }

  /** The machine as the path policy sees it (home, Tend's state, temp folder). */
  pathEnvironment(): PathEnvironment {
    return currentEnvironment(this.options.appStateDir);
  }

  /** The open root's backup destination in settings, or null (none, or unreadable settings). */
  async currentDestination(): Promise<string | null> {
    if (!this.session) return null;
    return readSettings(this.session.state.settings).then(
      (settings) => settings.backup.destination,
      () => null,
    );
  }

  /**
   * The places the person set up before, which a desktop call may name without a new pick:
   * the open and recent roots, the backup destination, and the folders the backups are in.
   */
  async configuredPlaces(): Promise<ConfiguredPlace[]> {
    const places: ConfiguredPlace[] = (
      await readAppState(this.options.appStateDir)
    ).recentRoots.map((root) => ({ path: root, accesses: ['root'] }));
    const session = this.session;
    if (!session) return places;
    places.push({ path: session.path, accesses: ['root'] });
    places.push({ path: session.state.snapshots, accesses: ['backup-ref'] });
    const destination = await this.currentDestination();
    if (destination) {
      places.push({ path: destination, accesses: ['destination', 'read-folder', 'backup-ref'] });
    }
    const { BackupCatalog } = await import('./backup/backup-catalog');
    const folders = new Set(new BackupCatalog(session.catalog).list().map((b) => b.destination));
    for (const folder of folders)
      places.push({ path: folder, accesses: ['backup-ref', 'read-folder'] });
    return places;
  }

  /** Backup folders Tend knows of: the open root's and every one set before. */
  async knownDestinations(): Promise<string[]> {
    const remembered = (await readAppState(this.options.appStateDir)).destinations;
    const current = await this.currentDestination();
    return current && !remembered.includes(current) ? [current, ...remembered] : remembered;
  }

  /** What root admission needs: the machine and the backup destinations Tend knows. */
  private async admission(): Promise<AdmissionContext> {
    return {
      env: this.pathEnvironment(),
      destinations: await this.knownDestinations(),
      managedAs: async (real) => this.managedAs(real),
    };
  }

  /**
   * The profile Tend manages a folder with already, or null: the one it is registered with
   * (by path, or by inode after a move), else the native one when an older Tend left its
   * `.tend/` state in the folder (only the native layout existed then). Reads only.
   */
  private async managedAs(real: string): Promise<string | null> {
    const found = await findRegistered(this.options.appStateDir, real);
    if (found) return found.entry.profile;
    const stat = await fs.lstat(path.join(real, '.tend')).catch(() => null);
    return stat?.isDirectory() ? DEFAULT_PROFILE_ID : null;
  }

  /** What Tend finds in a folder, without writing anything (root:inspect). */
  async inspectRoot(candidate: string): Promise<FolderFindings> {
    return inspectRootFolder(candidate, await this.admission());
  }

  /**
   * Which profile a folder is, by its markers alone; a folder that can never be a data root is
   * not looked into (nothing detected, the refusal as the reason).
   */
  async detectProfile(candidate: string): Promise<ProfileDetection> {
    const findings = await this.inspectRoot(candidate);
    if (findings.refusal !== null) {
      return { path: findings.path, detected: null, reason: findings.refusal, matches: [] };
    }
    return detectProfile(findings.path);
  }

  /**
   * Opens an existing root and makes it the one Tend manages, once it is admitted
   * (root-admission.ts): nothing is written into a refused folder.
   */
  async openRoot(candidate: string, options: OpenRootOptions = {}): Promise<RootSession> {
    const admitted = await admitRoot(candidate, await this.admission(), options);
    const real = admitted.path;
    if (this.session?.path === real && this.session.profile.id === admitted.profile.id) {
      return this.session;
    }
    // Registered (or found again after a move) in Tend's state; state an older Tend kept in
    // the folder moves out of it, once.
    const registered = await registerRoot(this.options.appStateDir, real, admitted.profile.id);
    await migrateRootState(real, registered.stateDir, admitted.profile.assistantStore);
    const next = await RootSession.open(
      real,
      admitted.profile,
      rootStateAt(registered.stateDir),
      this.events,
      registered.entry.movedFrom,
    );
    await this.session?.close();
    this.session = next;
    await runSessionOpenHooks(next, this);
    if (this.options.schedules) await this.configureSchedules(next);
    // Watching starts now, so nothing written before the first scan ends is missed; the
    // watcher closes with the session (a closed or changed root).
    if (this.options.liveUsage) {
      void import('./usage/usage-service').then(({ usageService }) =>
        usageService(next, this).startLive(),
      );
    }
    await rememberRoot(this.options.appStateDir, real).catch(() => undefined);
    this.events.emit('root:changed', await next.info());
    return next;
  }

  /**
   * Creates a new root of a profile (the default one unless told), with the profile's folders
   * unless told otherwise (a demo writes its own), and opens it.
   */
  async createRoot(
    candidate: string,
    options: { profile?: string; withLayout?: boolean } = {},
  ): Promise<RootSession> {
    const profile = profileById(options.profile ?? DEFAULT_PROFILE_ID);
    refuseForbiddenRoot(candidate, await this.admission());
    const folders = (options.withLayout ?? true) ? profile.newRootFolders : [];
    // Tend made it: it is the profile's folder from now on, layout or not (a demo fills it).
    return this.openRoot(await createRootFolder(candidate, folders), {
      adopt: true,
      profile: profile.id,
    });
  }

  /**
   * (Re)starts the open root's schedules from its settings. A run missed while Tend was not
   * running is started once, now.
   */
  private async configureSchedules(session: RootSession): Promise<void> {
    // A long-running engine also follows saves made by other processes (the CLI).
    session.service('settings-watch', () =>
      watchSettings(session.state.settings, this.events, (changed) => {
        this.events.emit('settings:changed', changed);
        void this.configureSchedules(session).catch(() => undefined);
      }),
    );
    const settings = await readSettings(session.state.settings).catch(() => null);
    // Broken settings leave the schedules off until they are fixed; Settings says why.
    if (!settings) return;
    const [{ Scheduler }, { scheduleWakeFor }] = await Promise.all([
      import('./schedule/scheduler'),
      import('./schedule/schedule-wake'),
    ]);
    const scheduler = session.service(
      'scheduler',
      () =>
        new Scheduler(session.catalog, (id, error) => {
          this.options.onScheduleError?.(id, error);
        }),
    );
    const entries = await scheduleEntriesFor(session, this, settings);
    await scheduler.configure(entries);
    // Sleep, a clock set by hand, power back: re-plan and catch up (schedule-wake.ts).
    scheduleWakeFor(session, this, scheduler).watchClock();
  }

  /** Stops jobs cleanly and closes the root. */
  async close(): Promise<void> {
    await this.following;
    await this.session?.close();
    this.session = null;
  }

  private buildHandlers(): Handlers {
    const settingsFile = () => this.requireSession().state.settings;
    return {
      'root:info': async () => this.requireSession().info(),
      'root:open': async ({ path: target, adopt, profile }) =>
        (await this.openRoot(target, { adopt, profile })).info(),
      'root:inspect': async ({ path: target }) => this.inspectRoot(target),
      'root:create': async ({ path: target, profile }) =>
        (await this.createRoot(target, { profile })).info(),
      'root:recent': async () => ({
        paths: (await readAppState(this.options.appStateDir)).recentRoots,
      }),
      'root:pick-folder': async () => {
        throw new TendFailure(
          'INVALID_INPUT',
          'Only the desktop app can show a folder picker; type the folder path instead.',
        );
      },
      'root:pick-file': async () => {
        throw new TendFailure(
          'INVALID_INPUT',
          'Only the desktop app can show a file picker; type the file path instead.',
        );
      },
      'settings:get': async () => readSettings(settingsFile()),
      'settings:set': async ({ settings }) => {
        const session = this.requireSession();
        const saved = await updateSettings(
          { file: session.state.settings, root: session.path },
          settings as SettingsPatch,
        );
        if (saved.backup.destination) {
          await rememberDestination(this.options.appStateDir, saved.backup.destination);
        }
        this.events.emit('settings:changed', saved);
        if (this.options.schedules) await this.configureSchedules(this.requireSession());
        return saved;
      },
      // The usage service keeps the last scan, so this is a rescan of unchanged folders.
      'usage:summary': async () => {
        const session = this.requireSession();
        const { usageService } = await import('./usage/usage-service');
        return usageService(session, this).summary();
      },
      'jobs:list': async ({ limit, kind }) => ({
        jobs: this.requireSession().jobs.list(limit, kind),
      }),
      'jobs:get': async ({ id }) => this.requireSession().jobs.get(id),
      'jobs:cancel': async ({ id }) => this.requireSession().jobs.cancel(id),
      'demo:generate': async ({ path: target, size, seed, profile: profileId }) => {
        const profile = profileById(profileId);
        const demo = profile.demo;
        if (!demo) {
          throw new TendFailure(
            'PROFILE_UNSUPPORTED',
            `Tend cannot write a demo ${profile.name} folder yet. tend profiles list says which profiles have one.`,
            { profile: profile.id },
          );
        }
        const session = await this.createRoot(path.resolve(target), {
          profile: profile.id,
          withLayout: false,
        });
        return session.jobs.start({
          kind: 'demo',
          title: `Write a ${size} demo data folder`,
          writesRoot: true,
          run: async (context) => {
            try {
              return await demo.write({
                root: session.path,
                size,
                seed,
                signal: context.signal,
                onProgress: (progress) => context.progress(progress),
              });
            } catch (error) {
              // A demo that did not finish is no use to anyone: leave the empty folder only.
              await removeContents(session.path);
              throw error;
            }
          },
        });
      },
      // Each domain's code loads when one of its channels is first called (lazy-handlers.ts).
      ...lazyHandlers(backupChannels, async () =>
        (await import('./backup/backup-handlers')).backupHandlers(this),
      ),
      ...lazyHandlers(restoreChannels, async () =>
        (await import('./restore/restore-handlers')).restoreHandlers(this),
      ),
      ...lazyHandlers(usageChannels, async () =>
        (await import('./usage/usage-handlers')).usageHandlers(this),
      ),
      ...lazyHandlers(vectorChannels, async () =>
        (await import('./vectors/vectors-handlers')).vectorHandlers(this),
      ),
      ...lazyHandlers(maintenanceChannels, async () =>
        (await import('./maintenance/maintenance-handlers')).maintenanceHandlers(this),
      ),
      ...lazyHandlers(unattendedChannels, async () =>
        (await import('./schedule/unattended-handlers')).unattendedHandlers(this),
      ),
      ...lazyHandlers(healthChannels, async () =>
        (await import('./health/health-handlers')).healthHandlers(this),
      ),
      ...lazyHandlers(postgresChannels, async () =>
        (await import('./profiles/postgres-app/postgres-handlers')).postgresHandlers(this),
      ),
      ...lazyHandlers(repositoryChannels, async () =>
        (await import('./repository/repository-handlers')).repositoryHandlers(this),
      ),
      ...lazyHandlers(profileChannels, async () =>
        (await import('./profiles/profile-handlers')).profileHandlers(this),
      ),
      ...lazyHandlers(moveChannels, async () =>
        (await import('./move/move-handlers')).moveHandlers(this, {
          relocateRoot: relocateRootRecord(this.options.appStateDir),
          reopen: async (root) => {
            this.following = this.openRoot(root).then(
              () => undefined,
              // The old place is gone: no folder open rather than one that is not there.
              async () => {
                await this.session?.close();
                this.session = null;
              },
            );
            await this.following;
          },
          refuseRoot: async (folder) => refuseForbiddenRoot(folder, await this.admission()),
        }),
      ),
    };
  }
}

/** Removes everything in a folder Tend made and filled (a demo that did not finish). */
async function removeContents(folder: string): Promise<void> {
  for (const name of await fs.readdir(folder)) {
    await fs.rm(path.join(folder, name), { recursive: true, force: true });
  }
}
