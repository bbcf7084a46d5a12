import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { TendFailure } from '../../../src-shared/errors';
import {
  LegacyMoveSchema,
  type ConflictChoice,
  type LegacyMigrationPlan,
  type LegacyMigrationReport,
  type LegacyMigrationStatus,
  type LegacyMove,
} from '../../../src-shared/models/maintenance';
import { writeFileDurablySync } from '../fs/durable';
import type { JobContext } from '../jobs/job-runner';
import { ownerAlive } from '../jobs/process-alive';
import { faultPoint } from './fault-point';
import { exists, moveFile, sha256File } from './file-moves';
import { listLegacyFolders, moveSource, moveTarget, planLegacyMigration } from './legacy-plan';
import { maintenancePathsOf, type MaintenanceRoot } from './maintenance-paths';
import { binaryOf, fsPath, relativeFromBinary, type FsPath, type RelativePath } from './raw-paths';
import { countOf } from '../../../src-shared/language/counts';

const JournalSchema = z.object({
  version: z.literal(1),
  id: z.string(),
  state: z.enum(['applying', 'applied', 'rolling-back', 'rolled-back']),
  owner: z.object({ host: z.string(), pid: z.number() }),
  createdAt: z.string(),
  appliedAt: z.string().nullable(),
  /** Every folder of data/ before the migration, so a rollback brings back empty ones. */
  folders: z.array(z.string()),
  /** The same for folders whose names are not UTF-8: their bytes, base64. */
  rawFolders: z.array(z.string()).default([]),
  /** Folders the migration made outside data/, removed again (when empty) by a rollback. */
  createdFolders: z.array(z.string()),
  /** Every move, written here before it is made (files that arrived meanwhile included). */
  moves: z.array(LegacyMoveSchema),
  /** Files found in data/ at the end that could not be moved: left where they are. */
  leftInPlace: z.array(z.string()).default([]),
});
type Journal = z.infer<typeof JournalSchema>;

/** How often apply looks again for files that arrived in data/ while it moved the others. */
const SWEEPS = 3;

function journalFile(m: MaintenanceRoot): string {
  return m.state.legacyJournal;
}

/** Reads the legacy migration's journal, or null when there has been no migration. */
export function readLegacyJournal(m: MaintenanceRoot): Journal | null {
  try {
    return JournalSchema.parse(JSON.parse(fs.readFileSync(journalFile(m), 'utf8')));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new TendFailure(
      'INTERNAL',
      `The legacy migration journal ${journalFile(m)} cannot be read: ${(error as Error).message}`,
    );
  }
}

function writeJournal(m: MaintenanceRoot, journal: Journal): void {
  // Atomic and fsynced: the journal is what the next start trusts after a crash.
  writeFileDurablySync(journalFile(m), `${JSON.stringify(journal, null, 2)}\n`);
}

/** Where a set-aside file waits, in the data folder, until the person deletes it. */
function setAsidePath(m: MaintenanceRoot, id: string, relative: RelativePath): RelativePath {
  const folder = maintenancePathsOf(m.store).legacySetAside;
  return relativeFromBinary(`${folder}/${id}/${binaryOf(relative)}`);
}

/** A journal of this very process is its own run: alive (jobs/process-alive.ts). */
function isAlive(owner: Journal['owner']): boolean {
  return ownerAlive(owner, { thisProcess: 'alive' });
}

/** Every file under a folder, with its bytes; deepest folders handed to `onFolder` first. */
function walk(
  dir: Buffer,
  onFile: (file: Buffer, size: number) => void,
  onFolder?: (dir: Buffer) => void,
) {
  let entries: fs.Dirent<Buffer>[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true, encoding: 'buffer' });
  } catch {
    return;
  }
  for (const entry of entries) {
    const child = Buffer.concat([dir, Buffer.from(path.sep), entry.name]);
    if (entry.isDirectory()) walk(child, onFile, onFolder);
    else onFile(child, fs.lstatSync(child).size);
  }
  onFolder?.(dir);
}

