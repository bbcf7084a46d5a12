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
import type {
  RestoreCheck,
  RestoreReport,
  RestoreScope,
  SafetySnapshot,
} from '../../../src-shared/models/restore';
import { syncFileSync, syncFolderSync } from '../fs/durable';
import { describeFsError } from '../fs/fs-error';
import { displayName } from '../fs/raw-name';
import { lstatEntry, openFile, renameEntry } from '../fs/sys-fs';
import type { JobContext } from '../jobs/job-runner';
import type { ProfiledRoot } from '../profiles/profiled-root';
import { ancestorsOf } from './archive-path';
import type { LocatedBackup } from './backup-locator';
import { readSidecar } from './backup-manifest-reader';
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
  makeStaging,
  newJournal,
  readJournal,
  recoverRestore,
  stagingFolder,
  stagingOf,
  stagingPlace,
  swapIn,
  writeJournal,
  type Journal,
  type RestorePlace,
} from './restore-journal';
import { CHECKSUMS_CHECK, validateRoot } from './restore-validate';
import { DAMAGED_DATABASE_NOTE } from '../backup/archive-writer';
import type { SafetySnapshotter } from './safety-snapshot';
import { extractVerified } from './verified-extract';

/** What a restore run needs. */
export interface RestoreRunOptions {
  /** The root, through its profile (rules, stores, scopes). */
  readonly target: ProfiledRoot;
  /** Where its journal and last report are kept (Tend's state). */
  readonly place: RestorePlace;
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
  const { target, place, backup, scope, context } = options;
  const root = target.path;
  const started = new Date();
  // An earlier restore whose rollback failed left its journal: it is finished first, or this
  // one does not start (a new journal must never take the place of one still needed).
  if (readJournal(place)) {
    context.progress({ message: 'Putting back an earlier restore that did not finish' });
    if (recoverRestore(place) === 'busy') {
      throw new TendFailure(
        'DATA_LOCKED',
        'Another Tend process is in the middle of a restore of this data folder; try again when it ends.',
      );
    }
  }
  context.progress({ message: 'Planning', currentPath: null });
  const firstPlan = await planRestore(target, backup, scope, undefined, {
    removeMissing: options.undo ? true : undefined,
  });
  throwIfRefused(firstPlan.plan);
  const planned = await dropIdentical(root, firstPlan, context);
  options.onStep?.('planned');

  // Where the files will be unpacked, known before anything is written: a root whose parent
  // cannot hold it is refused here, before the safety snapshot.
  const stagingAt = stagingPlace(place);
  const touched = planned.ops.filter((op) => op.action !== 'add').map((op) => op.path);
  context.progress({ message: 'Taking a safety snapshot', filesTotal: touched.length });
  const snapshot = touched.length > 0 ? await options.snapshotter.take(context, touched) : null;
  if (snapshot) await checkSnapshotHolds(snapshot, touched);
  options.onStep?.('snapshot');

  const restoreId = newRestoreId();
  const staging = stagingFolder(stagingAt, restoreId);
  let journal: Journal = newJournal(restoreId, staging);
  writeJournal(place, journal);
  let abandoned = false;
  try {
    makeStaging(staging);
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
        if (sqlite && !(planned.merge && relative === planned.merge.records.database)) {
          prechecked.set(relative, integrityCheckInWorker(absolute, relative));
        }
      },
    });
    const sqliteFiles = new Set(extracted.sqliteFiles);
    if (planned.merge) {
      const { id, records } = planned.merge;
      context.progress({ message: `Merging ${id} into ${records.database}`, currentPath: null });
      const staged = path.join(staging, 'new', records.database);
      const archiveDb = path.join(staging, 'archive.db');
      renameEntry(staged, archiveDb);
      const liveDb = path.join(root, records.database);
      await records.merge({
        live: fs.existsSync(liveDb) ? liveDb : null,
        archived: archiveDb,
        target: staged,
        id,
      });
      // The merged copy is a restored file like the others: on the disk before the swap.
      syncFileSync(staged);
      syncFolderSync(path.dirname(staged));
      sqliteFiles.add(records.database);
      prechecked.set(records.database, integrityCheckInWorker(staged, records.database));
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
    writeJournal(place, journal);
    options.onStep?.('swapping');
    context.progress({
      message: 'Putting the restored files in place',
      filesDone: 0,
      filesTotal: planned.ops.length,
    });
    try {
      swapIn(root, journal, (done, relative) => {
        context.progress({ filesDone: done, currentPath: relative });
        options.onStep?.('swap-file', done);
      });
    } catch (error) {
      throw swapFailure(place, journal, error, () => {
        abandoned = true;
      });
    }
    journal = { ...journal, phase: 'swapped' };
    writeJournal(place, journal);
    options.onStep?.('swapped');

    context.progress({ message: 'Checking the restored data', currentPath: null });
    // An undo from a safety snapshot that held a damaged database puts it back as it was:
    // judging it would roll the undo back for the damage it was asked to bring back.
    const keptDamaged = options.undo
      ? planned.manifest.warnings
          .filter((warning) => warning.message.startsWith(DAMAGED_DATABASE_NOTE))
          .map((warning) => warning.path)
          .filter((relative) => planned.extract.has(relative))
      : [];
    const checks =
      keptDamaged.length > 0
        ? [
            CHECKSUMS_CHECK,
            {
              name: 'put back as it was',
              ok: true,
              detail: `${keptDamaged.map((relative) => displayName(relative)).join(', ')} ${keptDamaged.length === 1 ? 'was' : 'were'} damaged before the restore and ${keptDamaged.length === 1 ? 'is' : 'are'} back byte for byte, damage included; restore a backup again to replace ${keptDamaged.length === 1 ? 'it' : 'them'}`,
            },
          ]
        : await validateRoot(
            target,
            planned.ops.map((op) => op.path),
            [...sqliteFiles],
            checked,
          );
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
      kept: planned.plan.kept,
      checks,
      failedCheck: failed ? failed.name : null,
      warnings: [
        ...planned.plan.warnings,
        ...extracted.skippedLinks.map(
          (link) =>
            `${displayName(link.path)} is a link leading outside (${link.why}); not restored.`,
        ),
        ...extracted.unholdable.map(
          (entry) => `${displayName(entry.path)} was not restored: ${entry.why}.`,
        ),
      ],
      startedAt: started.toISOString(),
      finishedAt: finished.toISOString(),
      seconds: (finished.getTime() - started.getTime()) / 1000,
    };
    if (failed) {
      abandon(place, journal);
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
    writeJournal(place, journal);
    options.onStep?.('committed');
    finishCommitted(place, journal);
    return report;
  } catch (error) {
    if (!abandoned && journal.phase !== 'committed') abandon(place, journal);
    throw asRestoreFailure(error, staging);
  }
}

