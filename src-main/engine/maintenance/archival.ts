import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { TendFailure } from '../../../src-shared/errors';
import type { ArchivalReport, RetentionPolicy } from '../../../src-shared/models/maintenance';
import type { JobContext } from '../jobs/job-runner';
import { coldSegmentName, listColdSegments, writeColdSegment, type ColdRow } from './cold-archive';
import { syncFolder } from '../fs/durable';
import { faultPoint } from './fault-point';
import { raiseTierBound, type HistoryDb } from './history-db';
import { dayBefore } from './retention-policy';
import { hashIdentifier, redactText } from './redact';

/** What an archival run works on. */
export interface ArchivalInput {
  readonly assistant: Database.Database;
  readonly history: HistoryDb;
  /** The cold tier's folder. */
  readonly coldFolder: string;
  readonly policy: RetentionPolicy;
  /** The scrub's salt: rows past the scrub age are scrubbed before they reach the cold tier. */
  readonly salt: Buffer | null;
  readonly dryRun: boolean;
  readonly now: Date;
  readonly context: JobContext | null;
}

interface Aggregate {
  day: string;
  queryType: string;
  userRole: string;
  interactions: number;
  successes: number;
  responseMsSum: number;
  responseLengthSum: number;
  ratings: number;
  ratingSum: number;
}

interface BatchRow {
  id: string;
  range_start: string;
  range_end: string;
  rows: number;
}

/** The first day of the month after `month` (YYYY-MM). */
function nextMonthStart(month: string): string {
  const [year, mon] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, mon, 1)).toISOString().slice(0, 10);
}

// A row the tiers cannot place: a timestamp that is not ISO 8601 UTC (anywhere: it would sit
// in the hot tier for ever), or, among the rows due to move, not a real date or without the
// type and role the aggregates are keyed by.
const BAD_ROW_SQL = `
  SELECT id, timestamp, query_type, user_role FROM interactions
  WHERE timestamp NOT GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]*Z'
    OR (timestamp < ? AND (julianday(timestamp) IS NULL OR query_type = '' OR user_role = ''))
  ORDER BY id LIMIT 1`;

/**
 * Finishes batches an interrupted run left half-done: their aggregates are in the warm tier
 * but their rows may still be in assistant.db. Deleting them is all that is left; rows are
 * counted first so that a batch whose rows changed is reported, never silently dropped.
 * Cold files no batch owns (a run stopped between writing a file and recording it) go.
 */
export function finishInterruptedArchival(
  assistant: Database.Database,
  history: HistoryDb,
  coldFolder: string,
): number {
  let recovered = 0;
  const pending = history
    .prepare(
      `SELECT id, range_start, range_end, rows FROM archived_batches WHERE state = 'pending-delete'`,
    )
    .all() as BatchRow[];
  const count = assistant.prepare(
    `SELECT count(*) AS n FROM interactions WHERE timestamp >= ? AND timestamp < ? AND id BETWEEN ? AND ?`,
  );
  const remove = assistant.prepare(
    `DELETE FROM interactions WHERE timestamp >= ? AND timestamp < ? AND id BETWEEN ? AND ?`,
  );
  const markDone = history.prepare(`UPDATE archived_batches SET state = 'done' WHERE id = ?`);
  for (const batch of pending) {
    const [, ids] = batch.id.split(':') as [string, string];
    const [first, last] = ids.split('-').map(Number) as [number, number];
    const args = [batch.range_start, batch.range_end, first, last] as const;
    const left = (count.get(...args) as { n: number }).n;
    if (left !== 0 && left !== batch.rows) {
      throw new TendFailure(
        'ARCHIVE_BAD_ROW',
        `Archived batch ${batch.id} expected ${batch.rows} rows still in assistant.db, found ${left}; nothing was deleted.`,
        { batch: batch.id },
      );
    }
    if (left > 0) {
      assistant.transaction(() => remove.run(...args))();
      recovered += left;
    }
    markDone.run(batch.id);
  }
  const owned = new Set(
    (
      history.prepare('SELECT cold_file FROM archived_batches').all() as Array<{
        cold_file: string;
      }>
    ).map((row) => row.cold_file),
  );
  for (const segment of listColdSegments(coldFolder)) {
    if (!owned.has(segment.name)) fs.rmSync(path.join(coldFolder, segment.name), { force: true });
  }
  return recovered;
}

