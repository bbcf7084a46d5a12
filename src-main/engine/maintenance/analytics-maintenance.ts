/**
 * Maintenance on an analytics-profile root (seed 004's own files): the archival job, what each
 * tier holds, and the start-up recovery of a killed run. The databases are the analytics
 * system's: a run holds them exclusively (and refuses while that system has them open), and
 * their journal mode is left as the system keeps it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createGunzip } from 'node:zlib';
import type Database from 'better-sqlite3';
import type {
  ArchivalReport,
  DailyFigure,
  TierSummary,
} from '../../../src-shared/models/maintenance';
import { TendFailure } from '../../../src-shared/errors';
import type { JobRecord } from '../../../src-shared/models/jobs';
import type { JobContext } from '../jobs/job-runner';
import { analyticsPaths } from '../profiles/analytics/analytics-paths';
import type { RootSession } from '../root-session';
import { listFiles } from '../stores/list-files';
import {
  openForeignExclusive,
  openReadOnly,
  withReadOnlyDatabase,
  withReadOnlyDatabaseAsync,
} from '../stores/sqlite/sqlite-open';
import { analyticsJournalFile, readArchivalJournal } from './analytics-journal';

/** Tend does not edit the analytics system's retention policy: it is that system's own table. */
export function analyticsPolicyIsTheApps(): TendFailure {
  return new TendFailure(
    'PROFILE_UNSUPPORTED',
    'The analytics system keeps its retention policy in its own data_retention_policy table (comprehensive_metrics.db); Tend archives by it and does not edit it. tend archive run --dry-run shows what it moves.',
  );
}

/** On an analytics root the archival anonymises: there is no separate scrub. */
export function analyticsScrubIsTheArchival(): TendFailure {
  return new TendFailure(
    'PROFILE_UNSUPPORTED',
    'In an analytics folder the archival anonymises the rows that stay (tend archive run --dry-run counts them); there is no separate scrub.',
  );
}

/** Whether the root is an analytics-profile root with its hot and warm databases. */
export function isAnalyticsRoot(session: RootSession): boolean {
  return session.profile.id === 'analytics';
}

function files(session: RootSession) {
  return {
    hot: session.resolve(analyticsPaths.hotDb),
    warm: session.resolve(analyticsPaths.historicalDb),
    archive: session.resolve(analyticsPaths.archive),
    journal: analyticsJournalFile(session.state.dir),
  };
}

/** Opens both tiers: exclusively to write, read-only for a dry run; closes both on failure. */
function openTiers(session: RootSession, dryRun: boolean) {
  const f = files(session);
  const open = (file: string): { db: Database.Database; close(): void } => {
    if (dryRun) return openReadOnly(file);
    const db = openForeignExclusive(file);
    return { db, close: () => db.close() };
  };
  const hot = open(f.hot);
  try {
    const warm = open(f.warm);
    return {
      hot,
      warm,
      close() {
        warm.close();
        hot.close();
      },
    };
  } catch (error) {
    hot.close();
    throw error;
  }
}

/** Runs the archival (or its dry run) inside a job. */
async function archiveNow(
  session: RootSession,
  dryRun: boolean,
  context: JobContext,
): Promise<ArchivalReport> {
  const [{ runAnalyticsArchival, ANALYTICS_SCRUB_DAYS }, { scrubSalt, existingScrubSalt }] =
    await Promise.all([import('./analytics-archival'), import('./scrub')]);
  const f = files(session);
  const tiers = openTiers(session, dryRun);
  try {
    return await runAnalyticsArchival({
      hot: tiers.hot.db,
      warm: tiers.warm.db,
      archiveFolder: f.archive,
      journalFile: f.journal,
      // A dry run makes no salt: it only counts what would change.
      salt: dryRun
        ? (existingScrubSalt(session.state.scrubSalt) ?? Buffer.alloc(32))
        : scrubSalt(session.state.scrubSalt),
      scrubAfterDays: ANALYTICS_SCRUB_DAYS,
      dryRun,
      now: new Date(),
      context,
    });
  } finally {
    tiers.close();
  }
}

/** Starts the analytics archival job. */
export function startAnalyticsArchival(session: RootSession, dryRun: boolean): JobRecord {
  return session.jobs.start({
    kind: 'archival',
    title: dryRun
      ? 'Archive the analytics tiers (dry run)'
      : 'Archive the analytics tiers: hot → warm → cold',
    writesRoot: !dryRun,
    run: (context) => archiveNow(session, dryRun, context),
  });
}

