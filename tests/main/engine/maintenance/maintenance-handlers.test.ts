import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RecordTransferReport } from '../../../../src-shared/models/maintenance';
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

/** A root with 400 interactions over 200 days of 2025, and helpers to read and import them. */
async function interactionsRoot() {
  const { engine, root } = await engineOnRoot();
  const db = makeAssistantDb(root);
  addInteractions(db, '2025-01-01', 200, 2, (day) => ({
    query: day % 7 === 0 ? `mail me at user${day}@example.com` : undefined,
  }));
  db.close();
  const out = tempDir();
  const run = async (job: Awaited<ReturnType<typeof engine.call<'records:export'>>>) =>
    engine.requireSession().jobs.wait(job.id);
  const total = async () =>
    (await engine.call('analytics:daily', { from: '2025-01-01', to: '2025-07-19' })).days.reduce(
      (n, d) => n + d.interactions,
      0,
    );
  const day = async (which: string) =>
    (await engine.call('analytics:daily', { from: which, to: which })).days[0]!.interactions;
  const importFile = async (file: string) => {
    const job = await run(
      await engine.call('records:import', { kind: 'interactions', format: 'jsonl', path: file }),
    );
    expect(job.state, job.error?.message).toBe('succeeded');
    return job.result as RecordTransferReport;
  };
  return { engine, out, run, total, day, importFile };
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

  it('never counts an interaction twice: an export imported after archival and scrub adds nothing', async () => {
    const { engine, out, run, total, importFile } = await interactionsRoot();
    try {
      const file = path.join(out, 'interactions.jsonl');
      await run(
        await engine.call('records:export', { kind: 'interactions', format: 'jsonl', path: file }),
      );
      const archived = await run(await engine.call('analytics:archive', { dryRun: false }));
      expect(archived.state).toBe('succeeded');
      expect((await engine.call('analytics:tiers')).hot.rows).toBe(0);
      expect(await total()).toBe(400);

      // Every row is in the cold tier now, most of them scrubbed: none is imported again.
      expect(await importFile(file)).toMatchObject({ records: 0, skipped: 400 });
      expect(await total()).toBe(400);
    } finally {
      await engine.close();
    }
  });

  it('shows interactions imported for an archived day on the dashboard at once, and once', async () => {
    const { engine, out, run, total, day, importFile } = await interactionsRoot();
    try {
      await run(await engine.call('analytics:archive', { dryRun: false }));
      expect(await total()).toBe(400);
      // Rows for a day already archived count on the dashboard at once, and once.
      const late = path.join(out, 'late.jsonl');
      const row = (minute: number) => ({
        session_id: 'late',
        timestamp: `2025-02-01T12:0${minute}:00.000Z`,
        user_role: 'developer',
        query: 'a late question',
        query_type: 'general',
        response_time_ms: 120,
        response_length: 300,
        success: 1,
        user_rating: null,
        ip: null,
        created_at: `2025-02-01T12:0${minute}:00.000Z`,
      });
      fs.writeFileSync(late, [0, 1, 2].map((m) => JSON.stringify(row(m))).join('\n'));
      expect(await day('2025-02-01')).toBe(2);
      expect(await importFile(late)).toMatchObject({ records: 3 });
      expect(await day('2025-02-01')).toBe(5);
      expect(await total()).toBe(403);
      await run(await engine.call('analytics:archive', { dryRun: false }));
      expect(await day('2025-02-01')).toBe(5);
      expect(await total()).toBe(403);
      expect(await importFile(late)).toMatchObject({ records: 0, skipped: 3 });
      expect(await total()).toBe(403);
    } finally {
      await engine.close();
    }
  });
});
