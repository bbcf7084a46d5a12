/**
 * The composition root: builds every service and the one handler map the transports carry.
 *
 * Note: this module and everything under engine/ runs under plain Node; the Electron shell,
 * the web host and the CLI import it, never the other way round.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Channel } from '../../src-shared/contract';
import type { SettingsPatch } from '../../src-shared/models/settings';
import { TendFailure, type Result } from '../../src-shared/errors';
import { readAppState, rememberRoot } from './app-state';
import { generateDemo } from './demo/demo-generator';
import { backupHandlers } from './backup/backup-handlers';
import { dispatch, type Handlers } from './dispatch';
import type { EngineServices } from './engine-services';
import { EventBus } from './events';
import { maintenanceHandlers } from './maintenance/maintenance-handlers';
import { restoreHandlers } from './restore/restore-handlers';
import { checkRootFolder, createRootFolder } from './root/data-root';
import { layout } from './root/layout';
import { readSettings, updateSettings } from './root/settings-file';
import { watchSettings } from './root/settings-watch';
import { RootSession } from './root-session';
import { Scheduler } from './schedule/scheduler';
import { scheduleSources, sessionOpenHooks } from './session-hooks';
import { usageHandlers } from './usage/usage-handlers';
import { usageService } from './usage/usage-service';
import { vectorHandlers } from './vectors/vectors-handlers';

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
  /** Called when a scheduled run fails to start; the desktop app logs and notifies. */
  onScheduleError?: (entryId: string, error: unknown) => void;
}

/** The engine: one open root at a time, its jobs, and the handlers over them. */
export class Engine implements EngineServices {
  readonly events = new EventBus();
  readonly handlers: Handlers;
  private session: RootSession | null = null;

  private constructor(private readonly options: EngineOptions) {
    this.handlers = this.buildHandlers();
  }

  /**
   * Starts an engine. An explicit root that cannot be opened is an error; a remembered one
   * that has gone away just leaves the engine without a root, for the first-run picker.
   */
  static async start(options: EngineOptions): Promise<Engine> {
    const engine = new Engine(options);
    if (options.root) {
      await engine.openRoot(options.root);
    } else if (options.root === undefined) {
      const { lastRoot } = await readAppState(options.appStateDir);
      if (lastRoot) await engine.openRoot(lastRoot).catch(() => undefined);
    }
    return engine;
  }

  /** Where Tend keeps what it remembers across roots. */
  get appStateDir(): string {
    return this.options.appStateDir;
  }

  /** The open root's path, or null. */
  get rootPath(): string | null {
    return this.session?.path ?? null;
  }

  /** Calls a channel with unparsed input; the transports' single entry. */
  dispatch(
    channel: string,
    input: unknown,
    handlers: Handlers = this.handlers,
  ): Promise<Result<unknown>> {
    return dispatch(handlers, channel, input);
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

  /** Opens an existing root and makes it the one Tend manages. */
  async openRoot(candidate: string): Promise<RootSession> {
    const real = await checkRootFolder(candidate);
    if (this.session?.path === real) return this.session;
    const next = await RootSession.open(real, this.events);
    await this.session?.close();
    this.session = next;
    for (const hook of sessionOpenHooks) await hook(next, this);
    if (this.options.schedules) await this.configureSchedules(next);
    await rememberRoot(this.options.appStateDir, real).catch(() => undefined);
    this.events.emit('root:changed', await next.info());
    return next;
  }

  /** Creates a new root with the default layout and opens it. */
  async createRoot(candidate: string, withLayout = true): Promise<RootSession> {
    return this.openRoot(await createRootFolder(candidate, withLayout));
  }

  /**
   * (Re)starts the open root's schedules from its settings. A run missed while Tend was not
   * running is started once, now.
   */
  private async configureSchedules(session: RootSession): Promise<void> {
    // A long-running engine also follows saves made by other processes (the CLI).
    session.service('settings-watch', () =>
      watchSettings(session.resolve(layout.settings), this.events, (changed) => {
        this.events.emit('settings:changed', changed);
        void this.configureSchedules(session).catch(() => undefined);
      }),
    );
    const settings = await readSettings(session.resolve(layout.settings)).catch(() => null);
    // Broken settings leave the schedules off until they are fixed; Settings says why.
    if (!settings) return;
    const scheduler = session.service(
      'scheduler',
      () =>
        new Scheduler(session.catalog, (id, error) => {
          this.options.onScheduleError?.(id, error);
        }),
    );
    const entries = scheduleSources.flatMap((source) => source(session, this, settings));
    await scheduler.configure(entries);
  }

  /** Stops jobs cleanly and closes the root. */
  async close(): Promise<void> {
    await this.session?.close();
    this.session = null;
  }

  private buildHandlers(): Handlers {
    const settingsFile = () => this.requireSession().resolve(layout.settings);
    return {
      'root:info': async () => this.requireSession().info(),
      'root:open': async ({ path: target }) => (await this.openRoot(target)).info(),
      'root:create': async ({ path: target }) => (await this.createRoot(target)).info(),
      'root:recent': async () => ({
        paths: (await readAppState(this.options.appStateDir)).recentRoots,
      }),
      'root:pick-folder': async () => {
        throw new TendFailure(
          'INVALID_INPUT',
          'Only the desktop app can show a folder picker; type the folder path instead.',
        );
      },
      'settings:get': async () => readSettings(settingsFile()),
      'settings:set': async ({ settings }) => {
        const session = this.requireSession();
        const saved = await updateSettings(
          { file: session.resolve(layout.settings), root: session.path },
          settings as SettingsPatch,
        );
        this.events.emit('settings:changed', saved);
        if (this.options.schedules) await this.configureSchedules(this.requireSession());
        return saved;
      },
      // The usage service keeps the last scan, so this is a rescan of unchanged folders.
      'usage:summary': async () => usageService(this.requireSession(), this).summary(),
      'jobs:list': async ({ limit, kind }) => ({
        jobs: this.requireSession().jobs.list(limit, kind),
      }),
      'jobs:get': async ({ id }) => this.requireSession().jobs.get(id),
      'jobs:cancel': async ({ id }) => this.requireSession().jobs.cancel(id),
      'demo:generate': async ({ path: target, size, seed }) => {
        const session = await this.createRoot(path.resolve(target), false);
        return session.jobs.start({
          kind: 'demo',
          title: `Write a ${size} demo data folder`,
          writesRoot: true,
          run: async (context) => {
            try {
              return await generateDemo({
                root: session.path,
                size,
                seed,
                signal: context.signal,
                onProgress: (progress) => context.progress(progress),
              });
            } catch (error) {
              // A demo that did not finish is no use to anyone: leave the empty layout only.
              await removeAllBut(session.path, layout.tend);
              throw error;
            }
          },
        });
      },
      ...backupHandlers(this),
      ...restoreHandlers(this),
      ...usageHandlers(this),
      ...vectorHandlers(this),
      ...maintenanceHandlers(this),
    };
  }
}

async function removeAllBut(folder: string, keep: string): Promise<void> {
  for (const name of await fs.readdir(folder)) {
    if (name !== keep) await fs.rm(path.join(folder, name), { recursive: true, force: true });
  }
}
