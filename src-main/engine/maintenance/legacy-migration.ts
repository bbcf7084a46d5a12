import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { z } from 'zod';
import { TendFailure } from '../../../src-shared/errors';
import {
  LegacyMoveSchema,
  type LegacyMigrationPlan,
  type LegacyMigrationReport,
  type LegacyMigrationStatus,
  type LegacyMove,
} from '../../../src-shared/models/maintenance';
import type { JobContext } from '../jobs/job-runner';
import { layout } from '../root/layout';
import { faultPoint } from './fault-point';
import { exists, moveFile } from './file-moves';
import { listLegacyFolders } from './legacy-plan';
import { maintenancePaths } from './maintenance-paths';

const JournalSchema = z.object({
  version: z.literal(1),
  id: z.string(),
  state: z.enum(['applying', 'applied', 'rolling-back', 'rolled-back']),
  owner: z.object({ host: z.string(), pid: z.number() }),
  createdAt: z.string(),
  appliedAt: z.string().nullable(),
  /** Every folder of data/ before the migration, so a rollback brings back empty ones. */
  folders: z.array(z.string()),
  /** Folders the migration made outside data/, removed again (when empty) by a rollback. */
  createdFolders: z.array(z.string()),
  moves: z.array(LegacyMoveSchema),
});
type Journal = z.infer<typeof JournalSchema>;

function journalFile(root: string): string {
  return path.join(root, maintenancePaths.legacyJournal);
}

/** Reads the legacy migration's journal, or null when there has been no migration. */
export function readLegacyJournal(root: string): Journal | null {
  try {
    return JournalSchema.parse(JSON.parse(fs.readFileSync(journalFile(root), 'utf8')));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new TendFailure(
      'INTERNAL',
      `The legacy migration journal ${journalFile(root)} cannot be read: ${(error as Error).message}`,
    );
  }
}

function writeJournal(root: string, journal: Journal): void {
  fs.mkdirSync(path.dirname(journalFile(root)), { recursive: true });
  // Atomic and fsynced: the journal is what the next start trusts after a crash.
  writeFileAtomic.sync(journalFile(root), `${JSON.stringify(journal, null, 2)}\n`, {
    fsync: true,
  });
}

/** Where a set-aside file waits, under .tend/, so an undo can bring it back. */
function setAsidePath(root: string, id: string, relative: string): string {
  return path.join(root, maintenancePaths.legacySetAside, id, relative);
}

function isAlive(owner: Journal['owner']): boolean {
  if (owner.host !== os.hostname()) return true;
  if (owner.pid === process.pid) return true;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Where the last legacy migration stands. */
export function legacyStatus(root: string): LegacyMigrationStatus {
  const journal = readLegacyJournal(root);
  return {
    hasLegacyData: exists(path.join(root, layout.legacyData)),
    state: journal?.state ?? null,
    id: journal?.id ?? null,
    appliedAt: journal?.appliedAt ?? null,
    files: journal?.moves.length ?? 0,
    canRollBack: journal?.state === 'applied',
  };
}

/**
 * Applies a legacy migration plan (or, on a dry run, reports what it would do).
 *
 * The whole plan goes into an fsynced journal before the first file moves. Files are moved,
 * never overwritten: a file in the way is set aside under .tend/ (kept for undo), as is a
 * legacy file that loses its conflict or duplicates a file already there. A crash part-way
 * leaves the journal at "applying" and the next start rolls it back.
 */
export async function applyLegacyMigration(
  root: string,
  plan: LegacyMigrationPlan,
  options: {
    dryRun: boolean;
    context: JobContext | null;
    backup: ((paths: ReadonlyArray<string>) => Promise<string | null>) | null;
  },
): Promise<LegacyMigrationReport> {
  const started = Date.now();
  const id = randomUUID();
  const report: LegacyMigrationReport = {
    id,
    dryRun: options.dryRun,
    moved: 0,
    copied: 0,
    droppedIdentical: 0,
    setAside: 0,
    bytes: plan.bytes,
    backupId: null,
    durationMs: 0,
    moves: plan.moves,
  };
  if (plan.files === 0) {
    throw new TendFailure('LEGACY_NOT_FOUND', `There is no legacy data/ folder in ${root}.`);
  }
  if (plan.unresolved > 0) {
    throw new TendFailure(
      'LEGACY_CONFLICT_UNRESOLVED',
      `${plan.unresolved} file(s) exist in both layouts with different content. Choose for each (keep newer, keep both) before migrating.`,
      { conflicts: plan.moves.filter((move) => move.action === 'conflict').map((m) => m.from) },
    );
  }
  if (plan.bytesToCopy > plan.freeBytes) {
    throw new TendFailure(
      'NO_SPACE',
      `The migration copies ${plan.bytesToCopy} bytes across filesystems but only ${plan.freeBytes} are free.`,
    );
  }
  const previous = readLegacyJournal(root);
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
        layout.legacyData,
        ...plan.moves.filter((m) => m.existing !== null).map((m) => m.to),
      ])
    : null;
  // A new migration's undo replaces the old one's: what the old one set aside goes now.
  if (previous) {
    fs.rmSync(path.join(root, maintenancePaths.legacySetAside, previous.id), {
      recursive: true,
      force: true,
    });
  }
  const journal: Journal = {
    version: 1,
    id,
    state: 'applying',
    owner: { host: os.hostname(), pid: process.pid },
    createdAt: new Date().toISOString(),
    appliedAt: null,
    folders: listLegacyFolders(root),
    createdFolders: foldersToCreate(root, plan.moves),
    moves: [...plan.moves],
  };
  writeJournal(root, journal);
  options.context?.progress({ filesTotal: plan.files, bytesTotal: plan.bytes, filesDone: 0 });
  let done = 0;
  let bytesDone = 0;
  for (const move of plan.moves) {
    options.context?.throwIfCancelled();
    const from = path.join(root, move.from);
    const to = path.join(root, move.to);
    let how: 'renamed' | 'copied';
    switch (move.action) {
      case 'move':
      case 'keep-both':
        how = await moveFile(from, to);
        break;
      case 'replace':
        await moveFile(to, setAsidePath(root, id, move.to));
        how = await moveFile(from, to);
        break;
      case 'keep-current':
      case 'drop-identical':
        how = await moveFile(from, setAsidePath(root, id, move.from));
        break;
      case 'conflict':
        throw new TendFailure('LEGACY_CONFLICT_UNRESOLVED', `${move.from} has no choice.`);
    }
    count(report, move, how);
    done++;
    bytesDone += move.bytes;
    options.context?.progress({ filesDone: done, bytesDone, currentPath: move.from });
    faultPoint('legacy:after-move');
  }
  fs.rmSync(path.join(root, layout.legacyData), { recursive: true, force: true });
  writeJournal(root, { ...journal, state: 'applied', appliedAt: new Date().toISOString() });
  return { ...report, durationMs: Date.now() - started };
}

