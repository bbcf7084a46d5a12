import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../../../src-main/engine/engine';
import { tempDir } from '../../../support/temp-dir';
import { addInteractions, makeAssistantDb } from './support';

async function engineOnRoot() {
  const base = tempDir();
  const engine = await Engine.start({ appStateDir: path.join(base, 'state'), root: null });
  await engine.call('root:create', { path: path.join(base, 'root') });
  const root = path.join(base, 'root');
  return { engine, root };
}

describe('maintenance channels', () => {
  it('list every schedule, run one now, pause it, and keep its history', async () => {
    const { engine, root } = await engineOnRoot();
    const db = makeAssistantDb(root);
    addInteractions(db, '2025-01-01', 200, 2);
    db.close();
    try {
      const { schedules } = await engine.call('schedule:list');
      const ids = schedules.map((s) => s.id);
      expect(ids).toEqual(expect.arrayContaining(['maintenance.archival', 'maintenance.scrub']));
      expect(schedules.find((s) => s.id === 'maintenance.archival')).toMatchObject({
        lastRunAt: null,
        lastJob: null,
        paused: false,
      });

      const { job } = await engine.call('schedule:run-now', { id: 'maintenance.archival' });
      expect(job?.kind).toBe('archival');
      const finished = await engine.requireSession().jobs.wait(job!.id);
      expect(finished.state).toBe('succeeded');
      expect((finished.result as { rowsMoved: number }).rowsMoved).toBeGreaterThan(0);

      const paused = await engine.call('schedule:pause', {
        id: 'maintenance.archival',
        paused: true,
      });
      expect(paused).toMatchObject({ paused: true, nextRunAt: null, lastJob: { id: job!.id } });
      expect(paused.lastRunAt).not.toBeNull();

      const { runs } = await engine.call('schedule:history', {
        scheduleId: 'maintenance.archival',
      });
      expect(runs).toEqual([
        expect.objectContaining({ trigger: 'manual', scheduleId: 'maintenance.archival' }),
      ]);
      expect((await engine.call('schedule:history', { failuresOnly: true })).runs).toEqual([]);
      expect(await engine.dispatch('schedule:pause', { id: 'nope', paused: true })).toMatchObject({
        ok: false,
        error: { code: 'SCHEDULE_NOT_FOUND' },
      });

      const tiers = await engine.call('analytics:tiers');
      expect(tiers.hot.rows + tiers.warm.interactions).toBe(400);
      const { days } = await engine.call('analytics:daily', {
        from: '2025-01-01',
        to: '2025-07-19',
      });
      expect(days.reduce((n, d) => n + d.interactions, 0)).toBe(400);
    } finally {
      await engine.close();
    }
  });

  it('refuse a retention policy whose tiers do not nest, and a range that ends before it starts', async () => {
    const { engine, root } = await engineOnRoot();
    makeAssistantDb(root).close();
    try {
      const policy = await engine.call('retention:get');
      expect(policy).toMatchObject({
        hotDays: 90,
        warmDays: 730,
        coldDays: 1095,
        scrubAfterDays: 30,
      });
      expect(
        await engine.dispatch('retention:set', { policy: { ...policy, warmDays: 30 } }),
      ).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      expect(
        await engine.call('retention:set', { policy: { ...policy, scrubAfterDays: null } }),
      ).toMatchObject({ scrubAfterDays: null });
      expect(
        await engine.dispatch('analytics:daily', { from: '2026-02-01', to: '2026-01-01' }),
      ).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      expect(await engine.call('schema:status')).toMatchObject({
        current: 2,
        latest: 2,
        pending: [],
      });
    } finally {
      await engine.close();
    }
  });
});
