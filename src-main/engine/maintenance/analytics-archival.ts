/**
 * The archival run on an analytics-profile root (seed 004's own files): each hot table's whole
 * months older than its hot days leave comprehensive_metrics.db; their rows go to the cold tier
 * (analytics/archive/data_dumps/, gzipped JSON Lines, the native cold segment format) and
 * their monthly sums into historical_metrics.db; warm rows older than the warm days go to the
 * cold tier too. Then the rows that stay past the scrub age are anonymised.
 *
 * A month moves in steps, each journaled in Tend's state folder before the next: plan (the
 * rows counted, the warm rows after the move computed), the cold segment written, the warm
 * rows written (absolute values: twice is once), the hot rows deleted. A run killed anywhere
 * is taken up by the next: finished when the hot rows are still the planned ones (or already
 * gone), else rolled back (the warm rows put back as they were, the segment removed).
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { TendFailure } from '../../../src-shared/errors';
import type {
  AnalyticsTableArchival,
  ArchivalReport,
} from '../../../src-shared/models/maintenance';
import type { JobContext } from '../jobs/job-runner';
import {
  tierMappings,
  type HotRow,
  type TierMapping,
  type WarmRow,
} from '../profiles/analytics/analytics-tiers';
import { anonymiseHotRows, anonymiseRow, type AnonymisableRow } from './analytics-anonymise';
import {
  readArchivalJournal,
  writeArchivalJournal,
  type ArchivalBatch,
  type WarmExpiry,
} from './analytics-journal';
import { writeColdSegment } from './cold-archive';
import { faultPoint } from './fault-point';
import { dayBefore } from './retention-policy';

/** Where the cold tier's segments of moved rows go, under analytics/archive/. */
export const ANALYTICS_DUMPS = 'data_dumps';

/** The seed's default scrub age: "Session Data: 30 days detailed". */
export const ANALYTICS_SCRUB_DAYS = 30;

/** What an analytics archival run works on. */
export interface AnalyticsArchivalInput {
  /** comprehensive_metrics.db, opened exclusively (a dry run: read-only). */
  readonly hot: Database.Database;
  /** historical_metrics.db, likewise. */
  readonly warm: Database.Database;
  /** analytics/archive, absolute. */
  readonly archiveFolder: string;
  /** The journal in Tend's state folder. */
  readonly journalFile: string;
  /** The scrub's salt, or null: no anonymisation. */
  readonly salt: Buffer | null;
  readonly scrubAfterDays: number | null;
  readonly dryRun: boolean;
  readonly now: Date;
  readonly context: JobContext | null;
}

/** Days each hot table stays hot: the seed's data_retention_policy, else the seed's defaults. */
export function analyticsHotDays(
  policy: ReadonlyArray<{
    table_name: string;
    retention_days: number | null;
    archive_after_days: number | null;
  }>,
  mapping: TierMapping,
): number {
  const row = policy.find((p) => p.table_name === mapping.hotTable);
  const days = row?.archive_after_days ?? mapping.defaultHotDays;
  return Number.isInteger(days) && days >= 1 ? days : mapping.defaultHotDays;
}

function readPolicy(hot: Database.Database) {
  const has = hot
    .prepare(`SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'data_retention_policy'`)
    .get();
  if (!has) return [];
  return hot
    .prepare('SELECT table_name, retention_days, archive_after_days FROM data_retention_policy')
    .all() as Array<{
    table_name: string;
    retention_days: number | null;
    archive_after_days: number | null;
  }>;
}

function tableExists(db: Database.Database, name: string): boolean {
  return Boolean(
    db.prepare(`SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?`).get(name),
  );
}

/** The first day of the month after `month` (YYYY-MM). */
function nextMonthStart(month: string): string {
  const [year, mon] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, mon, 1)).toISOString().slice(0, 10);
}

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The hot rows of a batch: in the month, and no newer than the planned rowid. */
function batchWhere(mapping: TierMapping): string {
  const t = q(mapping.timeColumn);
  return `${t} >= ? AND ${t} < ? AND rowid <= ?`;
}

function mappingOf(batch: ArchivalBatch): TierMapping {
  const mapping = tierMappings.find((m) => m.hotTable === batch.hotTable);
  if (!mapping) {
    throw new TendFailure(
      'ARCHIVE_BAD_ROW',
      `The analytics archival's journal names a table this Tend does not move (${batch.hotTable}). Nothing was changed; move the journal aside and run the archival again.`,
    );
  }
  return mapping;
}