/** The folders the moves will make, deepest first. */
function foldersToCreate(root: string, moves: ReadonlyArray<LegacyMove>): string[] {
  const made = new Set<string>();
  for (const move of moves) {
    if (move.action === 'keep-current' || move.action === 'drop-identical') continue;
    for (let dir = path.posix.dirname(move.to); dir !== '.'; dir = path.posix.dirname(dir)) {
      if (exists(path.join(root, dir))) break;
      made.add(dir);
    }
  }
  return [...made].sort((a, b) => b.split('/').length - a.split('/').length || a.localeCompare(b));
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

/**
 * Undoes the last legacy migration, whole or half applied: every file goes back to data/,
 * every set-aside file back to its place. Each step checks what is on disk first, so a
 * rollback stopped part-way is simply run again.
 */
export async function rollbackLegacyMigration(
  root: string,
  context: JobContext | null,
): Promise<LegacyMigrationReport> {
  const started = Date.now();
  const journal = readLegacyJournal(root);
  if (!journal || journal.state === 'rolled-back') {
    throw new TendFailure('LEGACY_NOTHING_TO_ROLL_BACK', 'There is no legacy migration to undo.');
  }
  // This process owns the rollback now, so a second start does not undo it at the same time.
  writeJournal(root, {
    ...journal,
    state: 'rolling-back',
    owner: { host: os.hostname(), pid: process.pid },
  });
  for (const folder of journal.folders) fs.mkdirSync(path.join(root, folder), { recursive: true });
  const report: LegacyMigrationReport = {
    id: journal.id,
    dryRun: false,
    moved: 0,
    copied: 0,
    droppedIdentical: 0,
    setAside: 0,
    bytes: 0,
    backupId: null,
    durationMs: 0,
    moves: journal.moves,
  };
  context?.progress({ filesTotal: journal.moves.length, filesDone: 0 });
  let done = 0;
  for (const move of [...journal.moves].reverse()) {
    const from = path.join(root, move.from);
    const to = path.join(root, move.to);
    const aside =
      move.action === 'replace'
        ? setAsidePath(root, journal.id, move.to)
        : setAsidePath(root, journal.id, move.from);
    switch (move.action) {
      case 'move':
      case 'keep-both':
      case 'replace':
        if (!exists(from) && exists(to)) {
          await moveFile(to, from);
          report.moved++;
          report.bytes += move.bytes;
        }
        if (move.action === 'replace' && exists(aside) && !exists(to)) await moveFile(aside, to);
        break;
      case 'keep-current':
      case 'drop-identical':
        if (exists(aside) && !exists(from)) {
          await moveFile(aside, from);
          report.moved++;
          report.bytes += move.bytes;
        }
        break;
      case 'conflict':
        break;
    }
    done++;
    context?.progress({ filesDone: done, currentPath: move.from });
    faultPoint('legacy:after-undo');
  }
  for (const folder of journal.createdFolders) {
    try {
      fs.rmdirSync(path.join(root, folder));
    } catch {
      // Not empty (the person put something there since) or gone already: leave it.
    }
  }
  fs.rmSync(path.join(root, maintenancePaths.legacySetAside, journal.id), {
    recursive: true,
    force: true,
  });
  writeJournal(root, { ...journal, state: 'rolled-back' });
  return { ...report, durationMs: Date.now() - started };
}

/**
 * At start-up: a migration or rollback whose process is gone is rolled back, so the data is
 * as it was before the migration started. Resolves with whether it did anything.
 */
export async function recoverLegacyMigration(root: string): Promise<boolean> {
  const journal = readLegacyJournal(root);
  if (!journal || (journal.state !== 'applying' && journal.state !== 'rolling-back')) return false;
  if (isAlive(journal.owner) && journal.owner.pid !== process.pid) return false;
  await rollbackLegacyMigration(root, null);
  return true;
}
