import fs from 'node:fs';
import path from 'node:path';
import { TendFailure } from '../../../src-shared/errors';
import type { JobRecord } from '../../../src-shared/models/jobs';
import type {
  ConflictChoice,
  ConflictResolution,
  DailyFigure,
  RecordFormat,
  RecordKind,
  RetentionPolicy,
  ScrubReport,
  TierSummary,
} from '../../../src-shared/models/maintenance';
import { backupServiceFor } from '../backup/backup-service';
import type { EngineServices } from '../engine-services';
import type { JobContext } from '../jobs/job-runner';
import type { RootSession, SessionService } from '../root-session';
import {
  analyticsDaily,
  analyticsPolicyIsTheApps,
  analyticsScrubIsTheArchival,
  analyticsTiers,
  isAnalyticsRoot,
  recoverAnalyticsArchival,
  startAnalyticsArchival,
} from './analytics-maintenance';
import { openCurrentAssistantDb } from './assistant-store';
import { listColdSegments } from './cold-archive';
import { dailyFigures } from './daily-figures';
import { openHistoryDb } from './history-db';
import {
  applyLegacyMigration,
  recoverLegacyMigration,
  rollbackLegacyMigration,
} from './legacy-migration';
import { planLegacyMigration } from './legacy-plan';
import { maintenancePathsOf, maintenanceRootOf, type MaintenanceRoot } from './maintenance-paths';
import type { PreMigrationBackup } from './pre-migration-backup';
import { dayBefore, readRetentionPolicy, writeRetentionPolicy } from './retention-policy';
import { migrateSchema, recoverSchemaMigration } from './schema-migration';
// Note: archival.ts, scrub.ts and records-transfer.ts are imported where their jobs run: they
// bring libphonenumber-js and csv-parse, which the start-up recovery, `schema:status` and
// `tend info` never need.

/**
 * The maintenance work of one root: each long action is a writing job, so it holds the data
 * lock and never runs beside a backup or a restore.
 */
export class MaintenanceService implements SessionService {
  constructor(
    private readonly session: RootSession,
    private readonly backup: PreMigrationBackup | null,
  ) {}

  /** Nothing stays open between calls: every database is opened and closed per action. */
  close(): void {
    return undefined;
  }

  /** Where maintenance works; PROFILE_UNSUPPORTED for a profile without an assistant store. */
  private get m(): MaintenanceRoot {
    return maintenanceRootOf(this.session);
  }

  /** The assistant store's files maintenance writes, root-relative. */
  private get paths() {
    return maintenancePathsOf(this.m.store);
  }

  /** Whether the root has an assistant.db to work on. */
  private hasAssistantDb(): boolean {
    const store = this.session.assistantStore;
    return store !== null && fs.existsSync(this.session.resolve(store.db));
  }

  private withBackup(context: JobContext) {
    const backup = this.backup;
    return backup ? (paths: ReadonlyArray<string>) => backup(context, paths) : null;
  }

  /** Starts the schema migration job. */
  migrateSchema(): JobRecord {
    return this.session.jobs.start({
      kind: 'migration',
      title: 'Migrate the assistant database schema',
      writesRoot: true,
      run: (context) => migrateSchema(this.m, { context, backup: this.withBackup(context) }),
    });
  }

  /** Starts the legacy data/ migration job (or its dry run). */
  migrateLegacy(
    resolution: ConflictResolution,
    choices: Readonly<Record<string, ConflictChoice>>,
    dryRun: boolean,
  ): JobRecord {
    return this.session.jobs.start({
      kind: 'migration',
      title: dryRun
        ? 'Try the legacy data/ migration (dry run)'
        : 'Migrate legacy data/ into local_data/',
      // A dry run reads only, but it must see the tree as no other migration is changing it.
      writesRoot: true,
      run: async (context) => {
        // Planned again inside the lock: the preview the person saw may be stale by now.
        const plan = await planLegacyMigration(this.m, resolution, choices);
        return applyLegacyMigration(this.m, plan, {
          dryRun,
          context,
          backup: dryRun ? null : this.withBackup(context),
          choices,
        });
      },
    });
  }

  /** Starts the job that undoes the last legacy migration. */
  rollbackLegacy(): JobRecord {
    return this.session.jobs.start({
      kind: 'migration',
      title: 'Undo the legacy data/ migration',
      writesRoot: true,
      run: (context) => rollbackLegacyMigration(this.m, context),
    });
  }

