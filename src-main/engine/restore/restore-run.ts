/**
 * One restore, from plan to report, inside a job that holds the data lock (DESIGN §5).
 *
 * Order matters: plan and refuse; safety snapshot (nothing has changed yet if it fails);
 * staged, verified extract; for a collection, the merged database copy; journal, swap,
 * validation; commit or roll back. Up to the swap the job can be cancelled; from the swap on,
 * it finishes or puts everything back.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { TendFailure } from '../../../src-shared/errors';
import type { RestoreCheck, RestoreReport, RestoreScope } from '../../../src-shared/models/restore';
import type { JobContext } from '../jobs/job-runner';
import { layout } from '../root/layout';
import { ancestorsOf } from './archive-path';
import type { LocatedBackup } from './backup-locator';
import { mergeCollection } from './collection-merge';
import { integrityCheckInWorker } from './integrity-worker';
import {
  emptyTotals,
  planRestore,
  tallyOp,
  throwIfRefused,
  type PlannedRestore,
} from './restore-plan';
import {
  abandon,
  finishCommitted,
  newJournal,
  stagingDir,
  swapIn,
  writeJournal,
  type Journal,
} from './restore-journal';
import { validateRoot } from './restore-validate';
import type { SafetySnapshotter } from './safety-snapshot';
import { extractVerified } from './verified-extract';

/** What a restore run needs. */
export interface RestoreRunOptions {
  readonly root: string;
  readonly backup: LocatedBackup;
  readonly scope: RestoreScope;
  readonly snapshotter: SafetySnapshotter;
  readonly context: JobContext;
  /** This run undoes the last restore: files in its scope that the snapshot lacks are removed. */
  readonly undo?: boolean;
  /** For tests: called between the steps (and after each rename of the swap), to stop there. */
  readonly onStep?: (step: RestoreStep, swapped?: number) => void;
}

/** The named points of a run, in order. */
export type RestoreStep =
  | 'planned'
  | 'snapshot'
  | 'staged'
  | 'swapping'
  | 'swapped'
  | 'swap-file'
  | 'validated'
  | 'committed';

function newRestoreId(): string {
  const at = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `restore-${at}-${randomBytes(3).toString('hex')}`;
}

/** Runs a restore and returns its report; a failed validation throws after the rollback. */
export async function runRestore(options: RestoreRunOptions): Promise<RestoreReport> {
  const { root, backup, scope, context } = options;
  const started = new Date();
  context.progress({ message: 'Planning', currentPath: null });
  const firstPlan = planRestore(root, backup, scope, undefined, {
    removeMissing: options.undo ? true : undefined,
  });
  throwIfRefused(firstPlan.plan);
  const planned = await dropIdentical(root, firstPlan, context);
  options.onStep?.('planned');

  const touched = planned.ops.filter((op) => op.action !== 'add').map((op) => op.path);
  context.progress({ message: 'Taking a safety snapshot', filesTotal: touched.length });
  const snapshot = touched.length > 0 ? await options.snapshotter.take(context, touched) : null;
  options.onStep?.('snapshot');

  const restoreId = newRestoreId();
  const staging = stagingDir(root, restoreId);
  let journal: Journal = newJournal(restoreId);
  writeJournal(root, journal);
  let abandoned = false;
  try {
    fs.mkdirSync(path.join(staging, 'new'), { recursive: true });
    context.progress({
      message: 'Unpacking and checking every file',
      bytesDone: 0,
      bytesTotal: planned.manifest.totals.bytes,
      filesDone: 0,
      filesTotal: planned.manifest.totals.files,
    });
    // Staged databases are checked in worker threads while the rest is still unpacked.
    const prechecked = new Map<string, Promise<RestoreCheck>>();
    const extracted = await extractVerified({
      archivePath: backup.archivePath,
      manifest: planned.manifest,
      target: path.join(staging, 'new'),
      select: (entry) => planned.extract.has(entry.path),
      signal: context.signal,
      onProgress: ({ bytes, files, currentPath }) =>
        context.progress({ bytesDone: bytes, filesDone: files, currentPath }),
      onFileWritten: (relative, absolute, sqlite) => {
        if (sqlite && !(planned.merge && relative === layout.assistantDb)) {
          prechecked.set(relative, integrityCheckInWorker(absolute, relative));
        }
      },
    });
    const sqliteFiles = new Set(extracted.sqliteFiles);
    if (planned.merge) {
      context.progress({ message: `Merging collection ${planned.merge.id}`, currentPath: null });
      const staged = path.join(staging, 'new', layout.assistantDb);
      const archiveDb = path.join(staging, 'archive.db');
      fs.renameSync(staged, archiveDb);
      const liveDb = path.join(root, layout.assistantDb);
      await mergeCollection(
        fs.existsSync(liveDb) ? liveDb : null,
        archiveDb,
        staged,
        planned.merge.id,
      );
      sqliteFiles.add(layout.assistantDb);
      prechecked.set(layout.assistantDb, integrityCheckInWorker(staged, layout.assistantDb));
    }
    // The checks must have opened their files before the swap renames them away.
    const checked = new Map<string, Promise<RestoreCheck>>();
    for (const [relative, check] of prechecked) checked.set(relative, Promise.resolve(await check));
    context.throwIfCancelled();
    options.onStep?.('staged');

    // From here the run is not cancelled: it finishes, or it puts everything back.
    const emptied = new Set<string>();
    for (const op of planned.ops) {
      if (op.action === 'remove') for (const dir of ancestorsOf(op.path)) emptied.add(dir);
    }
    journal = {
      ...journal,
      phase: 'swapping',
      ops: planned.ops.map(({ path: p, action }) => ({ path: p, action })),
      newDirs: planned.newDirs,
      emptiedDirs: [...emptied],
    };
    writeJournal(root, journal);
    options.onStep?.('swapping');
    context.progress({
      message: 'Putting the restored files in place',
      filesDone: 0,
      filesTotal: planned.ops.length,
    });
    swapIn(root, journal, (done, relative) => {
      context.progress({ filesDone: done, currentPath: relative });
      options.onStep?.('swap-file', done);
    });
    journal = { ...journal, phase: 'swapped' };
    writeJournal(root, journal);
    options.onStep?.('swapped');

    context.progress({ message: 'Checking the restored data', currentPath: null });
    const checks = await validateRoot(root, [...sqliteFiles], checked);
    const failed = checks.find((check) => !check.ok) ?? null;
    const finished = new Date();
    const report: RestoreReport = {
      restoreId,
      backupId: planned.manifest.id,
      scope,
      outcome: failed ? 'rolled-back' : 'restored',
      undo: options.undo ?? false,
      safetySnapshot: snapshot,
      totals: totalsOf(planned),
      checks,
      failedCheck: failed ? failed.name : null,
      warnings: [
        ...planned.plan.warnings,
        ...extracted.skippedLinks.map((link) => `${link} is a link and was not restored.`),
      ],
      startedAt: started.toISOString(),
      finishedAt: finished.toISOString(),
      seconds: (finished.getTime() - started.getTime()) / 1000,
    };
    if (failed) {
      abandon(root, journal);
      abandoned = true;
      throw new TendFailure(
        'RESTORE_VALIDATION_FAILED',
        `The restored data failed a check (${failed.name}: ${failed.detail}), so everything was put back as it was.`,
        { report },
      );
    }
    options.onStep?.('validated');
    journal = {
      ...journal,
      phase: 'committed',
      last: { report, touched: planned.ops.map((op) => op.path), undoneAt: null },
    };
    writeJournal(root, journal);
    options.onStep?.('committed');
    finishCommitted(root, journal);
    return report;
  } catch (error) {
    if (!abandoned && journal.phase !== 'committed') abandon(root, journal);
    throw error;
  }
}