/**
 * The daily archival run (DESIGN §3, seed 004): hot rows older than the policy's hot days
 * move, a month at a time, into a cold segment (gzipped JSON Lines) and the warm tier's
 * aggregates; warm days past their retention and cold months past theirs are deleted.
 *
 * A month moves in three steps, each crash-safe: the cold file (temp + rename), one warm
 * transaction (aggregates + the batch record + the new tier bound), one hot transaction
 * (the rows leave). Readers use the tier bound, so a row is never counted twice; the next
 * run (or the next start) finishes a batch that stopped between the last two steps.
 * A row the tiers cannot place stops the run before anything is written.
 */
export async function runArchival(input: ArchivalInput): Promise<ArchivalReport> {
  const { assistant, history, coldFolder, policy, dryRun, now, context } = input;
  const started = Date.now();
  const rowsRecovered = dryRun ? 0 : finishInterruptedArchival(assistant, history, coldFolder);
  const hotCutoff = dayBefore(now, policy.hotDays);
  const warmCutoff = dayBefore(now, policy.warmDays);
  const coldCutoff = dayBefore(now, policy.coldDays);

  const bad = assistant.prepare(BAD_ROW_SQL).get(hotCutoff) as
    { id: number; timestamp: string; query_type: string; user_role: string } | undefined;
  if (bad) {
    throw new TendFailure(
      'ARCHIVE_BAD_ROW',
      `Interaction ${bad.id} cannot be archived (timestamp "${bad.timestamp}", type "${bad.query_type}", role "${bad.user_role}"). Fix or delete that row; nothing was moved.`,
      { id: bad.id },
    );
  }

  const months = assistant
    .prepare(
      `SELECT substr(timestamp, 1, 7) AS month, count(*) AS n FROM interactions
       WHERE timestamp < ? GROUP BY month ORDER BY month`,
    )
    .all(hotCutoff) as Array<{ month: string; n: number }>;
  const totalRows = months.reduce((sum, month) => sum + month.n, 0);
  context?.progress({ filesTotal: totalRows, filesDone: 0, message: `${totalRows} rows to move` });

  const freeBefore = freeBytes(assistant);
  let rowsMoved = 0;
  let coldFilesWritten = 0;
  let coldFilesDeletedAtOnce = 0;
  const scrubBefore = policy.scrubAfterDays === null ? null : dayBefore(now, policy.scrubAfterDays);
  const select = assistant.prepare(
    `SELECT id, session_id, timestamp, user_role, query, query_type, response_time_ms,
       response_length, success, user_rating, ip, created_at, scrubbed_at
     FROM interactions WHERE timestamp >= ? AND timestamp < ? ORDER BY timestamp`,
  );
  const upsert = history.prepare(
    `INSERT INTO interaction_daily (day, query_type, user_role, interactions, successes,
       response_ms_sum, response_length_sum, ratings, rating_sum)
     VALUES (@day, @queryType, @userRole, @interactions, @successes, @responseMsSum,
       @responseLengthSum, @ratings, @ratingSum)
     ON CONFLICT (day, query_type, user_role) DO UPDATE SET
       interactions = interactions + excluded.interactions,
       successes = successes + excluded.successes,
       response_ms_sum = response_ms_sum + excluded.response_ms_sum,
       response_length_sum = response_length_sum + excluded.response_length_sum,
       ratings = ratings + excluded.ratings,
       rating_sum = rating_sum + excluded.rating_sum`,
  );
  const recordBatch = history.prepare(
    `INSERT INTO archived_batches (id, month, range_start, range_end, first_id, last_id, rows, cold_file, state, archived_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending-delete', ?)`,
  );
  const markDone = history.prepare(`UPDATE archived_batches SET state = 'done' WHERE id = ?`);
  const remove = assistant.prepare(
    `DELETE FROM interactions WHERE timestamp >= ? AND timestamp < ? AND id BETWEEN ? AND ?`,
  );

  for (const { month, n } of months) {
    context?.throwIfCancelled();
    const rangeStart = `${month}-01`;
    const monthEnd = nextMonthStart(month);
    const rangeEnd = monthEnd < hotCutoff ? monthEnd : hotCutoff;
    if (dryRun) {
      // What the real run would do with this month: one cold file, deleted at once when the
      // month is already past the cold days.
      rowsMoved += n;
      coldFilesWritten++;
      if (nextMonthStart(month) <= coldCutoff) coldFilesDeletedAtOnce++;
      continue;
    }
    const aggregates = new Map<string, Aggregate>();
    let firstId = Number.POSITIVE_INFINITY;
    let lastId = Number.NEGATIVE_INFINITY;
    let rows = 0;
    // A session's rows and an IP's rows hash alike: hash each value once per month.
    const hashes = new Map<string, string>();
    const hashed = (salt: Buffer, value: string) => {
      let out = hashes.get(value);
      if (out === undefined) {
        out = hashIdentifier(salt, value);
        hashes.set(value, out);
      }
      return out;
    };
    const scrub = (row: ColdRow) => {
      const salt = input.salt!;
      return {
        sessionId: hashed(salt, row.session_id),
        ip: row.ip === null ? null : hashed(salt, row.ip),
        query: redactText(row.query).text,
      };
    };
    function* lines(): Generator<string> {
      let chunk: string[] = [];
      for (const raw of select.iterate(rangeStart, rangeEnd)) {
        let row = raw as ColdRow;
        const day = row.timestamp.slice(0, 10);
        const key = `${day}\u0000${row.query_type}\u0000${row.user_role}`;
        let agg = aggregates.get(key);
        if (!agg) {
          agg = {
            day,
            queryType: row.query_type,
            userRole: row.user_role,
            interactions: 0,
            successes: 0,
            responseMsSum: 0,
            responseLengthSum: 0,
            ratings: 0,
            ratingSum: 0,
          };
          aggregates.set(key, agg);
        }
        agg.interactions++;
        agg.successes += row.success;
        agg.responseMsSum += row.response_time_ms;
        agg.responseLengthSum += row.response_length;
        if (row.user_rating !== null) {
          agg.ratings++;
          agg.ratingSum += row.user_rating;
        }
        if (row.id < firstId) firstId = row.id;
        if (row.id > lastId) lastId = row.id;
        rows++;
        // Personal data past the scrub age never reaches the long-lived cold tier.
        if (input.salt && scrubBefore !== null && row.scrubbed_at === null && day < scrubBefore) {
          const s = scrub(row);
          row = {
            ...row,
            session_id: s.sessionId,
            ip: s.ip,
            query: s.query,
            scrubbed_at: now.toISOString(),
          };
        }
        chunk.push(`${JSON.stringify(row)}\n`);
        if (chunk.length >= 1000) {
          yield chunk.join('');
          chunk = [];
        }
      }
      if (chunk.length > 0) yield chunk.join('');
    }
    // The file name needs the id range, known only after reading: write under a temporary
    // month-scoped name, then rename (both inside the cold folder, so the rename is atomic).
    const staging = path.join(coldFolder, month, `.writing-${process.pid}.jsonl.gz`);
    await writeColdSegment(staging, lines());
    if (rows === 0) {
      fs.rmSync(staging, { force: true });
      continue;
    }
    const segment = coldSegmentName(month, firstId, lastId);
    fs.renameSync(staging, path.join(coldFolder, segment));
    await syncFolder(path.join(coldFolder, month));
    coldFilesWritten++;
    faultPoint('archival:after-cold');
    const batchId = `${month}:${firstId}-${lastId}`;
    history.transaction(() => {
      for (const agg of aggregates.values()) upsert.run(agg);
      recordBatch.run(
        batchId,
        month,
        rangeStart,
        rangeEnd,
        firstId,
        lastId,
        rows,
        segment,
        now.toISOString(),
      );
      raiseTierBound(history, 'hot_from', rangeEnd);
    })();
    faultPoint('archival:after-warm');
    assistant.transaction(() => {
      const deleted = remove.run(rangeStart, rangeEnd, firstId, lastId).changes;
      if (deleted !== rows) {
        // Rolls this transaction back; the batch stays pending and is reported again.
        throw new TendFailure(
          'ARCHIVE_BAD_ROW',
          `Month ${month}: ${rows} rows were archived but ${deleted} matched for deletion; nothing was deleted.`,
        );
      }
    })();
    markDone.run(batchId);
    faultPoint('archival:after-month');
    rowsMoved += rows;
    context?.progress({ filesDone: rowsMoved, currentPath: month });
    await new Promise((resolve) => setImmediate(resolve));
  }
  if (!dryRun && months.length > 0) raiseTierBound(history, 'hot_from', hotCutoff);
  // Fold the history's WAL into its file, so its size on disk is its size.
  if (!dryRun) history.pragma('wal_checkpoint(TRUNCATE)');

  // Warm days past their retention leave the warm tier; their rows live on in the cold tier.
  const warmDaysDeleted = dryRun
    ? warmDaysToDelete(
        assistant,
        history,
        warmCutoff < hotCutoff ? warmCutoff : hotCutoff,
        warmCutoff,
      )
    : history.transaction(() => {
        const n = (
          history
            .prepare('SELECT count(DISTINCT day) AS n FROM interaction_daily WHERE day < ?')
            .get(warmCutoff) as { n: number }
        ).n;
        history.prepare('DELETE FROM interaction_daily WHERE day < ?').run(warmCutoff);
        raiseTierBound(history, 'warm_from', warmCutoff);
        return n;
      })();

  // Cold months that ended before the cold cutoff are deleted with their folder.
  let coldFilesDeleted = coldFilesDeletedAtOnce;
  let coldBytesFreed = 0;
  for (const segment of listColdSegments(coldFolder)) {
    const month = segment.name.slice(0, 7);
    if (nextMonthStart(month) > coldCutoff) continue;
    coldFilesDeleted++;
    coldBytesFreed += segment.bytes;
    if (!dryRun) fs.rmSync(path.join(coldFolder, segment.name), { force: true });
  }
  if (!dryRun) removeEmptyMonthFolders(coldFolder);

  return {
    dryRun,
    hotCutoff,
    rowsMoved,
    monthsMoved: months.map((m) => m.month),
    warmDaysDeleted,
    coldFilesWritten,
    coldFilesDeleted,
    rowsRecovered,
    bytesFreed: Math.max(0, freeBytes(assistant) - freeBefore) + coldBytesFreed,
    durationMs: Date.now() - started,
  };
}