/** The hot rows of the batch still there: their count and rowid sum. */
function hotTally(hot: Database.Database, mapping: TierMapping, batch: ArchivalBatch) {
  return hot
    .prepare(
      `SELECT count(*) AS n, coalesce(sum(rowid), 0) AS s FROM ${q(mapping.hotTable)} WHERE ${batchWhere(mapping)}`,
    )
    .get(batch.start, batch.end, batch.maxRowid) as { n: number; s: number };
}

function keyWhere(mapping: TierMapping): string {
  return mapping.warmKey.map((k) => `${q(k)} IS ?`).join(' AND ');
}

/** Writes rows into the warm table, replacing those with the same key. */
function putWarmRows(warm: Database.Database, mapping: TierMapping, rows: ReadonlyArray<WarmRow>) {
  const columns = [...mapping.warmKey, ...mapping.warmValues];
  const insert = warm.prepare(
    `INSERT OR REPLACE INTO ${q(mapping.warmTable)} (${columns.map(q).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
  );
  for (const row of rows) insert.run(...columns.map((c) => row[c] ?? null));
}

/** Puts the warm rows back as they were before the batch, and removes its segment. */
function rollBack(
  warm: Database.Database,
  mapping: TierMapping,
  batch: ArchivalBatch,
  archiveFolder: string,
) {
  if (batch.state !== 'planned') {
    const remove = warm.prepare(`DELETE FROM ${q(mapping.warmTable)} WHERE ${keyWhere(mapping)}`);
    warm.transaction(() => {
      for (const row of batch.warmAfter) remove.run(...mapping.warmKey.map((k) => row[k] ?? null));
      putWarmRows(warm, mapping, batch.warmBefore);
    })();
  }
  const cold = path.join(archiveFolder, batch.coldFile);
  fs.rmSync(cold, { force: true });
  fs.rmSync(`${cold}.partial`, { force: true });
}

/** Deletes the batch's hot rows, if they are still the planned ones; false when they changed. */
function deleteHotRows(
  hot: Database.Database,
  mapping: TierMapping,
  batch: ArchivalBatch,
): boolean {
  return hot.transaction(() => {
    const tally = hotTally(hot, mapping, batch);
    if (tally.n === 0) return true;
    if (tally.n !== batch.rows || tally.s !== batch.rowidSum) return false;
    hot
      .prepare(`DELETE FROM ${q(mapping.hotTable)} WHERE ${batchWhere(mapping)}`)
      .run(batch.start, batch.end, batch.maxRowid);
    return true;
  })();
}

/**
 * Takes up the batch a killed run left in the journal: finished when its hot rows are the
 * planned ones or already deleted, rolled back when it had written nothing yet or when the hot
 * rows changed since (the warm rows put back, the segment removed; the month moves again).
 */
export function resumeAnalyticsArchival(
  hot: Database.Database,
  warm: Database.Database,
  archiveFolder: string,
  journalFile: string,
): { table: string; month: string; outcome: 'finished' | 'rolled-back'; rows: number } | null {
  const { batch, expiry } = readArchivalJournal(journalFile);
  if (expiry) return resumeExpiry(warm, archiveFolder, journalFile, expiry);
  if (!batch) return null;
  const mapping = mappingOf(batch);
  const tally = hotTally(hot, mapping, batch);
  const intact = tally.n === 0 || (tally.n === batch.rows && tally.s === batch.rowidSum);
  const result = { table: batch.hotTable, month: batch.month };
  if (batch.state === 'planned' || !intact) {
    rollBack(warm, mapping, batch, archiveFolder);
    writeArchivalJournal(journalFile, null);
    return { ...result, outcome: 'rolled-back', rows: 0 };
  }
  if (batch.state === 'cold-written') {
    warm.transaction(() => putWarmRows(warm, mapping, batch.warmAfter))();
  }
  if (!deleteHotRows(hot, mapping, batch)) {
    // Changed between the tally and the delete: only another writer could; refuse.
    throw new TendFailure(
      'ARCHIVE_BAD_ROW',
      `The ${batch.hotTable} rows of ${batch.month} changed while Tend moved them. Nothing more was deleted; run the archival again.`,
    );
  }
  writeArchivalJournal(journalFile, null);
  return { ...result, outcome: 'finished', rows: tally.n };
}

/** A row whose time Tend cannot place in a month (not `YYYY-MM-DD…`): the run stops before it. */
function refuseBadTimes(hot: Database.Database, mapping: TierMapping): void {
  const t = q(mapping.timeColumn);
  const bad = hot
    .prepare(
      `SELECT rowid AS rid, ${t} AS at FROM ${q(mapping.hotTable)}
       WHERE ${t} IS NULL OR ${t} NOT GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]*' LIMIT 1`,
    )
    .get() as { rid: number; at: unknown } | undefined;
  if (bad) {
    throw new TendFailure(
      'ARCHIVE_BAD_ROW',
      `Row ${bad.rid} of ${mapping.hotTable} has a ${mapping.timeColumn} Tend cannot place in a month (${JSON.stringify(bad.at)}). Fix or delete that row; nothing was moved.`,
      { table: mapping.hotTable, rowid: bad.rid },
    );
  }
}

