import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MoveReportSchema } from '../../../../src-shared/models/move';
import { readAppState } from '../../../../src-main/engine/app-state';
import { movePlaceIn, readMoveJournal } from '../../../../src-main/engine/move/move-journal';
import { MoveService } from '../../../../src-main/engine/move/move-service';
import { relocateRootRecord } from '../../../../src-main/engine/move/root-record';
import { countRows, openAssistantDb } from '../../../../src-main/engine/store/assistant-db';
import { nativePaths } from '../../../support/native-root';
import {
  fingerprint,
  mountTmpfs,
  moveFixture,
  unmountAll,
  type MoveFixture,
} from './support/move-fixture';

const open: MoveFixture[] = [];
afterEach(async () => {
  for (const f of open.splice(0)) await f.engine.close();
  unmountAll();
});

async function fixture() {
  const f = await moveFixture();
  open.push(f);
  return f;
}

/** Files (the database left out: it is copied through the backup API) with modes and times. */
function files(root: string) {
  return fingerprint(root).filter((line) => !line.includes('assistant.db'));
}

function rows(root: string) {
  const db = openAssistantDb(path.join(root, nativePaths.assistantDb), { readonly: true });
  try {
    return countRows(db);
  } finally {
    db.close();
  }
}

function serviceFor(
  f: MoveFixture,
  afterFileCopy?: (relative: string, attempt: number) => void,
  freeBytes?: () => Promise<number>,
) {
  return new MoveService(f.engine.requireSession(), {
    place: movePlaceIn(f.state),
    relocateRoot: relocateRootRecord(f.state),
    afterFileCopy,
    probes: freeBytes ? { freeBytes } : undefined,
  });
}