/** The files set aside by every migration so far, which Tend keeps until the person deletes them. */
function setAsideSummary(m: MaintenanceRoot): { files: number; bytes: number; folder: string } {
  let files = 0;
  let bytes = 0;
  const folder = maintenancePathsOf(m.store).legacySetAside;
  walk(Buffer.from(path.join(m.root, folder)), (_file, size) => {
    files++;
    bytes += size;
  });
  return { files, bytes, folder };
}

/** Where the last legacy migration stands. */
export function legacyStatus(m: MaintenanceRoot): LegacyMigrationStatus {
  const journal = readLegacyJournal(m);
  return {
    hasLegacyData: exists(path.join(m.root, m.store.legacyData)),
    state: journal?.state ?? null,
    id: journal?.id ?? null,
    appliedAt: journal?.appliedAt ?? null,
    files: journal?.moves.length ?? 0,
    canRollBack: journal?.state === 'applied',
    setAside: setAsideSummary(m),
  };
}

function emptyReport(
  m: MaintenanceRoot,
  id: string,
  dryRun: boolean,
  moves: ReadonlyArray<LegacyMove>,
) {
  const report: LegacyMigrationReport = {
    id,
    dryRun,
    moved: 0,
    copied: 0,
    droppedIdentical: 0,
    setAside: 0,
    bytes: 0,
    backupId: null,
    durationMs: 0,
    moves,
    leftInPlace: [],
    notPutBack: [],
    keptAside: [],
    setAsideFolder: `${maintenancePathsOf(m.store).legacySetAside}/${id}`,
  };
  return report;
}

/** Makes one move of a plan; a file in the way is set aside, never overwritten. */
async function perform(
  m: MaintenanceRoot,
  id: string,
  move: LegacyMove,
): Promise<'renamed' | 'copied'> {
  const { root } = m;
  const from = fsPath(root, moveSource(move));
  const to = fsPath(root, moveTarget(move));
  switch (move.action) {
    case 'move':
    case 'keep-both':
      return moveFile(from, to);
    case 'replace':
      await moveFile(to, fsPath(root, setAsidePath(m, id, moveTarget(move))));
      return moveFile(from, to);
    case 'keep-current':
    case 'drop-identical':
      return moveFile(from, fsPath(root, setAsidePath(m, id, moveSource(move))));
    case 'conflict':
      throw new TendFailure('LEGACY_CONFLICT_UNRESOLVED', `${move.from} has no choice.`);
  }
}

/**
 * Removes the folders of data/ that are empty now, deepest first, and lists the files still
 * there: data/ is never removed whole, so a file nobody moved is never lost.
 */
function removeEmptyLegacyFolders(m: MaintenanceRoot): string[] {
  const left: string[] = [];
  const base = Buffer.from(`${m.root}${path.sep}`);
  walk(
    Buffer.from(path.join(m.root, m.store.legacyData)),
    (file) => left.push(file.subarray(base.length).toString('utf8')),
    (dir) => {
      try {
        fs.rmdirSync(dir);
      } catch {
        // Not empty: something arrived or could not be moved; it stays, reported.
      }
    },
  );
  return left.sort();
}

/** Why a move failed, in words (a Node error's code and message, without a stack). */
function causeOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const message = (error as Error)?.message ?? String(error);
  return code && !message.startsWith(code) ? `${code}: ${message}` : message;
}

/**
 * Applies a legacy migration plan (or, on a dry run, reports what it would do).
 *
 * Every move goes into an fsynced journal before it is made. Files are moved, never
 * overwritten: a file in the way is set aside in the data folder (kept until the person
 * deletes it), as is a legacy file that loses its conflict or duplicates a file already there. Files
 * that arrive in data/ meanwhile are moved too (journaled first); data/ is then removed
 * folder by folder, only where empty, and whatever is left is reported. A move that fails
 * puts everything back at once and says so; a crash part-way leaves the journal at
 * "applying" and the next start rolls it back.
 */
