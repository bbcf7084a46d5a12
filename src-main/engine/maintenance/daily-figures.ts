import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import type { DailyFigure } from '../../../src-shared/models/maintenance';
import { listColdSegments, readColdSegment } from './cold-archive';
import { addDays, countColdRow, dailyFigureOf, type DaySums } from './day-sums';
import { readTierBounds, type HistoryDb } from './history-db';

type Sums = Omit<DaySums, 'tier'>;

/**
 * Hot rows of days the hot tier no longer answers for (rows imported after their day was
 * archived), by day, until the next archival moves them. Rows of a batch that an archival is
 * half-way through (already summed in the warm tier, not yet deleted here) are left out, so
 * no row is counted twice.
 */
function stragglers(
  assistant: Database.Database,
  history: HistoryDb,
  from: string,
  before: string,
): Array<Sums & { day: string }> {
  const pending = history
    .prepare(
      `SELECT first_id AS first, last_id AS last, range_start AS start, range_end AS end
       FROM archived_batches WHERE state = 'pending-delete'`,
    )
    .all() as Array<{ first: number; last: number; start: string; end: string }>;
  const exclude = pending
    .map(() => ' AND NOT (id BETWEEN ? AND ? AND timestamp >= ? AND timestamp < ?)')
    .join('');
  return assistant
    .prepare(
      `SELECT substr(timestamp, 1, 10) AS day, count(*) AS interactions, sum(success) AS successes,
         sum(response_time_ms) AS responseMsSum, count(user_rating) AS ratings,
         coalesce(sum(user_rating), 0) AS ratingSum
       FROM interactions WHERE timestamp >= ? AND timestamp < ?${exclude} GROUP BY day`,
    )
    .all(from, before, ...pending.flatMap((b) => [b.first, b.last, b.start, b.end])) as Array<
    Sums & { day: string }
  >;
}

/**
 * The dashboard's daily figures for the days from `from` to `to` (both included), read across
 * the tiers: the hot tier for days on or after its bound, the warm tier's aggregates before
 * it, the cold archives before the warm tier's bound, plus rows imported into the hot tier for
 * days already archived. A row is counted once, also while an archival run is half-way
 * through a month.
 */
export async function dailyFigures(
  assistant: Database.Database,
  history: HistoryDb | null,
  coldFolder: string,
  from: string,
  to: string,
): Promise<DailyFigure[]> {
  const end = addDays(to, 1);
  const bounds = history ? readTierBounds(history) : { hotFrom: null, warmFrom: null };
  const hotFrom = bounds.hotFrom && bounds.hotFrom > from ? bounds.hotFrom : from;
  const warmFrom = bounds.warmFrom && bounds.warmFrom > from ? bounds.warmFrom : from;
  const byDay = new Map<string, DaySums>();

  if (hotFrom < end) {
    // The hot tier's daily figures are kept by triggers (assistant migration 002): a few
    // hundred rows to read, never the interactions themselves.
    const rows = assistant
      .prepare(
        `SELECT day, interactions, successes, response_ms_sum AS responseMsSum, ratings,
           rating_sum AS ratingSum
         FROM interaction_days WHERE day >= ? AND day < ? AND interactions > 0`,
      )
      .all(hotFrom, end) as Array<Sums & { day: string }>;
    for (const row of rows) byDay.set(row.day, { ...row, tier: 'hot' });
  }
  if (history && warmFrom < hotFrom) {
    const rows = history
      .prepare(
        `SELECT day, sum(interactions) AS interactions, sum(successes) AS successes,
           sum(response_ms_sum) AS responseMsSum, sum(ratings) AS ratings, sum(rating_sum) AS ratingSum
         FROM interaction_daily WHERE day >= ? AND day < ? GROUP BY day`,
      )
      .all(warmFrom, hotFrom < end ? hotFrom : end) as Array<Sums & { day: string }>;
    for (const row of rows) byDay.set(row.day, { ...row, tier: 'warm' });
  }
  const coldEnd = warmFrom < end ? warmFrom : end;
  if (from < coldEnd && fs.existsSync(coldFolder)) {
    // Rare (older than the warm tier keeps): read the month's archives and sum them here.
    const firstMonth = from.slice(0, 7);
    const lastMonth = coldEnd.slice(0, 7);
    for (const segment of listColdSegments(coldFolder)) {
      const month = segment.name.slice(0, 7);
      if (month < firstMonth || month > lastMonth || !segment.name.endsWith('.jsonl.gz')) continue;
      if (path.basename(segment.name).startsWith('.')) continue;
      for await (const row of readColdSegment(path.join(coldFolder, segment.name))) {
        const day = row.timestamp.slice(0, 10);
        if (day < from || day >= coldEnd) continue;
        countColdRow(byDay, day, {
          success: row.success !== 0,
          responseMs: row.response_time_ms,
          rating: row.user_rating,
        });
      }
    }
  }

  if (history && bounds.hotFrom && from < bounds.hotFrom) {
    for (const row of stragglers(
      assistant,
      history,
      from,
      end < bounds.hotFrom ? end : bounds.hotFrom,
    )) {
      const sums = byDay.get(row.day);
      const tier: DailyFigure['tier'] = row.day >= warmFrom ? 'warm' : 'cold';
      if (!sums) {
        byDay.set(row.day, { ...row, tier });
        continue;
      }
      sums.interactions += row.interactions;
      sums.successes += row.successes;
      sums.responseMsSum += row.responseMsSum;
      sums.ratings += row.ratings;
      sums.ratingSum += row.ratingSum;
    }
  }

  const out: DailyFigure[] = [];
  for (let day = from; day < end; day = addDays(day, 1)) {
    const tier: DailyFigure['tier'] = day >= hotFrom ? 'hot' : day >= warmFrom ? 'warm' : 'cold';
    out.push(dailyFigureOf(day, byDay.get(day), tier));
  }
  return out;
}
