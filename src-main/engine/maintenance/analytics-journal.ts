/**
 * The journal of the analytics archival's move in flight, in Tend's state folder (never in the
 * data folder): one batch (one hot table's month) at a time, written durably before each step,
 * so that a run killed anywhere is finished or rolled back by the next.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { TendFailure } from '../../../src-shared/errors';
import { writeFileDurablySync } from '../fs/durable';

const WarmRowSchema = z.record(z.string(), z.union([z.string(), z.number(), z.null()]));

/** One month of one hot table on its way to the warm and cold tiers. */
export const ArchivalBatchSchema = z.object({
  id: z.string(),
  hotTable: z.string(),
  warmTable: z.string(),
  month: z.string(),
  /** The hot rows moved: time column in [start, end) and rowid at most maxRowid. */
  start: z.string(),
  end: z.string(),
  maxRowid: z.number(),
  rows: z.number(),
  rowidSum: z.number(),
  /** The cold segment, relative to the archive folder. */
  coldFile: z.string(),
  /** The warm rows as they are after the move (absolute values: applying them twice is once). */
  warmAfter: z.array(WarmRowSchema),
  /** The warm rows the move replaces, as they were before it (for a roll-back). */
  warmBefore: z.array(WarmRowSchema),
  /**
   * planned: nothing written yet; cold-written: the segment is durable; warm-written: the
   * warm rows are committed. The batch leaves the journal once its hot rows are deleted.
   */
  state: z.enum(['planned', 'cold-written', 'warm-written']),
});
export type ArchivalBatch = z.infer<typeof ArchivalBatchSchema>;

const JournalSchema = z.object({ version: z.literal(1), batch: ArchivalBatchSchema.nullable() });

/** The journal's file in a root's state folder. */
export function analyticsJournalFile(stateDir: string): string {
  return path.join(stateDir, 'analytics-archival', 'journal.json');
}

/** The batch in flight, or null. */
export function readArchivalJournal(file: string): ArchivalBatch | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  const parsed = JournalSchema.safeParse(JSON.parse(text));
  if (!parsed.success) {
    throw new TendFailure(
      'ARCHIVE_BAD_ROW',
      `The analytics archival's journal (${file}) is not readable. Nothing was changed; move the file aside and run the archival again.`,
      { file },
    );
  }
  return parsed.data.batch;
}

/** Records the batch in flight (or none), durably. */
export function writeArchivalJournal(file: string, batch: ArchivalBatch | null): void {
  writeFileDurablySync(file, JSON.stringify({ version: 1, batch }));
}