export async function applyLegacyMigration(
  m: MaintenanceRoot,
  plan: LegacyMigrationPlan,
  options: {
    dryRun: boolean;
    context: JobContext | null;
    backup: ((paths: ReadonlyArray<string>) => Promise<string | null>) | null;
    /** The person's choices per conflict, for files that arrive while it runs. */
    choices?: Readonly<Record<string, ConflictChoice>>;
  },
): Promise<LegacyMigrationReport> {
  const started = Date.now();
  const id = randomUUID();
  const { root } = m;
  const report = emptyReport(m, id, options.dryRun, plan.moves);
  report.bytes = plan.bytes;
  if (plan.files === 0) {
    throw new TendFailure('LEGACY_NOT_FOUND', `There is no legacy data/ folder in ${root}.`);
  }
  if (plan.unresolved > 0) {
    throw new TendFailure(
      'LEGACY_CONFLICT_UNRESOLVED',
      `${countOf(plan.unresolved, 'file')} exist in both layouts with different content. Choose for each (keep newer, keep both) before migrating.`,
      { conflicts: plan.moves.filter((move) => move.action === 'conflict').map((m) => m.from) },
    );
  }
  if (plan.bytesToCopy > plan.freeBytes) {
    throw new TendFailure(
      'NO_SPACE',
      `The migration copies ${plan.bytesToCopy} bytes across filesystems but only ${plan.freeBytes} are free.`,
    );
  }
  const previous = readLegacyJournal(m);
  if (previous && (previous.state === 'applying' || previous.state === 'rolling-back')) {
    throw new TendFailure(
      'LEGACY_MIGRATION_BUSY',
      'A legacy migration is still being applied or undone; wait for it (or restart Tend to finish it).',
    );
  }
  if (options.dryRun) {
    for (const move of plan.moves) count(report, move, 'renamed');
    return { ...report, durationMs: Date.now() - started };
  }

  report.backupId = options.backup
    ? await options.backup([
        m.store.legacyData,
        ...plan.moves.filter((m) => m.existing !== null).map((m) => m.to),
      ])
    : null;
  faultPoint('legacy:after-backup');
  // What earlier migrations set aside stays: only the person deletes it.
  const folders = listLegacyFolders(root, { text: m.store.legacyData, raw: null });
  const journal: Journal = {
    version: 1,
    id,
    state: 'applying',
    owner: { host: os.hostname(), pid: process.pid },
    createdAt: new Date().toISOString(),
    appliedAt: null,
    folders: folders.filter((f) => f.raw === null).map((f) => f.text),
    rawFolders: folders.flatMap((f) => (f.raw === null ? [] : [f.raw])),
    createdFolders: foldersToCreate(root, plan.moves, [
      `${maintenancePathsOf(m.store).legacySetAside}/${id}`,
    ]),
    moves: [...plan.moves],
    leftInPlace: [],
  };
  writeJournal(m, journal);
  faultPoint('legacy:after-journal');
  options.context?.progress({ filesTotal: plan.files, bytesTotal: plan.bytes, filesDone: 0 });
  let done = 0;
  let bytesDone = 0;
  let current: LegacyMove | null = null;
  let left: string[];
  const run = async (move: LegacyMove) => {
    options.context?.throwIfCancelled();
    current = move;
    count(report, move, await perform(m, id, move));
    done++;
    bytesDone += move.bytes;
    options.context?.progress({ filesDone: done, bytesDone, currentPath: move.from });
    faultPoint('legacy:after-move');
  };
  try {
    for (const move of plan.moves) await run(move);
    // Files that arrived in data/ while the others moved are moved too, journaled first.
    for (let round = 0; round < SWEEPS; round++) {
      const again = await planLegacyMigration(m, plan.resolution, options.choices ?? {});
      const more = again.moves.filter((move) => move.action !== 'conflict');
      if (more.length === 0) break;
      journal.moves.push(...more);
      journal.createdFolders = mergeFolders(journal.createdFolders, foldersToCreate(root, more));
      writeJournal(m, journal);
      options.context?.progress({ filesTotal: journal.moves.length });
      for (const move of more) await run(move);
      report.bytes += more.reduce((sum, move) => sum + move.bytes, 0);
      faultPoint('legacy:after-sweep');
    }
    left = removeEmptyLegacyFolders(m);
    faultPoint('legacy:after-cleanup');
  } catch (error) {
    throw await undoFailed(m, error, current, done, journal.moves.length);
  }
  writeJournal(m, {
    ...journal,
    state: 'applied',
    appliedAt: new Date().toISOString(),
    leftInPlace: left,
  });
  return { ...report, moves: journal.moves, leftInPlace: left, durationMs: Date.now() - started };
}

