/**
 * How far a move got, kept durably in Tend's state directory (never in the folder being
 * moved, so it survives whatever happens to either copy), and the record of the last move
 * that `move back` and `forget-old` work from. Whatever kills the process, the next start
 * reads the journal and finishes the move or rolls it back (move-recovery.ts).
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import {
  ConfigChangeSchema,
  MoveMethodSchema,
  MoveRecordSchema,
  type MoveRecord,
} from '../../../src-shared/models/move';
import { readTextOrNull, writeFileDurably } from '../fs/durable';

/** Where moves keep their journal and records: `<Tend's state>/move/`. */
export interface MovePlace {
  readonly journal: string;
  readonly last: string;
  /** The files a copying move copied and verified, by move id (what forget-old may remove). */
  copiedList(id: string): string;
  /** The files of the copy as it was made, by move id (what `move back` compares with). */
  targetList(id: string): string;
}

/** The move files under Tend's state directory. */
export function movePlaceIn(appStateDir: string): MovePlace {
  const dir = path.join(appStateDir, 'move');
  return {
    journal: path.join(dir, 'journal.json'),
    last: path.join(dir, 'last.json'),
    copiedList: (id) => path.join(dir, `${id}.copied.json`),
    targetList: (id) => path.join(dir, `${id}.target.json`),
  };
}

/**
 * The steps: `copying` (the target is being filled; the source is the data), `switching` (the
 * copy is verified; the configuration, Tend's record, the old copy's name and the link are
 * being changed), `committed` (done; only the record is left to write), `forgetting` (the old
 * copy is being removed), `backing` (a move back is switching the other way).
 */
export const MovePhaseSchema = z.enum([
  'copying',
  'switching',
  'committed',
  'forgetting',
  'backing',
]);
export type MovePhase = z.infer<typeof MovePhaseSchema>;

/** The journal of one move. */
export const MoveJournalSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9-]+$/),
  phase: MovePhaseSchema,
  owner: z.object({ host: z.string(), pid: z.number().int() }),
  from: z.string(),
  to: z.string(),
  method: MoveMethodSchema,
  /** Whether the move made the target folder (else it was there, empty). */
  targetCreated: z.boolean(),
  /** Where the old copy is renamed to. */
  kept: z.string().nullable(),
  changes: z.array(ConfigChangeSchema).readonly(),
  /** The record to write once committed. */
  record: MoveRecordSchema.nullable(),
});
export type MoveJournal = z.infer<typeof MoveJournalSchema>;

/** The owner of a journal written by this process. */
export function thisOwner(): MoveJournal['owner'] {
  return { host: os.hostname(), pid: process.pid };
}

/** Writes the journal durably. */
export async function writeMoveJournal(place: MovePlace, journal: MoveJournal): Promise<void> {
  await writeFileDurably(place.journal, JSON.stringify(journal));
}

/** Reads the journal; null when there is none or it cannot be read as one. */
export async function readMoveJournal(place: MovePlace): Promise<MoveJournal | null> {
  const text = await readTextOrNull(place.journal);
  if (text === null) return null;
  try {
    const parsed = MoveJournalSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Removes the journal (the move ended, one way or the other). */
export async function clearMoveJournal(place: MovePlace): Promise<void> {
  await fs.rm(place.journal, { force: true });
}

/** Writes the record of the last move durably. */
export async function writeMoveRecord(place: MovePlace, record: MoveRecord): Promise<void> {
  await writeFileDurably(place.last, JSON.stringify(record, null, 2));
}

/** The record of the last move, or null. */
export async function readMoveRecord(place: MovePlace): Promise<MoveRecord | null> {
  const text = await readTextOrNull(place.last);
  if (text === null) return null;
  try {
    const parsed = MoveRecordSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** One file a copying move copied and verified. */
export const CopiedFileSchema = z.object({
  relative: z.string(),
  size: z.number(),
  mtimeMs: z.number(),
});
export type CopiedFile = z.infer<typeof CopiedFileSchema>;

/** Keeps the list of copied files for forget-old. */
export async function writeCopiedList(
  place: MovePlace,
  id: string,
  files: ReadonlyArray<CopiedFile>,
): Promise<void> {
  await writeFileDurably(place.copiedList(id), JSON.stringify(files));
}

/** The list of copied files of a move; empty when missing or unreadable. */
export async function readCopiedList(place: MovePlace, id: string): Promise<CopiedFile[]> {
  const text = await readTextOrNull(place.copiedList(id));
  if (text === null) return [];
  try {
    const parsed = z.array(CopiedFileSchema).safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

/** Keeps the list of the copy's files as made, for `move back`. */
export async function writeTargetList(
  place: MovePlace,
  id: string,
  files: ReadonlyArray<CopiedFile>,
): Promise<void> {
  await writeFileDurably(place.targetList(id), JSON.stringify(files));
}

/** The copy's files as made; empty when missing or unreadable. */
export async function readTargetList(place: MovePlace, id: string): Promise<CopiedFile[]> {
  const text = await readTextOrNull(place.targetList(id));
  if (text === null) return [];
  try {
    const parsed = z.array(CopiedFileSchema).safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}