/** A planned restore with the files found identical left out, and how many there were. */
type EffectivePlan = PlannedRestore & { readonly identical: number };

/** Hashes a live file, or null when it cannot be read. */
async function hashFile(file: string, signal: AbortSignal): Promise<string | null> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of fs.createReadStream(file, { highWaterMark: 1024 * 1024, signal })) {
      hash.update(chunk as Buffer);
    }
  } catch {
    if (signal.aborted) throw signal.reason;
    return null;
  }
  return hash.digest('hex');
}

/**
 * Leaves out files the live root already holds byte for byte (same size, same SHA-256 as the
 * manifest): nothing to snapshot, unpack or swap for them. Reading a file is much cheaper than
 * archiving it into the safety snapshot and writing it again.
 */
async function dropIdentical(
  root: string,
  planned: PlannedRestore,
  context: JobContext,
): Promise<EffectivePlan> {
  const entries = new Map(
    planned.manifest.entries.flatMap((entry) =>
      entry.type === 'file' ? [[entry.path, entry] as const] : [],
    ),
  );
  const same = new Set<string>();
  const candidates = planned.ops.filter((op) => op.action === 'replace' && entries.has(op.path));
  context.progress({
    message: 'Comparing with the live files',
    filesDone: 0,
    filesTotal: candidates.length,
  });
  let done = 0;
  for (const op of candidates) {
    // The merged database of a collection restore is built later; it is never identical.
    if (planned.merge && op.path === layout.assistantDb) continue;
    const entry = entries.get(op.path)!;
    const live = path.join(root, op.path);
    const stat = fs.lstatSync(live, { throwIfNoEntry: false });
    if (stat?.isFile() && stat.size === entry.size) {
      if ((await hashFile(live, context.signal)) === entry.sha256) same.add(op.path);
    }
    context.progress({ filesDone: ++done, currentPath: op.path });
  }
  if (same.size === 0) return { ...planned, identical: 0 };
  return {
    ...planned,
    ops: planned.ops.filter((op) => !same.has(op.path)),
    extract: new Set([...planned.extract].filter((relative) => !same.has(relative))),
    identical: same.size,
  };
}

/** What the run actually changed. */
function totalsOf(planned: EffectivePlan): RestoreReport['totals'] {
  const totals = emptyTotals(planned.identical);
  const paths = new Set(planned.ops.map((op) => op.path));
  for (const op of planned.ops) {
    // A database's WAL and friends move with it; they are not counted as the person's files.
    const companion = /^(.*)-(wal|shm|journal)$/.exec(op.path);
    if (op.action === 'remove' && companion && paths.has(companion[1]!)) continue;
    tallyOp(totals, op);
  }
  return totals;
}
