import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { UpkeepRun } from '../../../../src-shared/models/vectors';
import { integrityDue } from '../../../../src-main/engine/vectors/sqlite-upkeep';
import { clusteredVectors, engineWithRoot, finished, importVectors } from './vectors-fixtures';

describe('vectors: SQLite upkeep', () => {
  it('checkpoints, checks integrity weekly, vacuums a database with many free pages, and records it', async () => {
    const { base, engine, root } = await engineWithRoot();
    await importVectors(engine, base, 'notes', clusteredVectors(3000, 64));
    const dbPath = path.join(root, 'local_data/internal_assistant/assistant.db');
    // Free most pages: a program that hard-deletes its rows and leaves the space behind.
    const db = new Database(dbPath);
    db.pragma('journal_mode = WAL');
    db.prepare('DELETE FROM chunks WHERE id > 300').run();
    db.close();

    const first = await finished(engine, await engine.call('vectors:upkeep'));
    expect(first.state).toBe('succeeded');
    const run = first.result as UpkeepRun;
    const assistant = run.databases.find((d) => d.database === 'assistant')!;
    expect(assistant.integrity).toBe('ok');
    expect(assistant.vacuumed).toBe(true);
    expect(assistant.freePagesBefore / assistant.pageCount).toBeGreaterThan(0.25);
    expect(assistant.bytesAfter).toBeLessThan(assistant.bytesBefore);
    expect(fs.statSync(`${dbPath}-wal`, { throwIfNoEntry: false })?.size ?? 0).toBe(0);
    expect(run.databases.find((d) => d.database === 'catalog')).toMatchObject({ integrity: 'ok' });
    expect(run.reclaimedBytes).toBeGreaterThan(0);

    const second = (await finished(engine, await engine.call('vectors:upkeep')))
      .result as UpkeepRun;
    // The integrity check ran minutes ago: not due again this week. Nothing left to vacuum.
    expect(second.databases.map((d) => d.integrity)).toEqual([null, null]);
    expect(second.databases.find((d) => d.database === 'assistant')!.vacuumed).toBe(false);

    const { runs } = await engine.call('vectors:upkeep-history', {});
    expect(runs).toHaveLength(2);
    expect(runs[1]).toMatchObject({ jobId: first.id, reclaimedBytes: run.reclaimedBytes });
    await engine.close();
  });

  it('runs the integrity check when none ran in the last seven days', () => {
    const now = new Date('2026-11-23T02:30:00Z');
    expect(integrityDue(null, now)).toBe(true);
    expect(integrityDue(new Date('2026-11-20T02:30:00Z'), now)).toBe(false);
    expect(integrityDue(new Date('2026-11-16T02:30:00Z'), now)).toBe(true);
  });
});