/** What each of the analytics system's tiers holds. */
export async function analyticsTiers(session: RootSession): Promise<TierSummary> {
  const f = files(session);
  const summary: TierSummary = {
    hot: { rows: 0, oldest: null, bytes: 0 },
    warm: { days: 0, interactions: 0, oldest: null, newest: null, bytes: 0 },
    cold: { files: 0, rows: 0, months: 0, bytes: 0 },
    policy: null,
  };
  if (fs.existsSync(f.hot)) {
    const row = withReadOnlyDatabase(
      f.hot,
      (db) =>
        db
          .prepare('SELECT count(*) AS n, min(timestamp) AS oldest FROM user_interactions')
          .get() as { n: number; oldest: string | null },
    );
    summary.hot = { rows: row.n, oldest: row.oldest, bytes: fs.statSync(f.hot).size };
  }
  if (fs.existsSync(f.warm)) {
    const row = withReadOnlyDatabase(
      f.warm,
      (db) =>
        db
          .prepare(
            `SELECT coalesce(sum(interactions), 0) AS n, min(month) AS oldest, max(month) AS newest,
               count(DISTINCT month) AS months FROM user_interactions_monthly`,
          )
          .get() as { n: number; oldest: string | null; newest: string | null; months: number },
    );
    summary.warm = {
      // The warm tier keeps months: its days are those of its months.
      days: row.oldest && row.newest ? daysOfMonths(row.oldest, row.newest) : 0,
      interactions: row.n,
      oldest: row.oldest ? `${row.oldest}-01` : null,
      newest: row.newest ? lastDayOf(row.newest) : null,
      bytes: fs.statSync(f.warm).size,
    };
  }
  if (fs.existsSync(f.archive)) {
    const segments = (await listFiles(f.archive)).filter((file) =>
      /\.json(l)?\.gz$/.test(file.path),
    );
    summary.cold = {
      files: segments.length,
      // The seed's own dumps are JSON documents, not lines: only Tend's segments are counted.
      rows: await countLines(
        segments
          .filter((s) => s.path.endsWith('.jsonl.gz'))
          .map((s) => path.join(f.archive, s.path)),
      ),
      months: new Set(segments.map((s) => /(\d{4}-\d{2})/.exec(s.path)?.[1]).filter(Boolean)).size,
      bytes: segments.reduce((sum, s) => sum + s.bytes, 0),
    };
  }
  return summary;
}

/** The lines of gzipped JSON Lines files (one row a line), read as a stream. */
async function countLines(list: ReadonlyArray<string>): Promise<number> {
  let lines = 0;
  for (const file of list) {
    const gunzip = fs.createReadStream(file).pipe(createGunzip());
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines++;
    }
  }
  return lines;
}

function lastDayOf(month: string): string {
  const [year, mon] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, mon, 0)).toISOString().slice(0, 10);
}

function daysOfMonths(first: string, last: string): number {
  return Math.round((Date.parse(lastDayOf(last)) - Date.parse(`${first}-01`)) / 86_400_000) + 1;
}

/**
 * Start-up recovery: a run killed half-way through a month is finished or rolled back now,
 * unless the analytics system has the databases open (then the next run does it).
 */
export async function recoverAnalyticsArchival(session: RootSession): Promise<void> {
  const f = files(session);
  const journal = readArchivalJournal(f.journal);
  if (!journal.batch && !journal.expiry) return;
  if (!fs.existsSync(f.hot) || !fs.existsSync(f.warm)) return;
  const { resumeAnalyticsArchival } = await import('./analytics-archival');
  let tiers: ReturnType<typeof openTiers>;
  try {
    tiers = openTiers(session, false);
  } catch {
    return;
  }
  try {
    resumeAnalyticsArchival(tiers.hot.db, tiers.warm.db, f.archive, f.journal);
  } finally {
    tiers.close();
  }
}

/** The dashboard's daily figures from the analytics system's hot tier and cold segments. */
export async function analyticsDaily(
  session: RootSession,
  from: string,
  to: string,
): Promise<DailyFigure[]> {
  const f = files(session);
  const { analyticsDailyFigures } = await import('./analytics-daily');
  const { batch } = readArchivalJournal(f.journal);
  return withReadOnlyDatabaseAsync(f.hot, (db) =>
    analyticsDailyFigures(db, f.archive, batch, from, to),
  );
}
