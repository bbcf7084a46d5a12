/**
 * Moving the open data folder: plan, apply (a job: copy and verify or rename, check the copy,
 * switch), back, and the removal of the old copy. The steps live in their own modules; this
 * one puts them in order and keeps the journal between them.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { TendFailure } from '../../../src-shared/errors';
import type { JobRecord } from '../../../src-shared/models/jobs';
import type {
  ForgetOldResult,
  MovePlan,
  MoveRecord,
  MoveReport,
  MoveStatus,
} from '../../../src-shared/models/move';
import { openCatalog } from '../catalog/catalog';
import { JobStore } from '../jobs/job-store';
import type { JobContext } from '../jobs/job-runner';
import { syncFolder } from '../fs/durable';
import { faultPoint } from '../maintenance/fault-point';
import { detectProfile } from '../profiles/registry';
import { TEND_DIR } from '../root/category-rules';
import type { RootSession } from '../root-session';
import {
  readTargetList,
  readMoveJournal,
  readMoveRecord,
  thisOwner,
  writeCopiedList,
  writeMoveJournal,
  writeTargetList,
  type MoveJournal,
  type MovePlace,
} from './move-journal';
import { clearCarriedLock } from './moved-lock';
import { planMove, type MovePlanProbes } from './move-plan';
import { finishBack, finishForget } from './move-recovery';
import { rollBackMove, switchOver } from './move-switch';
import { folderSize, walkMoveTree } from './move-tree';
import type { RelocateRoot } from './root-record';
import { copyTree, type TreeCopyOptions } from './tree-copy';

/** What the move service is given. */
export interface MoveServiceOptions {
  readonly place: MovePlace;
  /** Tend's record of the root follows the move (root-record.ts today). */
  readonly relocateRoot: RelocateRoot;
  readonly probes?: MovePlanProbes;
  /** Test seam: see TreeCopyOptions. */
  readonly afterFileCopy?: TreeCopyOptions['afterFileCopy'];
}

function newMoveId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
  return `move-${stamp}-${randomBytes(3).toString('hex')}`;
}

/** The name the old copy is kept under, beside where it was. */
export function keptName(from: string, id: string): string {
  return path.join(path.dirname(from), `${path.basename(from)}.tend-moved-${id.slice(5)}`);
}

/** The check of one store at the new place. */
interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

/** The open root's move service. */
export class MoveService {
  constructor(
    private readonly session: RootSession,
    private readonly options: MoveServiceOptions,
  ) {}

  /** What moving to `target` would do (reads only). */
  async plan(target: string): Promise<MovePlan> {
    return (await planMove(this.session, target, this.options.probes)).plan;
  }

  /** Starts the move as a job; a plan with refusals is refused with the first one. */
  async apply(target: string): Promise<JobRecord> {
    await this.refuseWhileJournal();
    const planned = await planMove(this.session, target, this.options.probes);
    const [first] = planned.plan.refusals;
    if (first) {
      throw new TendFailure(first.code, first.message, { refusals: planned.plan.refusals });
    }
    const plan = planned.plan;
    return this.session.jobs.start({
      kind: 'move',
      title: `Move the data folder to ${plan.resolvedTarget}`,
      writesRoot: true,
      run: (context) => this.run(plan, planned.tree, context),
    });
  }

  private async refuseWhileJournal(): Promise<void> {
    const journal = await readMoveJournal(this.options.place);
    if (journal) {
      throw new TendFailure(
        'DATA_LOCKED',
        `A move of ${journal.from} is still under way (or was cut short and is put right at Tend's next start). Try again later.`,
      );
    }
  }

