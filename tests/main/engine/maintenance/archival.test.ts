import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TendFailure } from '../../../../src-shared/errors';
import type { RetentionPolicy } from '../../../../src-shared/models/maintenance';
import { runArchival } from '../../../../src-main/engine/maintenance/archival';
import {
  listColdSegments,
  readColdSegment,
} from '../../../../src-main/engine/maintenance/cold-archive';
import { dailyFigures } from '../../../../src-main/engine/maintenance/daily-figures';
import { openHistoryDb } from '../../../../src-main/engine/maintenance/history-db';
import { tempDir } from '../../../support/temp-dir';
import { addInteractions, makeAssistantDb } from './support';

const policy: RetentionPolicy = {
  tableName: 'interactions',
  hotDays: 90,
  warmDays: 365,
  coldDays: 730,
  scrubAfterDays: 30,
};
const now = new Date('2026-11-23T12:00:00.000Z');

function setup() {
  const root = tempDir();
  const assistant = makeAssistantDb(root);
  const history = openHistoryDb(path.join(root, 'history.db'));
  const coldFolder = path.join(root, 'cold');
  return { root, assistant, history, coldFolder };
}

describe('runArchival', () => {
  it('moves rows past the hot days to warm and cold, and the daily figures stay the same', async () => {
    const { assistant, history, coldFolder } = setup();
    // Two years of three rows a day, ending yesterday.
    const rows = addInteractions(assistant, '2024-11-23', 730);
    const before = await dailyFigures(assistant, history, coldFolder, '2025-11-01', '2026-11-22');
    const report = await runArchival({
      assistant,
      history,
      coldFolder,
      policy,
      salt: Buffer.alloc(32, 7),
      dryRun: false,
      now,
      context: null,
    });
    expect(report.hotCutoff).toBe('2026-08-25');
    const hot = (assistant.prepare('SELECT count(*) AS n FROM interactions').get() as { n: number })
      .n;
    expect(hot + report.rowsMoved).toBe(rows);
    expect(
      assistant
        .prepare(`SELECT count(*) AS n FROM interactions WHERE timestamp < '2026-08-25'`)
        .get(),
    ).toEqual({ n: 0 });
    // Warm keeps a year; the days before it were deleted from warm but live on in cold.
    expect(report.warmDaysDeleted).toBeGreaterThan(300);
    const warmOldest = history.prepare('SELECT min(day) AS d FROM interaction_daily').get();
    expect(warmOldest).toEqual({ d: '2025-11-23' });
    let coldRows = 0;
    for (const segment of listColdSegments(coldFolder)) {
      for await (const row of readColdSegment(path.join(coldFolder, segment.name))) {
        coldRows++;
        // Past the scrub age: no raw IP or session id reaches the cold tier.
        expect(row.ip).toMatch(/^anon_/);
        expect(row.session_id).toMatch(/^anon_/);
      }
    }
    expect(coldRows).toBe(report.rowsMoved);

    const after = await dailyFigures(assistant, history, coldFolder, '2025-11-01', '2026-11-22');
    expect(after.map(({ tier: _t, ...rest }) => rest)).toEqual(
      before.map(({ tier: _t, ...rest }) => rest),
    );
    expect(after.find((d) => d.day === '2025-11-10')?.tier).toBe('cold');
    expect(after.find((d) => d.day === '2026-01-10')?.tier).toBe('warm');
    expect(after.find((d) => d.day === '2026-10-10')?.tier).toBe('hot');

    // A second run finds nothing to move and double-counts nothing.
    const again = await runArchival({
      assistant,
      history,
      coldFolder,
      policy,
      salt: null,
      dryRun: false,
      now,
      context: null,
    });
    expect(again.rowsMoved).toBe(0);
    expect(await dailyFigures(assistant, history, coldFolder, '2025-11-01', '2026-11-22')).toEqual(
      after,
    );
  });

  it('deletes cold months past the cold days', async () => {
    const { assistant, history, coldFolder } = setup();
    addInteractions(assistant, '2024-01-01', 60, 1);
    await runArchival({
      assistant,
      history,
      coldFolder,
      policy,
      salt: null,
      dryRun: false,
      now,
      context: null,
    });
    // 2024-01 and 2024-02 ended more than 730 days before now.
    expect(listColdSegments(coldFolder)).toEqual([]);
  });

  it.each(['2026-00-15T10:00:00Z', '15/01/2026 10:00'])(
    'stops at a row it cannot place (%s), with its id, and changes nothing',
    async (timestamp) => {
      const { assistant, history, coldFolder } = setup();
      addInteractions(assistant, '2026-01-01', 30);
      const bad = assistant
        .prepare(
          `INSERT INTO interactions (session_id, timestamp, user_role, query, query_type, response_time_ms,
           response_length, success, user_rating, ip, created_at)
         VALUES ('s', ?, 'dev', 'q', 'general', 1, 1, 1, NULL, NULL, 'x')`,
        )
        .run(timestamp).lastInsertRowid;
      const count = () => assistant.prepare('SELECT count(*) AS n FROM interactions').get();
      const before = count();
      const error = await runArchival({
        assistant,
        history,
        coldFolder,
        policy,
        salt: null,
        dryRun: false,
        now,
        context: null,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TendFailure);
      expect((error as TendFailure).code).toBe('ARCHIVE_BAD_ROW');
      expect((error as TendFailure).details).toEqual({ id: Number(bad) });
      expect((error as TendFailure).message).toContain(`Interaction ${bad}`);
      expect(count()).toEqual(before);
      expect(history.prepare('SELECT count(*) AS n FROM interaction_daily').get()).toEqual({
        n: 0,
      });
      expect(fs.existsSync(coldFolder) ? listColdSegments(coldFolder) : []).toEqual([]);
    },
  );

  it('a dry run counts and changes nothing', async () => {
    const { assistant, history, coldFolder } = setup();
    const rows = addInteractions(assistant, '2026-06-01', 30);
    const report = await runArchival({
      assistant,
      history,
      coldFolder,
      policy,
      salt: null,
      dryRun: true,
      now,
      context: null,
    });
    expect(report.rowsMoved).toBe(rows);
    expect(assistant.prepare('SELECT count(*) AS n FROM interactions').get()).toEqual({ n: rows });
    expect(history.prepare('SELECT count(*) AS n FROM archived_batches').get()).toEqual({ n: 0 });
  });

  it('a dry run reports what the real run then does: rows, warm days and cold files', async () => {
    const run = async (dryRun: boolean) => {
      const { assistant, history, coldFolder } = setup();
      // Three years: some days leave the warm tier, some months the cold tier, in one run.
      addInteractions(assistant, '2023-11-01', 1100, 2);
      const input = { assistant, history, coldFolder, policy, salt: null, now, context: null };
      // A run a year ago left warm days and cold files behind already.
      await runArchival({ ...input, dryRun: false, now: new Date('2025-11-23T12:00:00.000Z') });
      const report = await runArchival({ ...input, dryRun });
      // Timings and freed pages are not known ahead.
      return { ...report, durationMs: 0, bytesFreed: 0 };
    };
    const planned = await run(true);
    const done = await run(false);
    expect(done.warmDaysDeleted).toBeGreaterThan(0);
    expect(done.coldFilesWritten).toBeGreaterThan(0);
    expect(done.coldFilesDeleted).toBeGreaterThan(0);
    expect({ ...planned, dryRun: false }).toEqual(done);
  });
});