describe('moving the data folder to another disk', () => {
  it('a disk that fills up during the copy: a clear message, nothing lost, the copy removed', async () => {
    const f = await fixture();
    const small = mountTmpfs(f.base, 4);
    if (!small) return; // The plan's free-space refusal is covered in move-plan.test.ts.
    const before = fingerprint(f.root);
    // The probe says there is room (as a disk that others fill meanwhile would).
    const service = serviceFor(f, undefined, async () => 1024 ** 4);
    const target = path.join(small, 'data');
    const job = await service.apply(target);
    const finished = await f.engine.requireSession().jobs.wait(job.id);
    expect(finished.error?.code).toBe('MOVE_NO_SPACE');
    expect(finished.error?.message).toContain('filled up');
    expect(fingerprint(f.root)).toEqual(before);
    expect(fs.existsSync(target)).toBe(false);
    expect(await readMoveJournal(movePlaceIn(f.state))).toBeNull();
  });

  it('copies every file with its bytes, mode and time, switches, keeps the old copy, moves back', async () => {
    const f = await fixture();
    if (!f.otherIsTmpfs) return; // Needs a second filesystem (a tmpfs) for the copy path.
    const before = files(f.root);
    const rowsBefore = rows(f.root);
    const target = path.join(f.otherDisk, 'data');
    const job = await f.engine.call('move:apply', { target });
    const finished = await f.engine.requireSession().jobs.wait(job.id);
    expect(finished.error).toBeNull();
    const report = MoveReportSchema.parse(finished.result);
    expect(report.checks.every((check) => check.ok)).toBe(true);
    expect(report.record.method).toBe('copy');

    // The copy is exact, the old folder is kept beside, renamed, not deleted.
    expect(files(target)).toEqual(before);
    expect(rows(target)).toEqual(rowsBefore);
    const kept = report.record.oldCopy!.path;
    expect(path.dirname(kept)).toBe(path.dirname(f.root));
    expect(files(kept)).toEqual(before);
    expect(fs.existsSync(f.root)).toBe(false);
    expect(await readMoveJournal(movePlaceIn(f.state))).toBeNull();

    // Tend follows: its record, its history (this job shows as done there), the open folder.
    await f.engine.close();
    const { lastRoot } = await readAppState(f.state);
    expect(lastRoot).toBe(target);
    const { Engine } = await import('../../../../src-main/engine/engine');
    const engine = await Engine.start({ appStateDir: f.state });
    open.push({ ...f, engine });
    expect(engine.rootPath).toBe(target);
    const moveJob = engine.requireSession().jobs.get(job.id);
    expect(moveJob.state).toBe('succeeded');
    const status = await engine.call('move:status');
    expect(status.noBack).toBeNull();
    expect(status.last?.oldCopy?.path).toBe(kept);
    expect(status.last?.oldCopy?.bytes).toBeGreaterThan(0);

    // Move back: the old copy in place again, the copy the move made is gone.
    const back = await engine.call('move:back');
    expect((await engine.requireSession().jobs.wait(back.id)).error).toBeNull();
    await engine.close();
    expect(files(f.root)).toEqual(before);
    expect(fs.existsSync(target)).toBe(false);
    expect(fs.existsSync(kept)).toBe(false);
    expect((await readAppState(f.state)).lastRoot).toBe(f.root);
  });

  it('forget-old removes only what the move copied; anything else there is left and named', async () => {
    const f = await fixture();
    if (!f.otherIsTmpfs) return;
    const target = path.join(f.otherDisk, 'data');
    const job = await f.engine.call('move:apply', { target });
    const report = MoveReportSchema.parse(
      (await f.engine.requireSession().jobs.wait(job.id)).result,
    );
    const kept = report.record.oldCopy!.path;
    fs.writeFileSync(path.join(kept, 'config', 'put-here-later.txt'), 'not the move’s');
    // `follow` reopened the engine at the new place.
    await f.engine.close();
    const { Engine } = await import('../../../../src-main/engine/engine');
    const engine = await Engine.start({ appStateDir: f.state });
    open.push({ ...f, engine });
    const result = await engine.call('move:forget-old');
    expect(result.left).toEqual(['config/put-here-later.txt']);
    expect(result.removedFiles).toBe(report.record.files);
    expect(fs.readdirSync(kept)).toEqual(['config']);
    expect(fs.readdirSync(path.join(kept, 'config'))).toEqual(['put-here-later.txt']);
    await expect(engine.call('move:back')).rejects.toMatchObject({ code: 'MOVE_NOTHING_TO_UNDO' });
    await expect(engine.call('move:forget-old')).rejects.toMatchObject({
      code: 'MOVE_NOTHING_TO_UNDO',
    });
  });

  it('the same disk: one rename, and back', async () => {
    const f = await fixture();
    const before = fingerprint(f.root);
    const target = path.join(f.base, 'moved');
    const plan = await f.engine.call('move:plan', { target });
    expect(plan.method).toBe('rename');
    expect(plan.space.neededBytes).toBe(0);
    const job = await f.engine.call('move:apply', { target });
    const report = MoveReportSchema.parse(
      (await f.engine.requireSession().jobs.wait(job.id)).result,
    );
    expect(report.record.oldCopy).toBeNull();
    expect(fingerprint(target)).toEqual(before);
    expect(fs.existsSync(f.root)).toBe(false);
    await f.engine.close();
    const { Engine } = await import('../../../../src-main/engine/engine');
    const engine = await Engine.start({ appStateDir: f.state });
    open.push({ ...f, engine });
    expect(engine.rootPath).toBe(target);
    const back = await engine.call('move:back');
    expect((await engine.requireSession().jobs.wait(back.id)).error).toBeNull();
    expect(fingerprint(f.root)).toEqual(before);
    expect(fs.existsSync(target)).toBe(false);
  });

  it('cancelled during the copy: the source untouched, the partial copy removed, an empty target kept', async () => {
    const f = await fixture();
    if (!f.otherIsTmpfs) return;
    const before = fingerprint(f.root);
    const target = path.join(f.otherDisk, 'empty-before');
    fs.mkdirSync(target);
    let copied = 0;
    let jobId = '';
    const service = serviceFor(f, () => {
      if (++copied === 20) f.engine.requireSession().jobs.cancel(jobId);
    });
    const job = await service.apply(target);
    jobId = job.id;
    const finished = await f.engine.requireSession().jobs.wait(job.id);
    expect(finished.state).toBe('cancelled');
    expect(fingerprint(f.root)).toEqual(before);
    expect(fs.readdirSync(target)).toEqual([]);
    expect(await readMoveJournal(movePlaceIn(f.state))).toBeNull();
  });

  it('a file changing during the copy is copied again, with its new bytes', async () => {
    const f = await fixture();
    if (!f.otherIsTmpfs) return;
    const victim = 'config/settings.yaml';
    const service = serviceFor(f, (relative, attempt) => {
      if (relative === victim && attempt === 1) {
        fs.appendFileSync(path.join(f.root, victim), '\n# changed while copied\n');
      }
    });
    const target = path.join(f.otherDisk, 'data');
    const job = await service.apply(target);
    const finished = await f.engine.requireSession().jobs.wait(job.id);
    expect(finished.error).toBeNull();
    expect(fs.readFileSync(path.join(target, victim), 'utf8')).toContain('changed while copied');
  });

  it('a file that never stops changing: the move is refused, nothing lost, the copy removed', async () => {
    const f = await fixture();
    if (!f.otherIsTmpfs) return;
    const victim = 'config/settings.yaml';
    const service = serviceFor(f, (relative) => {
      if (relative === victim) fs.appendFileSync(path.join(f.root, victim), 'x');
    });
    const target = path.join(f.otherDisk, 'data');
    const job = await service.apply(target);
    const finished = await f.engine.requireSession().jobs.wait(job.id);
    expect(finished.error?.code).toBe('MOVE_SOURCE_CHANGED');
    expect(finished.error?.message).toContain(victim);
    expect(fs.existsSync(target)).toBe(false);
    expect(fs.existsSync(path.join(f.root, nativePaths.assistantDb))).toBe(true);
    expect(fs.readFileSync(path.join(f.root, victim), 'utf8')).toMatch(/xxx$/);
    expect(f.engine.rootPath).toBe(f.root);
  });
});
