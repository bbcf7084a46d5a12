/**
 * The dashboard's daily figures on an analytics-profile root: the hot tier's user_interactions
 * by day, and for the months the archival moved out, the rows in their cold segments (the warm
 * tier keeps months only, so a day is read where its rows are). A row is counted once, also
 * while an archival run is half-way through a month.
 */
import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import type { DailyFigure } from '../../../src-shared/models/maintenance';
import { ANALYTICS_DUMPS } from './analytics-archival';
import type { ArchivalBatch } from './analytics-journal';
import { readColdSegment } from './cold-archive';
import { addDays, countColdRow, dailyFigureOf, type DaySums } from './day-sums';

/** The cold segments of user_interactions for the months from `from` to `to`, absolute. */
function segments(archiveFolder: string, from: string, to: string): string[] {
  const base = path.join(archiveFolder, ANALYTICS_DUMPS, 'user_interactions');
  if (!fs.existsSync(base)) return [];
  const out: string[] = [];
  for (const month of fs.readdirSync(base).sort()) {
    if (month < from.slice(0, 7) || month > to.slice(0, 7)) continue;
    const dir = path.join(base, month);
    if (!fs.statSync(dir).isDirectory()) continue;
    for (const name of fs.readdirSync(dir).sort()) {
      if (name.endsWith('.jsonl.gz')) out.push(path.join(dir, name));
    }
  }
  return out;
}

/**
 * Daily figures from `from` to `to` (both included). `inFlight` is the archival batch a run
 * has not finished: while its hot rows are still there, its segment is left out.
 */
export async function analyticsDailyFigures(
  hot: Database.Database,
  archiveFolder: string,
  inFlight: ArchivalBatch | null,
  from: string,
  to: string,
): Promise<DailyFigure[]> {
  const end = addDays(to, 1);
  const byDay = new Map<string, DaySums>();
  // The seed keeps response_time in seconds; the figures are in milliseconds.
  const rows = hot
    .prepare(
      `SELECT substr(timestamp, 1, 10) AS day, count(*) AS interactions, total(success) AS successes,
         total(response_time) * 1000 AS responseMsSum, count(user_rating) AS ratings,
         total(user_rating) AS ratingSum
       FROM user_interactions WHERE timestamp >= ? AND timestamp < ? GROUP BY day`,
    )
    .all(from, end) as Array<Omit<DaySums, 'tier'> & { day: string }>;
  for (const { day, ...sums } of rows) byDay.set(day, { ...sums, tier: 'hot' });

  let skip: string | null = null;
  if (inFlight && inFlight.hotTable === 'user_interactions') {
    const left = hot
      .prepare(
        'SELECT count(*) AS n FROM user_interactions WHERE timestamp >= ? AND timestamp < ? AND rowid <= ?',
      )
      .get(inFlight.start, inFlight.end, inFlight.maxRowid) as { n: number };
    if (left.n > 0) skip = path.join(archiveFolder, inFlight.coldFile);
  }
  for (const file of segments(archiveFolder, from, to)) {
    if (file === skip) continue;
    for await (const raw of readColdSegment(file)) {
      const row = raw as unknown as Record<string, unknown>;
      const day = String(row.timestamp).slice(0, 10);
      if (day < from || day >= end) continue;
      countColdRow(byDay, day, {
        success: Boolean(Number(row.success)),
        responseMs: Number(row.response_time) * 1000,
        rating:
          row.user_rating === null || row.user_rating === undefined
            ? null
            : Number(row.user_rating),
      });
    }
  }

  const firstHot = rows.reduce<string | null>(
    (min, row) => (min === null || row.day < min ? row.day : min),
    null,
  );
  const out: DailyFigure[] = [];
  for (let day = from; day < end; day = addDays(day, 1)) {
    const sums = byDay.get(day);
    out.push(
      dailyFigureOf(
        day,
        sums,
        sums?.tier ?? (firstHot !== null && day >= firstHot ? 'hot' : 'cold'),
      ),
    );
  }
  return out;
}