  private async run(
    plan: MovePlan,
    tree: Awaited<ReturnType<typeof walkMoveTree>>,
    context: JobContext,
  ): Promise<MoveReport> {
    const started = Date.now();
    const place = this.options.place;
    const from = plan.source;
    const to = plan.resolvedTarget;
    const id = newMoveId();
    let journal: MoveJournal = {
      id,
      phase: 'copying',
      owner: thisOwner(),
      from,
      to,
      method: plan.method,
      targetCreated: !plan.targetExists,
      kept: plan.method === 'copy' ? keptName(from, id) : null,
      changes: plan.changes,
      record: null,
    };
    await writeMoveJournal(place, journal);
    let checks: Check[] = [];
    try {
      if (plan.method === 'rename') {
        await fs.rename(from, to);
        await clearCarriedLock(to);
        await syncFolder(path.dirname(to));
        await syncFolder(path.dirname(from));
        context.progress({
          bytesDone: plan.bytes,
          bytesTotal: plan.bytes,
          filesDone: plan.files,
          filesTotal: plan.files,
        });
      } else {
        if (!plan.targetExists) await fs.mkdir(to);
        await copyTree(from, to, tree, {
          signal: context.signal,
          onProgress: (progress) => context.progress(progress),
          afterFileCopy: this.options.afterFileCopy,
        });
        faultPoint('move:copied');
        checks = await this.checkCopy(to);
        const failed = checks.filter((check) => !check.ok);
        if (failed.length > 0) {
          throw new TendFailure(
            'MOVE_VERIFY_FAILED',
            `The copy at ${to} did not pass its checks (${failed.map((check) => `${check.name}: ${check.detail}`).join('; ')}). Nothing was changed; the copy was removed.`,
          );
        }
        await writeCopiedList(place, id, [
          ...tree.files.map(({ relative, size, mtimeMs }) => ({ relative, size, mtimeMs })),
          ...tree.links.map(({ relative }) => ({ relative, size: -1, mtimeMs: 0 })),
        ]);
        // What the copy is now, so `move back` can tell whether anything changed there since.
        const copy = await walkMoveTree(to);
        await writeTargetList(
          place,
          id,
          copy.files.map(({ relative, size, mtimeMs }) => ({ relative, size, mtimeMs })),
        );
      }
      context.throwIfCancelled();
    } catch (error) {
      await rollBackMove(place, journal, this.options.relocateRoot);
      throw error;
    }

    const record: MoveRecord = {
      id,
      from,
      to,
      method: plan.method,
      targetCreated: !plan.targetExists,
      files: plan.files,
      bytes: plan.bytes,
      movedAt: new Date().toISOString(),
      changes: plan.changes,
      oldCopy: journal.kept ? { path: journal.kept, bytes: plan.bytes, files: plan.files } : null,
      movedBackAt: null,
    };
    journal = { ...journal, phase: 'switching', record };
    await writeMoveJournal(place, journal);
    try {
      await switchOver(place, journal, this.options.relocateRoot);
    } catch (error) {
      await rollBackMove(place, journal, this.options.relocateRoot);
      throw error;
    }
    const detected = await detectProfile(to);
    const seconds = (Date.now() - started) / 1000;
    this.markDoneAtNewPlace(to, context.jobId, {
      record,
      profile: detected.detected ?? this.session.profile.id,
      checks,
      seconds,
    });
    return { record, profile: detected.detected ?? this.session.profile.id, checks, seconds };
  }

  /**
   * The copy, as the app will see it: the profile is detected there as here, and each store
   * validates there (a store that fails here too is not the move's doing, and is reported).
   */
  private async checkCopy(to: string): Promise<Check[]> {
    const checks: Check[] = [];
    const here = await detectProfile(this.session.path);
    const there = await detectProfile(to);
    checks.push({
      name: 'profile',
      ok: there.detected === here.detected,
      detail:
        there.detected === here.detected
          ? `detected as ${there.detected ?? 'the same (none)'} at the new place`
          : `detected as ${there.detected ?? 'nothing'} at the new place, ${here.detected ?? 'nothing'} here`,
    });
    for (const store of this.session.profile.stores) {
      const instances = await store.instances(to);
      for (const instance of instances) {
        const check = await instance.validate();
        let ok = check.ok;
        if (!ok) {
          // Broken here as well: the move did not break it; say so and go on.
          const original = (await store.instances(this.session.path)).find(
            (candidate) => candidate.path === instance.path,
          );
          ok = original ? !(await original.validate()).ok : false;
        }
        checks.push({ name: instance.label, ok, detail: check.summary });
      }
    }
    return checks;
  }

  /**
   * Tend's record at the new place was copied while this job ran: its entry for this job is
   * set to how it ends, so the history there does not show a move still running.
   */
  private markDoneAtNewPlace(to: string, jobId: string, result: MoveReport): void {
    const catalogFile = path.join(to, TEND_DIR, 'catalog.db');
    let catalog;
    try {
      catalog = openCatalog(catalogFile);
    } catch {
      return;
    }
    try {
      const store = new JobStore(catalog);
      const record = store.get(jobId);
      if (!record) return;
      const now = new Date().toISOString();
      store.save(
        {
          ...record,
          state: 'succeeded',
          finishedAt: now,
          result,
          progress: { ...record.progress, etaSeconds: 0 },
        },
        { host: os.hostname(), pid: process.pid },
      );
    } finally {
      catalog.close();
    }
  }