/** The months of a table's hot rows wholly before `before` (a first of month), with counts. */
function monthsBefore(hot: Database.Database, mapping: TierMapping, before: string) {
  const t = q(mapping.timeColumn);
  return hot
    .prepare(
      `SELECT substr(${t}, 1, 7) AS month, count(*) AS n FROM ${q(mapping.hotTable)}
       WHERE ${t} < ? GROUP BY month ORDER BY month`,
    )
    .all(before) as Array<{ month: string; n: number }>;
}

/** The warm rows as they are after the month's rows are added, and as they were. */
function warmAfterAndBefore(
  warm: Database.Database,
  mapping: TierMapping,
  added: ReadonlyArray<WarmRow>,
) {
  const read = warm.prepare(`SELECT * FROM ${q(mapping.warmTable)} WHERE ${keyWhere(mapping)}`);
  const after: WarmRow[] = [];
  const before: WarmRow[] = [];
  for (const row of added) {
    const existing = read.get(...mapping.warmKey.map((k) => row[k] ?? null)) as WarmRow | undefined;
    if (existing) before.push(existing);
    after.push(existing ? mapping.merge(existing, row) : row);
  }
  return { after, before };
}

/** Moves one month of one hot table; returns the rows moved. */
async function moveMonth(
  input: AnalyticsArchivalInput,
  mapping: TierMapping,
  month: string,
  scrubBefore: string | null,
): Promise<number> {
  const { hot, warm, archiveFolder, journalFile } = input;
  const start = `${month}-01`;
  const end = nextMonthStart(month);
  const maxRowid = (
    hot
      .prepare(
        `SELECT coalesce(max(rowid), 0) AS m FROM ${q(mapping.hotTable)} WHERE ${q(mapping.timeColumn)} >= ? AND ${q(mapping.timeColumn)} < ?`,
      )
      .get(start, end) as { m: number }
  ).m;
  const select = hot.prepare(
    `SELECT rowid AS "__rowid", * FROM ${q(mapping.hotTable)} WHERE ${batchWhere(mapping)} ORDER BY rowid`,
  );
  // Plan: fold the rows into warm rows, count them.
  const fold = mapping.fold();
  let rows = 0;
  let rowidSum = 0;
  let first = 0;
  for (const raw of select.iterate(start, end, maxRowid)) {
    const row = raw as HotRow & { __rowid: number };
    fold.add(row);
    if (rows === 0) first = row.__rowid;
    rows++;
    rowidSum += row.__rowid;
  }
  if (rows === 0) return 0;
  const { after, before } = warmAfterAndBefore(warm, mapping, fold.rows());
  const id = randomBytes(4).toString('hex');
  const batch: ArchivalBatch = {
    id,
    hotTable: mapping.hotTable,
    warmTable: mapping.warmTable,
    month,
    start,
    end,
    maxRowid,
    rows,
    rowidSum,
    coldFile: `${ANALYTICS_DUMPS}/${mapping.hotTable}/${month}/segment-${first}-${maxRowid}-${id}.jsonl.gz`,
    warmAfter: after,
    warmBefore: before,
    state: 'planned',
  };
  writeArchivalJournal(journalFile, batch);
  faultPoint('analytics-archival:after-plan');

  // Cold: the rows as the table has them; personal data past the scrub age never reaches it.
  const salt = input.salt;
  function* lines(): Generator<string> {
    let chunk: string[] = [];
    for (const raw of select.iterate(start, end, maxRowid)) {
      const row: HotRow = { ...(raw as HotRow) };
      delete row.__rowid;
      const out =
        salt &&
        scrubBefore !== null &&
        mapping.hotTable === 'user_interactions' &&
        String(row[mapping.timeColumn]) < scrubBefore
          ? anonymiseRow(salt, row as unknown as AnonymisableRow)
          : row;
      chunk.push(`${JSON.stringify(out)}\n`);
      if (chunk.length >= 1000) {
        yield chunk.join('');
        chunk = [];
      }
    }
    if (chunk.length > 0) yield chunk.join('');
  }
  await writeColdSegment(path.join(archiveFolder, batch.coldFile), lines());
  writeArchivalJournal(journalFile, { ...batch, state: 'cold-written' });
  faultPoint('analytics-archival:after-cold');

  warm.transaction(() => putWarmRows(warm, mapping, after))();
  writeArchivalJournal(journalFile, { ...batch, state: 'warm-written' });
  faultPoint('analytics-archival:after-warm');

  if (!deleteHotRows(hot, mapping, { ...batch, state: 'warm-written' })) {
    // Only another writer could have changed them (the databases are held exclusively).
    rollBack(warm, mapping, { ...batch, state: 'warm-written' }, archiveFolder);
    writeArchivalJournal(journalFile, null);
    throw new TendFailure(
      'ARCHIVE_BAD_ROW',
      `The ${mapping.hotTable} rows of ${month} changed while Tend moved them; the move was undone. Run the archival again.`,
    );
  }
  faultPoint('analytics-archival:after-hot');
  writeArchivalJournal(journalFile, null);
  return rows;
}

