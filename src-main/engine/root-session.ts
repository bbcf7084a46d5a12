import { existsSync } from 'node:fs';
import type { RootInfo } from '../../src-shared/models/root';
import { newestBackup } from './backup/backup-catalog';
import { openCatalog, type Catalog } from './catalog/catalog';
import type { EventBus } from './events';
import { diskSpaceSync } from './fs/free-space';
import { DataLock } from './jobs/data-lock';
import { JobRunner } from './jobs/job-runner';
import { JobStore } from './jobs/job-store';
import type { Profile, ProfilePaths } from './profiles/profile';
import { profiledRoot, type CleanupLookup, type ProfiledRoot } from './profiles/profiled-root';
import { describeProfile } from './profiles/registry';
import type { Categorizer } from './root/category-rules';
import { ensureStateDir } from './root/data-root';
import type { RootState } from './root/root-state';

/** Something a session owns and closes with it (a scheduler, an open index …). */
export interface SessionService {
  close?(): void | Promise<void>;
}

/**
 * One open data root: its profile (paths, rules, stores, scopes), Tend's state for it (the
 * catalog, settings, locks), and its job runner.
 *
 * Every domain reads the root through this: `session.profile`, `session.paths`,
 * `session.categorize`, `session.assistant(feature)` for the native assistant store, and
 * `session.state` for Tend's own files. Nothing reads a module constant of a layout.
 */
export class RootSession implements ProfiledRoot {
  private readonly services = new Map<string, SessionService>();
  private readonly root: ProfiledRoot;

  private constructor(
    root: ProfiledRoot,
    readonly state: RootState,
    readonly catalog: Catalog,
    readonly jobs: JobRunner,
    private readonly movedFrom: { path: string; at: string } | null,
  ) {
    this.root = root;
  }

  /**
   * Opens a checked root folder with its profile and its state folder: makes the state
   * folder, opens the catalog, recovers dead jobs.
   */
  static async open(
    root: string,
    profile: Profile,
    state: RootState,
    events: EventBus,
    movedFrom: { path: string; at: string } | null = null,
  ): Promise<RootSession> {
    await ensureStateDir(state);
    const catalog = openCatalog(state.catalog);
    const jobs = new JobRunner(new JobStore(catalog), events, new DataLock(state.locks));
    jobs.recoverInterrupted();
    return new RootSession(profiledRoot(root, profile), state, catalog, jobs, movedFrom);
  }

  /** The root's real, absolute path. */
  get path(): string {
    return this.root.path;
  }

  get profile(): Profile {
    return this.root.profile;
  }

  get paths(): ProfilePaths {
    return this.root.paths;
  }

  get categorize(): Categorizer {
    return this.root.categorize;
  }

  get cleanupPlaceOf(): CleanupLookup {
    return this.root.cleanupPlaceOf;
  }

  get assistantStore(): ProfiledRoot['assistantStore'] {
    return this.root.assistantStore;
  }

  /** An absolute path from a root-relative one. */
  resolve(relative: string): string {
    return this.root.resolve(relative);
  }

  /** The assistant store, for a feature that needs it (PROFILE_UNSUPPORTED otherwise). */
  assistant(feature: string): ReturnType<ProfiledRoot['assistant']> {
    return this.root.assistant(feature);
  }

  async info(): Promise<RootInfo> {
    const store = this.assistantStore;
    // Note: answered without libuv's thread pool (a few microseconds of stat and statfs). A
    // backup keeps the pool busy compressing gzip members, and an answer queued behind them
    // took 200 ms with the event loop free (issue 13).
    return {
      path: this.path,
      profile: describeProfile(this.profile),
      stateDir: this.state.dir,
      movedFrom: this.movedFrom,
      hasAssistantDb: store !== null && existsSync(this.resolve(store.db)),
      hasLegacyData: store !== null && existsSync(this.resolve(store.legacyData)),
      disk: diskSpaceSync(this.path),
      lastBackup: newestBackup(this.catalog),
    };
  }

  /**
   * The session's one instance of a service, made on first use.
   *
   * Each domain keeps its per-root state here (the backup service, open indexes …) instead of
   * this class growing a field per domain; the services close with the session.
   */
  service<T extends SessionService>(key: string, create: () => T): T {
    let service = this.services.get(key);
    if (!service) {
      service = create();
      this.services.set(key, service);
    }
    return service as T;
  }

  /** Lets running jobs stop cleanly, closes every service, then the catalog. */
  async close(): Promise<void> {
    await this.jobs.shutdown();
    for (const service of [...this.services.values()].reverse()) await service.close?.();
    this.services.clear();
    this.catalog.close();
  }
}
