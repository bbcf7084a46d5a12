import { Cron } from 'croner';
import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../../../src-shared/models/settings';
import { loadScheduleSources } from '../../../../src-main/engine/session-hooks';
import { vectorsScheduleSource } from '../../../../src-main/engine/vectors/vectors-hooks';
import { engineWithRoot } from './vectors-fixtures';

describe('vectors schedules', () => {
  it('are registered, parse as cron, and start the upkeep job (and no health job without collections)', async () => {
    expect(await loadScheduleSources()).toContain(vectorsScheduleSource);
    const { engine } = await engineWithRoot();
    const session = engine.requireSession();
    const entries = vectorsScheduleSource(session, engine, defaultSettings());
    expect(entries.map((entry) => entry.id)).toEqual(['sqlite-upkeep', 'vectors-health']);
    for (const entry of entries)
      expect(new Cron(entry.cron, { paused: true }).nextRun()).not.toBeNull();
    const upkeepId = await entries[0]!.run();
    expect(session.jobs.get(upkeepId!).kind).toBe('sqlite-upkeep');
    expect((await session.jobs.wait(upkeepId!)).state).toBe('succeeded');
    expect(await entries[1]!.run()).toBeNull();
    await engine.close();
  });
});