function warmMapping(warmTable: string): TierMapping {
  const mapping = tierMappings.find((m) => m.warmTable === warmTable);
  if (!mapping) {
    throw new TendFailure(
      'ARCHIVE_BAD_ROW',
      `The analytics archival's journal names a table this Tend does not move (${warmTable}). Nothing was changed; move the journal aside and run the archival again.`,
    );
  }
  return mapping;
}

/** A warm month's rows as its cold segment holds them, and the segment's content hash. */
function expiryText(rows: ReadonlyArray<WarmRow>): { text: string; hash: string } {
  const text = rows.map((row) => `${JSON.stringify(row)}\n`).join('');
  return { text, hash: createHash('sha256').update(text).digest('hex').slice(0, 12) };
}

/** Deletes a warm month's rows, by key, in one transaction. */
function deleteWarmRows(
  warm: Database.Database,
  mapping: TierMapping,
  rows: ReadonlyArray<WarmRow>,
) {
  const remove = warm.prepare(`DELETE FROM ${q(mapping.warmTable)} WHERE ${keyWhere(mapping)}`);
  warm.transaction(() => {
    for (const row of rows) remove.run(...mapping.warmKey.map((k) => row[k] ?? null));
  })();
}

/**
 * Takes up a warm month a killed run was sending to the cold tier: its rows leave the warm
 * table when the segment is whole and they are still what it holds; else the segment goes.
 */
function resumeExpiry(
  warm: Database.Database,
  archiveFolder: string,
  journalFile: string,
  expiry: WarmExpiry,
) {
  const mapping = warmMapping(expiry.warmTable);
  const cold = path.join(archiveFolder, expiry.coldFile);
  const read = warm.prepare(`SELECT * FROM ${q(mapping.warmTable)} WHERE ${keyWhere(mapping)}`);
  const still = expiry.rows
    .map((row) => read.get(...mapping.warmKey.map((k) => row[k] ?? null)) as WarmRow | undefined)
    .filter((row): row is WarmRow => row !== undefined);
  const unchanged =
    still.length === expiry.rows.length && expiryText(still).hash === expiryText(expiry.rows).hash;
  const finished = fs.existsSync(cold) && (still.length === 0 || unchanged);
  if (finished) deleteWarmRows(warm, mapping, still);
  else {
    fs.rmSync(cold, { force: true });
    fs.rmSync(`${cold}.partial`, { force: true });
  }
  writeArchivalJournal(journalFile, null);
  return {
    table: mapping.warmTable,
    month: expiry.month,
    outcome: finished ? ('finished' as const) : ('rolled-back' as const),
    rows: finished ? still.length : 0,
  };
}

/**
 * Warm rows of months that ended more than the warm days ago go to the cold tier, then leave
 * the warm table, journaled as a hot month is. The segment's name holds its content's hash:
 * rows added to that month later get a file of their own.
 */
