import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { readAppState } from '../../../../src-main/engine/app-state';
import { Engine } from '../../../../src-main/engine/engine';
import {
  movePlaceIn,
  readMoveJournal,
  readMoveRecord,
} from '../../../../src-main/engine/move/move-journal';
import { fingerprint, moveFixture, unmountAll, type MoveFixture } from './support/move-fixture';

const child = path.join(path.dirname(fileURLToPath(import.meta.url)), 'support', 'move-child.ts');

const open: Engine[] = [];
afterEach(async () => {
  for (const engine of open.splice(0)) await engine.close();
  unmountAll();
});

/** The files of a folder without the database, whose bytes the backup API may lay out anew. */
function files(root: string) {
  return fingerprint(root).filter((line) => !line.includes('assistant.db'));
}

/** Runs the child with a fault point; it must die by SIGKILL. */
function runKilled(f: MoveFixture, args: string[], point: string, skip = 0) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', child, f.state, ...args], {
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, TEND_FAULT_POINT: point, TEND_FAULT_SKIP: String(skip) },
  });
  expect(run.signal, `${run.stdout}\n${run.stderr}`).toBe('SIGKILL');
}

/** The next start: recovery, then the folder Tend opens (its record of the root). */
async function nextStart(f: MoveFixture) {
  const engine = await Engine.start({ appStateDir: f.state });
  open.push(engine);
  expect(await readMoveJournal(movePlaceIn(f.state))).toBeNull();
  return { engine, lastRoot: (await readAppState(f.state)).lastRoot };
}

/** A fixture whose engine is closed, so the child is the only process on the folder. */
async function prepared() {
  const f = await moveFixture();
  await f.engine.close();
  return f;
}

describe('a move killed with SIGKILL: the next start finishes or rolls back, one whole copy always', () => {
  for (const [point, skip] of [
    ['move:copy-file', 40],
    ['move:copied', 0],
    ['move:switch-settings', 0],
    ['move:switch-record', 0],
    ['move:switch-renamed', 0],
  ] as const) {
    it(`killed at ${point}: rolled back, the data where it was and Tend pointing at it`, async () => {
      const f = await prepared();
      if (!f.otherIsTmpfs) return;
      const before = files(f.root);
      const target = path.join(f.otherDisk, 'data');
      runKilled(f, ['apply', target], point, skip);
      const { engine, lastRoot } = await nextStart(f);
      expect(lastRoot).toBe(f.root);
      expect(engine.rootPath).toBe(f.root);
      expect(files(f.root)).toEqual(before);
      expect(fs.existsSync(target)).toBe(false);
      expect(fs.readdirSync(path.dirname(f.root)).filter((n) => n.includes('tend-moved'))).toEqual(
        [],
      );
    });
  }

  it('killed after the commit: finished, the data at the new place and Tend pointing there', async () => {
    const f = await prepared();
    if (!f.otherIsTmpfs) return;
    const before = files(f.root);
    const target = path.join(f.otherDisk, 'data');
    runKilled(f, ['apply', target], 'move:committed');
    const { engine, lastRoot } = await nextStart(f);
    expect(lastRoot).toBe(target);
    expect(engine.rootPath).toBe(target);
    expect(files(target)).toEqual(before);
    const record = await readMoveRecord(movePlaceIn(f.state));
    expect(record?.to).toBe(target);
    expect(files(record!.oldCopy!.path)).toEqual(before);
  });

  it('killed while removing the old copy: the removal is finished, the new place whole', async () => {
    const f = await prepared();
    if (!f.otherIsTmpfs) return;
    const before = files(f.root);
    const target = path.join(f.otherDisk, 'data');
    const mover = await Engine.start({ appStateDir: f.state });
    const job = await mover.call('move:apply', { target });
    await mover.requireSession().jobs.wait(job.id);
    await mover.close();
    const kept = (await readMoveRecord(movePlaceIn(f.state)))!.oldCopy!.path;
    runKilled(f, ['forget'], 'move:forget-file', 50);
    expect(fs.existsSync(kept)).toBe(true);
    const { lastRoot } = await nextStart(f);
    expect(lastRoot).toBe(target);
    expect(files(target)).toEqual(before);
    expect(fs.existsSync(kept)).toBe(false);
    expect((await readMoveRecord(movePlaceIn(f.state)))?.oldCopy).toBeNull();
  });

  it('killed while moving back: the move back is finished', async () => {
    const f = await prepared();
    if (!f.otherIsTmpfs) return;
    const before = files(f.root);
    const target = path.join(f.otherDisk, 'data');
    const mover = await Engine.start({ appStateDir: f.state });
    const job = await mover.call('move:apply', { target });
    await mover.requireSession().jobs.wait(job.id);
    await mover.close();
    runKilled(f, ['back'], 'move:back-begin');
    const { engine, lastRoot } = await nextStart(f);
    expect(lastRoot).toBe(f.root);
    expect(engine.rootPath).toBe(f.root);
    expect(files(f.root)).toEqual(before);
    expect(fs.existsSync(target)).toBe(false);
  });
});
