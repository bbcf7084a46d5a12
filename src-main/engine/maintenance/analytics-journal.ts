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

/** One month of warm rows on its way to the cold tier. */
export const WarmExpirySchema = z.object({
  warmTable: z.string(),
  month: z.string(),
  /** The segment, relative to the archive folder; its name holds its content's hash. */
  coldFile: z.string(),
  /** The rows written to it, deleted from the warm table once it is durable. */
  rows: z.array(WarmRowSchema),
});
export type WarmExpiry = z.infer<typeof WarmExpirySchema>;

const JournalSchema = z.object({
  version: z.literal(1),
  batch: ArchivalBatchSchema.nullable(),
  expiry: WarmExpirySchema.nullable().default(null),
});

/** The move in flight: a hot month, or a warm month leaving for the cold tier. */
export interface ArchivalJournal {
  readonly batch: ArchivalBatch | null;
  readonly expiry: WarmExpiry | null;
}

/** The journal's file in a root's state folder. */
export function analyticsJournalFile(stateDir: string): string {
  return path.join(stateDir, 'analytics-archival', 'journal.json');
}

/** The move in flight (none when there is no journal). */
export function readArchivalJournal(file: string): ArchivalJournal {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return { batch: null, expiry: null };
  }
  const parsed = JournalSchema.safeParse(JSON.parse(text));
  if (!parsed.success) {
    throw new TendFailure(
      'ARCHIVE_BAD_ROW',
      `The analytics archival's journal (${file}) is not readable. Nothing was changed; move the file aside and run the archival again.`,
      { file },
    );
  }
  return { batch: parsed.data.batch, expiry: parsed.data.expiry };
}

/** Records the move in flight (or none), durably. */
export function writeArchivalJournal(
  file: string,
  batch: ArchivalBatch | null,
  expiry: WarmExpiry | null = null,
): void {
  writeFileDurablySync(file, JSON.stringify({ version: 1, batch, expiry }));
}
