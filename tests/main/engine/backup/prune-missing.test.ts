/**
 * Issue 17 item 4: list and prune look at the archives. Two backups on one disk and the newest
 * on a drive that was then wiped: the list says which is missing, and prune keeps a restorable
 * backup in each slot instead of deleting the real ones.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BackupRecord } from '../../../../src-shared/models/backups';
import type { Engine } from '../../../../src-main/engine/engine';
import { backupFixture } from './backup-fixture';

async function backUp(engine: Engine, kind: 'critical' | 'full', destination?: string) {
  const session = engine.requireSession();
  const job = await engine.call('backups:create', {
    kind,
    ...(destination ? { destination } : {}),
  });
  const done = await session.jobs.wait(job.id);
  expect(done.error).toBeNull();
  return done.result as BackupRecord;
}

async function setRetention(engine: Engine, daily: number) {
  const settings = await engine.call('settings:get');
  await engine.call('settings:set', {
    settings: {
      ...settings,
      backup: { ...settings.backup, retention: { daily, weekly: 0, monthly: 0 } },
    },
  });
}

describe('prune with archives that are gone', () => {
  it('lists the missing one, keeps it out of the slots, and never deletes the restorable ones', async () => {
    const { engine, base } = await backupFixture();
    const usb = path.join(base, 'usb');
    const first = await backUp(engine, 'critical');
    const second = await backUp(engine, 'critical');
    const third = await backUp(engine, 'critical', usb);
    // The stick is wiped.
    fs.rmSync(path.join(usb, third.fileName));
    await setRetention(engine, 1);

    const listed = await engine.call('backups:list');
    expect(listed.unavailable).toEqual([
      { id: third.id, reason: `its archive ${third.fileName} is missing from ${usb}` },
    ]);
    const plan = await engine.call('backups:prune-plan', {});
    const actions = Object.fromEntries(plan.decisions.map((d) => [d.id, d.action]));
    expect(actions).toEqual({ [third.id]: 'keep', [second.id]: 'keep', [first.id]: 'delete' });

    await engine.call('backups:prune', {});
    const { backups } = await engine.call('restore:backups');
    expect(backups.map((backup) => backup.id)).toEqual([second.id]);
    expect(fs.existsSync(path.join(second.destination, second.fileName))).toBe(true);
    await engine.close();
  });

  it('keeps the only full backup when a critical one follows it the same day', async () => {
    const { engine } = await backupFixture();
    const full = await backUp(engine, 'full');
    const critical = await backUp(engine, 'critical');
    await setRetention(engine, 1);
    const pruned = await engine.call('backups:prune', {});
    expect(pruned.deleteCount).toBe(0);
    const ids = (await engine.call('backups:list')).backups.map((record) => record.id);
    expect(ids).toEqual([critical.id, full.id]);
    await engine.close();
  });
});