/**
 * A migration that failed part-way is put back at once; the failure says what failed, and
 * whether data/ is as it was or, if putting back failed too, half-migrated and what to do.
 */
async function undoFailed(
  m: MaintenanceRoot,
  error: unknown,
  move: LegacyMove | null,
  done: number,
  total: number,
): Promise<TendFailure> {
  const what = move
    ? `Moving ${move.from} failed (${causeOf(error)})`
    : `The migration failed (${causeOf(error)})`;
  try {
    const undone = await rollbackLegacyMigration(m, null);
    const kept =
      undone.notPutBack.length + undone.keptAside.length > 0
        ? ` ${countOf(undone.notPutBack.length + undone.keptAside.length, 'file')} could not go back (a new file is in their place) and were kept: ${[...undone.notPutBack, ...undone.keptAside].join(', ')}.`
        : '';
    if (error instanceof TendFailure && error.code === 'CANCELLED') {
      return new TendFailure(
        'CANCELLED',
        `The migration was cancelled; the ${countOf(done, 'file')} moved so far were put back, data/ is as it was.${kept}`,
      );
    }
    return new TendFailure(
      'LEGACY_MIGRATION_FAILED',
      `${what}. The ${countOf(done, 'file')} moved before were put back: data/ is as it was, nothing is half-migrated.${kept} Fix the cause (permissions, space) and run the migration again.`,
      { failed: move?.from ?? null },
    );
  } catch (undoError) {
    return new TendFailure(
      'LEGACY_MIGRATION_FAILED',
      `${what}, and putting the moved files back failed too (${causeOf(undoError)}). data/ is half-migrated: ${done} of ${countOf(total, 'file')} are in local_data/; ${journalFile(m)} records where each one is. Fix the cause, then run tend migrate rollback (or restart Tend, which finishes the rollback).`,
      { failed: move?.from ?? null, moved: done, total },
    );
  }
}

/** The folders the moves (and the `extra` folders, with theirs) will make, deepest first. */
function foldersToCreate(
  root: string,
  moves: ReadonlyArray<LegacyMove>,
  extra: ReadonlyArray<string> = [],
): string[] {
  const made = new Set<string>();
  const starts = [
    ...moves
      .filter((move) => move.action !== 'keep-current' && move.action !== 'drop-identical')
      .map((move) => path.posix.dirname(move.to)),
    ...extra,
  ];
  for (const start of starts) {
    for (let dir = start; dir !== '.'; dir = path.posix.dirname(dir)) {
      if (exists(path.join(root, dir))) break;
      made.add(dir);
    }
  }
  return sortDeepestFirst([...made]);
}

function sortDeepestFirst(folders: string[]): string[] {
  return folders.sort((a, b) => b.split('/').length - a.split('/').length || a.localeCompare(b));
}

function mergeFolders(a: ReadonlyArray<string>, b: ReadonlyArray<string>): string[] {
  return sortDeepestFirst([...new Set([...a, ...b])]);
}

function count(report: LegacyMigrationReport, move: LegacyMove, how: 'renamed' | 'copied'): void {
  if (move.action === 'drop-identical') report.droppedIdentical++;
  else if (move.action === 'keep-current') report.setAside++;
  else {
    if (move.action === 'replace') report.setAside++;
    if (how === 'copied') report.copied++;
    else report.moved++;
  }
}

/** Whether two paths hold the same bytes (a copy that was made but not yet cleaned up). */
async function sameBytes(a: FsPath, b: FsPath): Promise<boolean> {
  try {
    return (
      fs.statSync(a).size === fs.statSync(b).size && (await sha256File(a)) === (await sha256File(b))
    );
  } catch {
    return false;
  }
}

/**
 * Undoes the last legacy migration, whole or half applied: every file goes back to data/,
 * every set-aside file back to its place. Each step checks what is on disk first, so a
 * rollback stopped part-way is simply run again. Nothing is deleted: a file whose place in
 * data/ is taken by a new one stays moved, a set-aside file whose place is taken stays set
 * aside, and both are named in the report.
 */
