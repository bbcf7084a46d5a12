import { randomUUID } from 'node:crypto';
import { TendFailure } from '../../../src-shared/errors';
import type { JobRecord } from '../../../src-shared/models/jobs';
import type { UsageSummary } from '../../../src-shared/models/root';
import type {
  CleanKind,
  CleanPlan,
  UsageAlert,
  UsageReport,
  UsageUpdate,
  UsageWatch,
} from '../../../src-shared/models/usage';
import { summaryOf } from '../../../src-shared/models/usage-summary';
import type { EngineServices } from '../engine-services';
import { diskSpace } from '../fs/free-space';
import type { JobContext } from '../jobs/job-runner';
import { readSettings } from '../root/settings-file';
import type { RootSession, SessionService } from '../root-session';
import { applyCleanPlan } from './clean-apply';
import { planCleanup } from './clean-plan';
import { noChanges, type FolderChanges } from './folder-changes';
import { scanUsage, type UsageScan } from './scanner';
import { alertsFor, alertsToRaise } from './usage-alerts';
import { UsageHistory } from './usage-history';
import { categoryUsage, sumFigures, toUsageNode } from './usage-tree';
import { ONE_OFF_WATCH, UsageWatcher, type UsageWatcherOptions } from './usage-watcher';

const DAY_MS = 24 * 60 * 60 * 1000;
/** A preview is good for this long; after that the files are planned again. */
const PLAN_TTL_MS = 60 * 60 * 1000;
/** The map streamed with `usage:updated`: the root and two levels of folders. */
const STREAMED_DEPTH = 2;

/** The usage report of a scan, with the disk's free space and whether it is kept live. */
export function reportOf(
  scan: UsageScan,
  disk: UsageReport['disk'],
  watch: UsageWatch = ONE_OFF_WATCH,
): UsageReport {
  const totals = sumFigures(scan.root.total);
  return {
    root: scan.rootPath,
    scannedAt: new Date(scan.startedAt.getTime() + scan.durationMs).toISOString(),
    durationMs: scan.durationMs,
    complete: scan.complete,
    totals: { ...totals, folders: scan.root.folders },
    categories: categoryUsage(scan.root.total),
    disk,
    stats: scan.stats,
    watch,
  };
}

async function diskOf(root: string): Promise<UsageReport['disk']> {
  return diskSpace(root);
}

/** How the live map is watched; tests hand in a stand-in watcher or short windows. */
export type LiveUsageOptions = Omit<UsageWatcherOptions, 'root' | 'onChanges'>;

/**
 * The usage of one open root: its last scan (kept between scans so a rescan skips unchanged
 * folders), the scan job, history and alerts, and cleanup plans waiting to be applied.
 *
 * In a long-running engine (`startLive`) the folder is watched: once a first scan exists,
 * what the watcher sees is applied to the tree in memory (only the changed folders are listed
 * again) and announced as `usage:updated`, so the Overview follows writes without a click.
 */
export class UsageService implements SessionService {
  private last: UsageScan | null = null;
  private lastReport: UsageReport | null = null;
  private running: Promise<UsageScan> | null = null;
  private runningJobId: string | null = null;
  private readonly plans = new Map<string, { plan: CleanPlan; expiresAt: number }>();
  /** Stops every scan when the root closes, jobs or not (a summary's scan is not a job). */
  private readonly closing = new AbortController();
  /** Set once the root is watched (`startLive`); null in a one-off engine. */
  private watcher: UsageWatcher | null = null;
  private watching: Promise<void> | null = null;
  /** What the watcher saw that the tree does not hold yet. */
  private pending: FolderChanges | null = null;
  readonly history: UsageHistory;

  constructor(
    private readonly session: RootSession,
    private readonly engine: Pick<EngineServices, 'events'>,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.history = new UsageHistory(session.catalog);
  }

  /** The last complete scan, or null. */
  get lastScan(): UsageScan | null {
    return this.last;
  }

  /** The last complete scan's report, or null. */
  get report(): UsageReport | null {
    return this.lastReport;
  }

  /** Whether the figures follow the folder live, and why not. */
  get watch(): UsageWatch {
    return this.watcher?.status ?? ONE_OFF_WATCH;
  }

  /**
   * Starts watching the root (the desktop app, `tend serve`). The watcher starts before any
   * scan so nothing written during the first one is missed; changes seen before a first scan
   * exists are dropped, as that scan sees them.
   */
  startLive(options: LiveUsageOptions = {}): Promise<void> {
    this.watching ??= UsageWatcher.start({
      ...options,
      root: this.session.path,
      onChanges: (changes) => this.changed(changes),
    }).then(async (watcher) => {
      if (this.closing.signal.aborted) await watcher.close();
      else this.watcher = watcher;
    });
    return this.watching;
  }