  /**
   * Starts the archival job: on the assistant store, or on an analytics-profile root on seed
   * 004's own files; null when the root has neither (nothing to archive).
   */
  archive(dryRun: boolean): JobRecord | null {
    if (isAnalyticsRoot(this.session)) return startAnalyticsArchival(this.session, dryRun);
    if (!this.hasAssistantDb()) return null;
    return this.session.jobs.start({
      kind: 'archival',
      title: dryRun ? 'Archive analytics (dry run)' : 'Archive analytics into warm and cold tiers',
      writesRoot: !dryRun,
      run: async (context) => {
        const [{ runArchival }, { scrubSalt }] = await Promise.all([
          import('./archival'),
          import('./scrub'),
        ]);
        const assistant = openCurrentAssistantDb(this.session, { readonly: dryRun });
        const history = openHistoryDb(this.session.resolve(this.paths.historyDb));
        try {
          const policy = readRetentionPolicy(assistant);
          return await runArchival({
            assistant,
            history,
            coldFolder: this.session.resolve(this.paths.coldArchive),
            policy,
            salt: policy.scrubAfterDays === null ? null : scrubSalt(this.session.state.scrubSalt),
            dryRun,
            now: new Date(),
            context,
          });
        } finally {
          history.close();
          assistant.close();
        }
      },
    });
  }

  /** Starts the privacy scrub job; null when the root has no assistant.db. */
  scrub(dryRun: boolean): JobRecord | null {
    // On an analytics root the archival anonymises the rows that stay.
    if (isAnalyticsRoot(this.session)) return null;
    if (!this.hasAssistantDb()) return null;
    return this.session.jobs.start({
      kind: 'scrub',
      title: dryRun ? 'Privacy scrub (dry run)' : 'Privacy scrub of old interactions',
      writesRoot: !dryRun,
      run: async (context) => this.scrubNow(dryRun, context),
    });
  }

  /** Counts (dry run) or scrubs now, outside a job: the preview. */
  async scrubNow(dryRun: boolean, context: JobContext | null): Promise<ScrubReport> {
    if (isAnalyticsRoot(this.session)) throw analyticsScrubIsTheArchival();
    const { runScrub, scrubSalt } = await import('./scrub');
    const db = openCurrentAssistantDb(this.session, { readonly: dryRun });
    try {
      const policy = readRetentionPolicy(db);
      const cutoff =
        policy.scrubAfterDays === null ? null : dayBefore(new Date(), policy.scrubAfterDays);
      const salt = scrubSalt(this.session.state.scrubSalt);
      return await runScrub(db, salt, cutoff, dryRun, context);
    } finally {
      db.close();
    }
  }

  /** Starts an export job; an existing file is replaced only with `replace`. */
  exportRecords(kind: RecordKind, format: RecordFormat, file: string, replace = false): JobRecord {
    this.refuseInsideState(file);
    return this.session.jobs.start({
      kind: 'records-export',
      title: `Export ${kind} as ${format.toUpperCase()}`,
      writesRoot: false,
      run: async (context) => {
        const { exportRecords } = await import('./records-transfer');
        const db = openCurrentAssistantDb(this.session, { readonly: true });
        try {
          return await exportRecords(db, kind, format, file, context, { replace });
        } finally {
          db.close();
        }
      },
    });
  }

  /** Starts an import job (a dry run only checks and counts what is new). */
  importRecords(kind: RecordKind, format: RecordFormat, file: string, dryRun = false): JobRecord {
    return this.session.jobs.start({
      kind: 'records-import',
      title: `${dryRun ? 'Check' : 'Import'} ${kind} from ${path.basename(file)}`,
      writesRoot: !dryRun,
      run: async (context) => {
        const [{ importRecords }, { existingScrubSalt }] = await Promise.all([
          import('./records-transfer'),
          import('./scrub'),
        ]);
        const db = openCurrentAssistantDb(this.session, { readonly: dryRun });
        try {
          return await importRecords(db, kind, format, file, context, {
            coldFolder: this.session.resolve(this.paths.coldArchive),
            salt: existingScrubSalt(this.session.state.scrubSalt),
            dryRun,
          });
        } finally {
          db.close();
        }
      },
    });
  }

  private refuseInsideState(file: string): void {
    const state = this.session.state.dir;
    if (path.resolve(file) === state || path.resolve(file).startsWith(`${state}${path.sep}`)) {
      throw new TendFailure(
        'PATH_OUTSIDE_ROOT',
        `Tend does not write exports into its own state folder (${state}).`,
      );
    }
  }

  /** The retention policy. */
  retention(): RetentionPolicy {
    if (isAnalyticsRoot(this.session)) throw analyticsPolicyIsTheApps();
    const db = openCurrentAssistantDb(this.session, { readonly: true });
    try {
      return readRetentionPolicy(db);
    } finally {
      db.close();
    }
  }

  /** Changes the retention policy. */
  setRetention(policy: RetentionPolicy): RetentionPolicy {
    if (isAnalyticsRoot(this.session)) throw analyticsPolicyIsTheApps();
    const db = openCurrentAssistantDb(this.session);
    try {
      return writeRetentionPolicy(db, policy);
    } finally {
      db.close();
    }
  }