/**
 * The error a person reads when a step failed on the disk before the swap (a folder that
 * cannot be written, a disk that filled): nothing in the data folder has changed.
 */
function asRestoreFailure(error: unknown, staging: string): unknown {
  if (error instanceof TendFailure || (error as { name?: string } | null)?.name === 'AbortError') {
    return error;
  }
  if (!(error as NodeJS.ErrnoException | null)?.code) return error;
  return new TendFailure(
    'RESTORE_STAGING_FAILED',
    `Unpacking the backup beside the data folder (in ${staging}, on the same disk, so that putting it in place is a rename) failed: ${describeFsError(error)}${pathOf(error)}. Nothing in the data folder was changed; fix that (Tend needs to write in ${path.dirname(staging)}) and restore again.`,
  );
}

function pathOf(error: unknown): string {
  const file = (error as NodeJS.ErrnoException).path;
  return file ? ` at ${displayName(file)}` : '';
}

/**
 * A swap that failed part way (a permission, a full disk): everything is put back as it was,
 * and the message says so, or says what could not be put back and that the next start of Tend
 * finishes the job from the journal.
 */
function swapFailure(
  place: RestorePlace,
  journal: Journal,
  error: unknown,
  onAbandoned: () => void,
): TendFailure {
  const cause = `${describeFsError(error)}${pathOf(error)}`;
  try {
    abandon(place, journal);
  } catch (rollback) {
    onAbandoned();
    return new TendFailure(
      'RESTORE_SWAP_FAILED',
      `Putting the restored files in place failed (${cause}), and putting everything back failed too (${describeFsError(rollback)}${pathOf(rollback)}). Nothing is lost: the displaced files are in ${stagingOf(place.root, journal)} and Tend puts them back at its next start. Fix the cause, then start Tend again.`,
    );
  }
  onAbandoned();
  return new TendFailure(
    'RESTORE_SWAP_FAILED',
    `Putting the restored files in place failed (${cause}), so everything was put back as it was before the restore. Fix the cause (a permission, the free space) and restore again.`,
  );
}

/**
 * Refuses to go on unless the safety snapshot holds every file and link the restore will
 * replace or remove (a database's -wal/-shm/-journal are held by its snapshot): undo can only
 * put back what the snapshot holds.
 */
async function checkSnapshotHolds(
  snapshot: SafetySnapshot,
  touched: ReadonlyArray<string>,
): Promise<void> {
  const sidecar = await readSidecar(snapshot.archivePath);
  const held = new Set(sidecar?.entries.map((entry) => entry.path) ?? []);
  const missing = touched.filter((relative) => {
    if (held.has(relative)) return false;
    const companion = /^(.*)-(wal|shm|journal)$/.exec(relative);
    return !(companion && held.has(companion[1]!));
  });
  if (missing.length > 0) {
    const listed = missing.slice(0, 5).map(displayName).join(', ');
    throw new TendFailure(
      'RESTORE_SNAPSHOT_FAILED',
      `The safety snapshot does not hold ${missing.length === 1 ? 'a file' : `${missing.length} files`} the restore would change (${listed}${missing.length > 5 ? ', …' : ''}), so nothing was changed.`,
      { missing: missing.slice(0, 50) },
    );
  }
}

/** A planned restore with the files found identical left out, and how many there were. */
type EffectivePlan = PlannedRestore & { readonly identical: number };

/** Hashes a live file, or null when it cannot be read. */
async function hashFile(file: string, signal: AbortSignal): Promise<string | null> {
  const hash = createHash('sha256');
  try {
    const handle = await openFile(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
    try {
      for await (const chunk of handle.createReadStream({ highWaterMark: 1024 * 1024, signal })) {
        hash.update(chunk as Buffer);
      }
    } finally {
      await handle.close().catch(() => undefined);
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
    // The merged database of a scope restore is built later; it is never identical.
    if (planned.merge && op.path === planned.merge.records.database) continue;
    const entry = entries.get(op.path)!;
    const live = path.join(root, op.path);
    const stat = lstatEntry(live);
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
