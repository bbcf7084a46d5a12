import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BackupService } from '../../../../src-main/engine/backup/backup-service';
import { Engine } from '../../../../src-main/engine/engine';
import { backupFixture } from './backup-fixture';

// Two Tends on one folder (the open app, and a command a timer started) share its catalog.
// The second one's start-up recovery must never take the first one's backup for a cut-off one.

const engines: Engine[] = [];
const gates: Array<() => void> = [];
afterEach(async () => {
  // A test that failed half-way must not leave a backup waiting at its gate forever.
  for (const open of gates.splice(0)) open();
  for (const engine of engines.splice(0)) await engine.close();
});

/** A gate a test opens by hand. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  gates.push(open);
  return { open, opened };
}

/** Another Tend opening the same folder, with the same state. */
async function secondTend(base: string, root: string): Promise<Engine> {
  const other = await Engine.start({ appStateDir: path.join(base, 'state'), root });
  engines.push(other);
  return other;
}

/**
 * The first Tend, on a backup fixture: its backups stop once their partial archive is open
 * (`writing` opens) until the test opens `carryOn`.
 */
async function firstTendPausing() {
  const fixture = await backupFixture();
  engines.push(fixture.engine);
  const writing = gate();
  const carryOn = gate();
  const first = new BackupService(fixture.engine.requireSession(), fixture.engine, {
    openOutput: async (file) => {
      const handle = await fs.promises.open(file, 'wx', 0o600);
      writing.open();
      await carryOn.opened;
      return handle;
    },
  });
  return { fixture, first, writing, carryOn };
}

describe('start-up recovery beside a backup another Tend is writing', () => {
  it('leaves the temp folder and partial archive of a backup that started after it listed the running ones', async () => {
    const { fixture, first, writing, carryOn } = await firstTendPausing();
    const other = await secondTend(fixture.base, fixture.root);
    const recovery = new BackupService(other.requireSession(), other, {
      // The first Tend's backup starts between the listing and the clean-up.
      recoveryListed: async () => {
        job = first.start({ kind: 'critical' });
        await writing.opened;
      },
    });
    let job!: ReturnType<BackupService['start']>;
    expect(await recovery.recover()).toEqual([]);
    const temp = fixture.engine.requireSession().state.backupTemp;
    const [record] = (await fixture.engine.call('backups:list')).backups;
    expect(record).toMatchObject({ state: 'running' });
    expect(fs.readdirSync(temp)).toEqual([record!.id]);
    expect(fs.existsSync(path.join(fixture.destination, `${record!.fileName}.partial`))).toBe(true);

    carryOn.open();
    const done = await fixture.engine.requireSession().jobs.wait(job.id);
    expect(done.error).toBeNull();
    expect(done.state).toBe('succeeded');
    const [finished] = (await fixture.engine.call('backups:list')).backups;
    expect(finished).toMatchObject({ state: 'completed', id: record!.id });
    expect(fs.existsSync(path.join(fixture.destination, finished!.fileName))).toBe(true);
  });

  it('keeps the archive of a backup that ended after it was listed as running', async () => {
    const { fixture, first, writing, carryOn } = await firstTendPausing();
    const job = first.start({ kind: 'critical' });
    await writing.opened;
    const other = await secondTend(fixture.base, fixture.root);
    const recovery = new BackupService(other.requireSession(), other, {
      // Listed while running; it ends before the clean-up looks at it.
      recoveryListed: async () => {
        carryOn.open();
        await fixture.engine.requireSession().jobs.wait(job.id);
      },
    });
    expect(await recovery.recover()).toEqual([]);
    const [record] = (await fixture.engine.call('backups:list')).backups;
    expect(record).toMatchObject({ state: 'completed' });
    expect(fs.existsSync(path.join(fixture.destination, record!.fileName))).toBe(true);
    const verify = await fixture.engine.call('backups:verify', { id: record!.id, depth: 'full' });
    const verified = await fixture.engine.requireSession().jobs.wait(verify.id);
    expect(verified).toMatchObject({ state: 'succeeded', error: null });
  });
});