  /** The last move of this folder and whether it can be moved back. */
  async status(): Promise<MoveStatus> {
    const last = await readMoveRecord(this.options.place);
    if (!last || (last.to !== this.session.path && last.from !== this.session.path)) {
      return { last: null, noBack: 'This data folder has not been moved.' };
    }
    // The old copy is listed with its size as it is now.
    const oldCopy =
      last.oldCopy && (await fs.stat(last.oldCopy.path).catch(() => null))
        ? { path: last.oldCopy.path, ...(await folderSize(last.oldCopy.path)) }
        : last.oldCopy;
    return { last: { ...last, oldCopy }, noBack: await this.whyNoBack(last) };
  }

  private async whyNoBack(last: MoveRecord): Promise<string | null> {
    if (last.movedBackAt) return 'It was moved back already.';
    if (last.to !== this.session.path) return `The data folder is not at ${last.to} now.`;
    if (last.method === 'copy') {
      if (!last.oldCopy || !(await fs.stat(last.oldCopy.path).catch(() => null))) {
        return 'Its old copy was removed.';
      }
      const copied = await readTargetList(this.options.place, last.id);
      const changed = await changedSince(this.session.path, copied);
      if (changed.length > 0) {
        return `The data changed at the new place since the move (${changed.slice(0, 3).join(', ')}${changed.length > 3 ? ' …' : ''}); moving back to the old copy would lose that. Move it with tend move apply instead.`;
      }
    }
    const atFrom = await fs.lstat(last.from).catch(() => null);
    if (atFrom && !atFrom.isSymbolicLink()) {
      return `Something is at ${last.from} now; Tend will not replace it.`;
    }
    return null;
  }

  /** Undoes the last move (a job): the old copy back in place, the configuration as before. */
  async back(): Promise<JobRecord> {
    await this.refuseWhileJournal();
    const { last, noBack } = await this.status();
    if (!last)
      throw new TendFailure('MOVE_NOTHING_TO_UNDO', 'This data folder has not been moved.');
    if (noBack) {
      throw new TendFailure(
        noBack.startsWith('The data changed') ? 'MOVE_BACK_CHANGED' : 'MOVE_NOTHING_TO_UNDO',
        `The move cannot be undone: ${noBack}`,
      );
    }
    return this.session.jobs.start({
      kind: 'move',
      title: `Move the data folder back to ${last.from}`,
      writesRoot: true,
      run: async () => {
        const started = Date.now();
        const journal: MoveJournal = {
          id: last.id,
          phase: 'backing',
          owner: thisOwner(),
          from: last.from,
          to: last.to,
          method: last.method,
          targetCreated: last.targetCreated,
          kept: last.oldCopy?.path ?? null,
          changes: last.changes,
          record: last,
        };
        await writeMoveJournal(this.options.place, journal);
        faultPoint('move:back-begin');
        await finishBack(this.options.place, journal, this.options.relocateRoot);
        const record = (await readMoveRecord(this.options.place)) ?? last;
        const detected = await detectProfile(last.from);
        return {
          record,
          profile: detected.detected ?? this.session.profile.id,
          checks: [],
          seconds: (Date.now() - started) / 1000,
        } satisfies MoveReport;
      },
    });
  }

  /** Removes the last move's old copy: only what the move copied and verified. */
  async forgetOld(): Promise<ForgetOldResult> {
    await this.refuseWhileJournal();
    const last = await readMoveRecord(this.options.place);
    if (!last || last.to !== this.session.path || !last.oldCopy || last.movedBackAt) {
      throw new TendFailure(
        'MOVE_NOTHING_TO_UNDO',
        'There is no old copy of this data folder to remove.',
      );
    }
    const journal: MoveJournal = {
      id: last.id,
      phase: 'forgetting',
      owner: thisOwner(),
      from: last.from,
      to: last.to,
      method: last.method,
      targetCreated: last.targetCreated,
      kept: last.oldCopy.path,
      changes: last.changes,
      record: last,
    };
    await writeMoveJournal(this.options.place, journal);
    return finishForget(this.options.place, journal);
  }
}

/** Root-relative files that differ from what the move copied (added, removed, changed). */
export async function changedSince(
  root: string,
  copied: ReadonlyArray<{ relative: string; size: number; mtimeMs: number }>,
): Promise<string[]> {
  const tree = await walkMoveTree(root);
  const now = new Map(tree.files.map((file) => [file.relative, file]));
  const changed: string[] = [];
  const before = new Set<string>();
  for (const file of copied) {
    if (file.size === -1) continue;
    before.add(file.relative);
    const current = now.get(file.relative);
    if (!current) changed.push(file.relative);
    else if (current.size !== file.size || Math.abs(current.mtimeMs - file.mtimeMs) > 1) {
      changed.push(file.relative);
    }
  }
  for (const relative of now.keys()) if (!before.has(relative)) changed.push(relative);
  return changed;
}