  /** What each tier holds. */
  async tiers(): Promise<TierSummary> {
    if (isAnalyticsRoot(this.session)) return analyticsTiers(this.session);
    const hasDb = this.hasAssistantDb();
    const historyFile = this.session.resolve(this.paths.historyDb);
    const segments = listColdSegments(this.session.resolve(this.paths.coldArchive)).filter(
      (s) => s.name.endsWith('.jsonl.gz') && !path.basename(s.name).startsWith('.'),
    );
    const summary: TierSummary = {
      hot: { rows: 0, oldest: null, bytes: 0 },
      warm: { days: 0, interactions: 0, oldest: null, newest: null, bytes: 0 },
      cold: {
        files: segments.length,
        rows: 0,
        months: new Set(segments.map((s) => s.name.slice(0, 7))).size,
        bytes: segments.reduce((sum, s) => sum + s.bytes, 0),
      },
      policy: null,
    };
    if (hasDb) {
      const db = openCurrentAssistantDb(this.session, { readonly: true });
      try {
        const row = db
          .prepare('SELECT count(*) AS n, min(timestamp) AS oldest FROM interactions')
          .get() as {
          n: number;
          oldest: string | null;
        };
        summary.hot = {
          rows: row.n,
          oldest: row.oldest,
          bytes: fs.statSync(this.session.resolve(this.m.store.db)).size,
        };
        summary.policy = readRetentionPolicy(db);
      } finally {
        db.close();
      }
    }
    if (fs.existsSync(historyFile)) {
      const history = openHistoryDb(historyFile);
      try {
        const warm = history
          .prepare(
            'SELECT count(DISTINCT day) AS days, coalesce(sum(interactions), 0) AS n, min(day) AS oldest, max(day) AS newest FROM interaction_daily',
          )
          .get() as { days: number; n: number; oldest: string | null; newest: string | null };
        summary.warm = {
          days: warm.days,
          interactions: warm.n,
          oldest: warm.oldest,
          newest: warm.newest,
          bytes: fs.statSync(historyFile).size,
        };
        // Rows of cold files that retention has deleted are not counted.
        const present = new Set(segments.map((s) => s.name));
        summary.cold.rows = (
          history.prepare('SELECT cold_file, rows FROM archived_batches').all() as Array<{
            cold_file: string;
            rows: number;
          }>
        )
          .filter((batch) => present.has(batch.cold_file))
          .reduce((sum, batch) => sum + batch.rows, 0);
      } finally {
        history.close();
      }
    }
    return summary;
  }

  /** The dashboard's daily figures across the tiers. */
  async daily(from: string, to: string): Promise<DailyFigure[]> {
    if (to < from)
      throw new TendFailure('INVALID_INPUT', `The range ends (${to}) before it starts (${from}).`);
    if (isAnalyticsRoot(this.session)) return analyticsDaily(this.session, from, to);
    const assistant = openCurrentAssistantDb(this.session, { readonly: true });
    const historyFile = this.session.resolve(this.paths.historyDb);
    const history = fs.existsSync(historyFile) ? openHistoryDb(historyFile) : null;
    try {
      return await dailyFigures(
        assistant,
        history,
        this.session.resolve(this.paths.coldArchive),
        from,
        to,
      );
    } finally {
      history?.close();
      assistant.close();
    }
  }

  /**
   * Start-up recovery: a legacy migration or schema migration whose process died is undone,
   * an archival run that stopped between its warm and hot steps is finished.
   */
  async recover(): Promise<void> {
    if (isAnalyticsRoot(this.session)) return recoverAnalyticsArchival(this.session);
    // A folder of a profile without an assistant store has no migrations or tiers to recover.
    if (!this.session.assistantStore) return;
    await recoverLegacyMigration(this.m);
    recoverSchemaMigration(this.m);
    const historyFile = this.session.resolve(this.paths.historyDb);
    if (!fs.existsSync(historyFile) || !this.hasAssistantDb()) return;
    const history = openHistoryDb(historyFile);
    try {
      const pending = history
        .prepare(`SELECT count(*) AS n FROM archived_batches WHERE state = 'pending-delete'`)
        .get() as { n: number };
      if (pending.n === 0) return;
      const { finishInterruptedArchival } = await import('./archival');
      const assistant = openCurrentAssistantDb(this.session);
      try {
        finishInterruptedArchival(assistant, history, this.session.resolve(this.paths.coldArchive));
      } finally {
        assistant.close();
      }
    } finally {
      history.close();
    }
  }
}

/**
 * The pre-migration backup through the backup domain's service, from inside the migration's
 * job (which holds the data lock already: the backup must not start a job of its own). With no
 * destination set, the backup service writes it to the snapshots of Tend's state folder.
 */
function preMigrationBackup(session: RootSession, engine: EngineServices): PreMigrationBackup {
  return async (context, paths) => {
    const record = await backupServiceFor(session, engine).writeWithin(context, {
      kind: 'pre-migration',
      paths,
    });
    return record.id;
  };
}

/** The root's maintenance service. */
export function maintenanceFor(session: RootSession, engine: EngineServices): MaintenanceService {
  return session.service(
    'maintenance',
    () => new MaintenanceService(session, preMigrationBackup(session, engine)),
  );
}