export async function rollbackLegacyMigration(
  m: MaintenanceRoot,
  context: JobContext | null,
): Promise<LegacyMigrationReport> {
  const started = Date.now();
  const { root } = m;
  const journal = readLegacyJournal(m);
  if (!journal || journal.state === 'rolled-back') {
    throw new TendFailure('LEGACY_NOTHING_TO_ROLL_BACK', 'There is no legacy migration to undo.');
  }
  // This process owns the rollback now, so a second start does not undo it at the same time.
  writeJournal(m, {
    ...journal,
    state: 'rolling-back',
    owner: { host: os.hostname(), pid: process.pid },
  });
  for (const folder of journal.folders) fs.mkdirSync(path.join(root, folder), { recursive: true });
  for (const raw of journal.rawFolders) {
    fs.mkdirSync(fsPath(root, { text: '', raw }), { recursive: true });
  }
  const report = emptyReport(m, journal.id, false, journal.moves);
  context?.progress({ filesTotal: journal.moves.length, filesDone: 0 });
  let done = 0;
  const notPutBack: string[] = [];
  const keptAside: string[] = [];
  const keepAside = (aside: RelativePath) => keptAside.push(aside.text);
  for (const move of [...journal.moves].reverse()) {
    const from = fsPath(root, moveSource(move));
    const to = fsPath(root, moveTarget(move));
    switch (move.action) {
      case 'move':
      case 'keep-both':
      case 'replace':
        if (exists(to)) {
          if (!exists(from)) {
            await moveFile(to, from);
            report.moved++;
            report.bytes += move.bytes;
          } else if (await sameBytes(from, to)) {
            // A copy across filesystems that was checked but whose original was not yet
            // removed when the process died: the original is in place, the copy goes.
            fs.rmSync(to);
          } else {
            // A new file took the old place in data/: this one stays where it was moved.
            notPutBack.push(move.to);
          }
        }
        if (move.action === 'replace') {
          const aside = setAsidePath(m, journal.id, moveTarget(move));
          if (exists(fsPath(root, aside))) {
            if (!exists(to)) await moveFile(fsPath(root, aside), to);
            else keepAside(aside);
          }
        }
        break;
      case 'keep-current':
      case 'drop-identical': {
        const aside = setAsidePath(m, journal.id, moveSource(move));
        if (exists(fsPath(root, aside))) {
          if (!exists(from)) {
            await moveFile(fsPath(root, aside), from);
            report.moved++;
            report.bytes += move.bytes;
          } else keepAside(aside);
        }
        break;
      }
      case 'conflict':
        break;
    }
    done++;
    context?.progress({ filesDone: done, currentPath: move.from });
    faultPoint('legacy:after-undo');
  }
  // Only the empty folders of what was set aside go; a file kept aside stays.
  walk(
    Buffer.from(path.join(root, maintenancePathsOf(m.store).legacySetAside, journal.id)),
    () => undefined,
    (dir) => {
      try {
        fs.rmdirSync(dir);
      } catch {
        // Holds a kept file.
      }
    },
  );
  // Then the folders the migration made (the set-aside folder's among them), deepest first.
  for (const folder of journal.createdFolders) {
    try {
      fs.rmdirSync(path.join(root, folder));
    } catch {
      // Not empty (the person put something there since, a file kept aside) or gone: left.
    }
  }
  writeJournal(m, { ...journal, state: 'rolled-back' });
  return { ...report, notPutBack, keptAside, durationMs: Date.now() - started };
}

/**
 * At start-up: a migration or rollback whose process is gone is rolled back, so the data is
 * as it was before the migration started. Resolves with whether it did anything.
 */
export async function recoverLegacyMigration(m: MaintenanceRoot): Promise<boolean> {
  const journal = readLegacyJournal(m);
  if (!journal || (journal.state !== 'applying' && journal.state !== 'rolling-back')) return false;
  if (isAlive(journal.owner) && journal.owner.pid !== process.pid) return false;
  await rollbackLegacyMigration(m, null);
  return true;
}