/**
 * The warm days a run would delete: those already in the warm tier before the warm cutoff,
 * and those the run would first move there from the hot rows (before `hotBefore`).
 */
function warmDaysToDelete(
  assistant: Database.Database,
  history: HistoryDb,
  hotBefore: string,
  warmCutoff: string,
): number {
  const days = new Set(
    history
      .prepare('SELECT DISTINCT day FROM interaction_daily WHERE day < ?')
      .pluck()
      .all(warmCutoff) as string[],
  );
  const hot = assistant
    .prepare('SELECT DISTINCT substr(timestamp, 1, 10) FROM interactions WHERE timestamp < ?')
    .pluck()
    .all(hotBefore) as string[];
  for (const day of hot) days.add(day);
  return days.size;
}

/** Bytes of free pages in a database: what deleting rows made reusable. */
function freeBytes(db: Database.Database): number {
  const pages = db.pragma('freelist_count', { simple: true }) as number;
  const size = db.pragma('page_size', { simple: true }) as number;
  return pages * size;
}

function removeEmptyMonthFolders(folder: string): void {
  if (!fs.existsSync(folder)) return;
  for (const month of fs.readdirSync(folder)) {
    const dir = path.join(folder, month);
    if (fs.statSync(dir).isDirectory() && fs.readdirSync(dir).length === 0) fs.rmdirSync(dir);
  }
}