async function expireWarm(
  input: AnalyticsArchivalInput,
  mapping: TierMapping,
): Promise<{ rows: number; files: number }> {
  const { warm, archiveFolder, journalFile, dryRun, now } = input;
  if (mapping.warmDays === null) return { rows: 0, files: 0 };
  const cutoff = dayBefore(now, mapping.warmDays);
  const months = warm
    .prepare(`SELECT DISTINCT month FROM ${q(mapping.warmTable)} ORDER BY month`)
    .pluck()
    .all() as string[];
  let rows = 0;
  let files = 0;
  for (const month of months.filter((m) => nextMonthStart(m) <= cutoff)) {
    input.context?.throwIfCancelled();
    const list = warm
      .prepare(
        `SELECT * FROM ${q(mapping.warmTable)} WHERE month = ? ORDER BY ${mapping.warmKey.map(q).join(', ')}`,
      )
      .all(month) as WarmRow[];
    rows += list.length;
    files++;
    if (dryRun || list.length === 0) continue;
    const { text, hash } = expiryText(list);
    const coldFile = `${ANALYTICS_DUMPS}/${mapping.warmTable}/${month}-${hash}.jsonl.gz`;
    writeArchivalJournal(journalFile, null, {
      warmTable: mapping.warmTable,
      month,
      coldFile,
      rows: list,
    });
    await writeColdSegment(path.join(archiveFolder, coldFile), [text]);
    faultPoint('analytics-archival:after-warm-cold');
    deleteWarmRows(warm, mapping, list);
    writeArchivalJournal(journalFile, null);
  }
  return { rows, files };
}

/** The analytics archival run (see the module's comment). */
export async function runAnalyticsArchival(input: AnalyticsArchivalInput): Promise<ArchivalReport> {
  const { hot, warm, dryRun, now, context } = input;
  const started = Date.now();
  const resumed = dryRun
    ? null
    : resumeAnalyticsArchival(hot, warm, input.archiveFolder, input.journalFile);
  const policy = readPolicy(hot);
  const scrubBefore =
    input.scrubAfterDays === null || input.salt === null
      ? null
      : dayBefore(now, input.scrubAfterDays);

  const present = tierMappings.filter(
    (m) => tableExists(hot, m.hotTable) && tableExists(warm, m.warmTable),
  );
  const plans = present.map((mapping) => {
    refuseBadTimes(hot, mapping);
    const hotCutoff = dayBefore(now, analyticsHotDays(policy, mapping));
    // Whole months only: a month's warm row is written once, from all of its rows.
    const months = monthsBefore(hot, mapping, `${hotCutoff.slice(0, 7)}-01`);
    return { mapping, hotCutoff, months };
  });
  const totalRows = plans.reduce((sum, p) => sum + p.months.reduce((s, m) => s + m.n, 0), 0);
  context?.progress({ filesTotal: totalRows, filesDone: 0, message: `${totalRows} rows to move` });

  let done = 0;
  let coldFiles = 0;
  const tables: AnalyticsTableArchival[] = [];
  for (const { mapping, hotCutoff, months } of plans) {
    let moved = 0;
    for (const { month, n } of months) {
      context?.throwIfCancelled();
      if (dryRun) {
        moved += n;
        continue;
      }
      const rows = await moveMonth(input, mapping, month, scrubBefore);
      moved += rows;
      done += rows;
      if (rows > 0) coldFiles++;
      context?.progress({ filesDone: done, currentPath: `${mapping.hotTable} ${month}` });
      await new Promise((resolve) => setImmediate(resolve));
    }
    const expired = await expireWarm(input, mapping);
    if (!dryRun) coldFiles += expired.files;
    tables.push({
      hotTable: mapping.hotTable,
      warmTable: mapping.warmTable,
      hotCutoff,
      rowsMoved: moved,
      monthsMoved: months.map((m) => m.month),
      warmRowsToCold: expired.rows,
    });
  }

  const interactionsPlan = plans.find((p) => p.mapping.hotTable === 'user_interactions');
  const rowsAnonymised =
    scrubBefore !== null && input.salt !== null && tableExists(hot, 'user_interactions')
      ? await anonymiseHotRows(
          hot,
          input.salt,
          // The rows that stay: on a dry run, those of the months that would not move.
          `${(interactionsPlan?.hotCutoff ?? '0000-00').slice(0, 7)}-01`,
          scrubBefore,
          dryRun,
          context,
        )
      : 0;

  const interactions = tables.find((t) => t.hotTable === 'user_interactions');
  return {
    dryRun,
    hotCutoff: interactions?.hotCutoff ?? dayBefore(now, 90),
    rowsMoved: tables.reduce((sum, t) => sum + t.rowsMoved, 0),
    monthsMoved: [...new Set(tables.flatMap((t) => t.monthsMoved))].sort(),
    warmDaysDeleted: 0,
    coldFilesWritten: dryRun ? tables.reduce((sum, t) => sum + t.monthsMoved.length, 0) : coldFiles,
    coldFilesDeleted: 0,
    rowsRecovered: resumed?.rows ?? 0,
    bytesFreed: 0,
    durationMs: Date.now() - started,
    analytics: {
      tables,
      rowsAnonymised,
      scrubCutoff: scrubBefore,
      resumed: resumed
        ? { table: resumed.table, month: resumed.month, outcome: resumed.outcome }
        : null,
    },
  };
}
