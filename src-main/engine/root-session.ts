import fs from 'node:fs/promises';
import path from 'node:path';
import type { RootInfo } from '../../src-shared/models/root';
import { newestCompletedBackup } from './backup/backup-catalog';
import { openCatalog, type Catalog } from './catalog/catalog';
import type { EventBus } from './events';
import { DataLock } from './jobs/data-lock';
import { JobRunner } from './jobs/job-runner';
import { JobStore } from './jobs/job-store';
import { ensureTendDir } from './root/data-root';
import { layout } from './root/layout';

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}

/** Something a session owns and closes with it (a scheduler, an open index …). */
export interface SessionService {
  close?(): void | Promise<void>;
}

/** One open data root: its catalog, its job runner and its files. */
export class RootSession {
  private readonly services = new Map<string, SessionService>();

  private constructor(
    readonly path: string,
    readonly catalog: Catalog,
    readonly jobs: JobRunner,
  ) {}

  /** Opens a checked root folder: makes `.tend/`, opens the catalog, recovers dead jobs. */
  static async open(root: string, events: EventBus): Promise<RootSession> {
    await ensureTendDir(root);
    const catalog = openCatalog(path.join(root, layout.catalog));
    const jobs = new JobRunner(
      new JobStore(catalog),
      events,
      new DataLock(path.join(root, layout.locks)),
    );
    jobs.recoverInterrupted();
    return new RootSession(root, catalog, jobs);
  }

  /** An absolute path from a layout entry. */
  resolve(relative: string): string {
    return path.join(this.path, relative);
  }

  async info(): Promise<RootInfo> {
    const disk = await fs.statfs(this.path);
    return {
      path: this.path,
      hasAssistantDb: await exists(this.resolve(layout.assistantDb)),
      hasLegacyData: await exists(this.resolve(layout.legacyData)),
      disk: { freeBytes: disk.bavail * disk.bsize, totalBytes: disk.blocks * disk.bsize },
      lastBackup: newestCompletedBackup(this.catalog),
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