  private changed(changes: FolderChanges): void {
    if (!this.last && !this.running) return;
    const pending = (this.pending ??= noChanges());
    for (const folder of changes.folders) pending.folders.add(folder);
    for (const file of changes.files) pending.files.add(file);
    pending.rescan ||= changes.rescan;
    this.applyPending();
  }

  /** Applies what the watcher saw, once no scan runs (a running one applies it when done). */
  private applyPending(): void {
    if (this.running || !this.pending || !this.last || this.closing.signal.aborted) return;
    const changes = this.pending;
    this.pending = null;
    this.running = this.runScan('auto', undefined, changes)
      .catch((error: unknown) => {
        // The tree stays as it was; the next change or scan measures again.
        if (!this.closing.signal.aborted) this.pending ??= { ...noChanges(), rescan: true };
        throw error;
      })
      .finally(() => {
        this.running = null;
        queueMicrotask(() => this.applyPending());
      });
    this.running.catch(() => undefined);
  }

  /** Whether a scan is running now. */
  get scanning(): boolean {
    return this.running !== null;
  }

  /**
   * Starts a scan job, or returns the scan job already running. Reads only: it runs beside
   * backups and other writers.
   */
  startScanJob(mode: 'auto' | 'full'): JobRecord {
    if (this.runningJobId) {
      try {
        return this.session.jobs.get(this.runningJobId);
      } catch {
        // Ended meanwhile; start a new one.
      }
    }
    const record = this.session.jobs.start({
      kind: 'usage-scan',
      title: 'Measure disk usage',
      writesRoot: false,
      run: async (context) => {
        try {
          return reportOf(await this.scan(mode, context), await diskOf(this.session.path));
        } finally {
          if (this.runningJobId === context.jobId) this.runningJobId = null;
        }
      },
    });
    this.runningJobId = record.id;
    return record;
  }

  /** Scans (or joins the scan already running) and records the result. */
  scan(mode: 'auto' | 'full', context?: Pick<JobContext, 'signal' | 'progress' | 'jobId'>) {
    this.running ??= this.runScan(mode, context).finally(() => {
      this.running = null;
      // What the watcher saw meanwhile may not be in this scan: apply it now.
      queueMicrotask(() => this.applyPending());
    });
    return this.running;
  }

  /** The last scan if one is running or done, else a fresh one: for plans and the summary. */
  async current(): Promise<UsageScan> {
    if (this.running) return this.running;
    return this.last ?? this.scan('auto');
  }

  /**
   * Apparent size by category for the foundation's `usage:summary`: the live tree's figures
   * while the folder is watched, else after a rescan.
   */
  async summary(): Promise<UsageSummary> {
    if (this.watch.live && this.lastReport && !this.running) {
      return summaryOf({ ...this.lastReport, watch: this.watch });
    }
    const scan = await this.scan('auto');
    return summaryOf(
      this.lastReport ?? reportOf(scan, await diskOf(this.session.path), this.watch),
    );
  }

  /**
   * A scan; with `watched` (what a watcher saw change), an update of the last scan, or a
   * rescan when the watcher asks for one; neither announces partial figures.
   */
  private async runScan(
    mode: 'auto' | 'full',
    context?: Pick<JobContext, 'signal' | 'progress' | 'jobId'>,
    watched: FolderChanges | null = null,
  ): Promise<UsageScan> {
    const jobId = context?.jobId ?? null;
    const disk = await diskOf(this.session.path);
    const signal = context
      ? AbortSignal.any([context.signal, this.closing.signal])
      : this.closing.signal;
    const scan = await scanUsage(this.session.path, {
      rules: this.session.profile.categoryRules,
      previous: mode === 'full' ? null : this.last,
      ...(watched && !watched.rescan
        ? { changed: watched.folders, changedFiles: watched.files }
        : {}),
      signal,
      onProgress: (partial) => {
        // An update's figures are whole only at its end (a partial one would show the map
        // shrinking and growing back), and a watcher's rescan is no job to follow.
        if (watched) return;
        const report = reportOf(partial, disk, this.watch);
        context?.progress({
          filesDone: report.totals.files,
          bytesDone: report.totals.apparentBytes,
          currentPath: null,
          message: `${report.totals.files.toLocaleString('en')} files so far`,
        });
        this.emitUpdate(jobId, partial, report);
      },
    });
    const report = reportOf(scan, await diskOf(this.session.path), this.watch);
    this.last = scan;
    this.lastReport = report;
    context?.progress({
      filesDone: report.totals.files,
      filesTotal: report.totals.files,
      bytesDone: report.totals.apparentBytes,
      bytesTotal: report.totals.apparentBytes,
      message: null,
    });
    this.emitUpdate(jobId, scan, report);
    // A watched root updates many times a minute: history and alerts follow scans only (the
    // daily one among them), not every write.
    if (scan.stats.mode !== 'update') {
      this.history.record(report);
      await this.raiseAlerts(report);
    }
    return scan;
  }

  private emitUpdate(jobId: string | null, scan: UsageScan, report: UsageReport): void {
    const update: UsageUpdate = { jobId, report, tree: toUsageNode(scan.root, STREAMED_DEPTH) };
    this.engine.events.emit('usage:updated', update);
  }

  /** Checks the new figures against the thresholds and announces new alerts. */
  private async raiseAlerts(report: UsageReport): Promise<UsageAlert[]> {
    const settings = await readSettings(this.session.state.settings).catch(() => null);
    if (!settings) return [];
    const now = this.now();
    const history = this.history.since(new Date(now.getTime() - 40 * DAY_MS));
    const latest = {
      takenAt: now,
      freeBytes: report.disk.freeBytes,
      byCategory: Object.fromEntries(
        report.categories.map((c) => [c.category, c.apparentBytes]),
      ) as Record<(typeof report.categories)[number]['category'], number>,
    };
    const fresh = alertsToRaise(
      alertsFor(latest, history, settings.alerts, now),
      this.history.lastRaised(),
      now,
    );
    for (const alert of fresh) {
      this.history.raised(alert);
      this.engine.events.emit('alert:raised', alert);
    }
    return fresh;
  }

  /** A cleanup preview, kept for an hour so it can be applied by id. */
  async plan(kind: CleanKind, gzipOldLogs: boolean): Promise<CleanPlan> {
    const settings = await readSettings(this.session.state.settings);
    const scan = await this.scan('auto');
    const now = this.now();
    const plan: CleanPlan = {
      id: randomUUID(),
      createdAt: now.toISOString(),
      ...planCleanup(kind, {
        rootPath: this.session.path,
        rules: this.session,
        scan,
        settings,
        now,
        gzipOldLogs,
      }),
    };
    for (const [id, kept] of this.plans) if (kept.expiresAt < now.getTime()) this.plans.delete(id);
    this.plans.set(plan.id, { plan, expiresAt: now.getTime() + PLAN_TTL_MS });
    return plan;
  }

  /**
   * Applies a kept plan as a writing job; the plan is used once. A plan over the ceiling runs
   * only when the person confirmed it after seeing the numbers (`confirmLarge`).
   */
  applyPlan(planId: string, confirmLarge = false): JobRecord {
    const kept = this.plans.get(planId);
    if (!kept || kept.expiresAt < this.now().getTime()) {
      throw new TendFailure(
        'CLEAN_PLAN_NOT_FOUND',
        'This cleanup preview has expired or was already used. Open the preview again.',
      );
    }
    const { plan } = kept;
    if (!plan.applicable) {
      throw new TendFailure(
        'INVALID_INPUT',
        `${plan.title} are cleaned up elsewhere: ${plan.handledElsewhere?.label ?? 'see its page'}.`,
      );
    }
    if (plan.confirm && !confirmLarge) {
      throw new TendFailure(
        'CLEAN_NEEDS_CONFIRMATION',
        `${plan.confirm.message} Nothing was changed; confirm it to go ahead.`,
        {
          ceiling: plan.confirm,
        },
      );
    }
    this.plans.delete(planId);
    return this.session.jobs.start({
      kind: 'cleanup',
      title: `Clean up: ${plan.title.toLowerCase()}`,
      writesRoot: true,
      run: (context) => applyCleanPlan(this.session, plan, context),
    });
  }

  /** What each kind of cleanup would free now. */
  async reclaimable(): Promise<CleanPlan[]> {
    const settings = await readSettings(this.session.state.settings);
    const scan = await this.current();
    const now = this.now();
    const kinds: CleanKind[] = ['logs', 'cache', 'locks', 'temp', 'sqlite', 'vectors'];
    return kinds.map((kind) => ({
      id: '',
      createdAt: now.toISOString(),
      ...planCleanup(kind, {
        rootPath: this.session.path,
        rules: this.session,
        scan,
        settings,
        now,
      }),
    }));
  }

  async close(): Promise<void> {
    this.closing.abort(new TendFailure('CANCELLED', 'The data folder was closed.'));
    this.plans.clear();
    this.last = null;
    this.pending = null;
    await this.watching?.catch(() => undefined);
    await this.watcher?.close();
    this.watcher = null;
  }
}

/** The open root's usage service. */
export function usageService(session: RootSession, engine: Pick<EngineServices, 'events'>) {
  return session.service('usage', () => new UsageService(session, engine));
}
