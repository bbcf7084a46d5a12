import path from 'node:path';
import { Cron } from 'croner';
import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../../../src-shared/models/settings';
import { Engine } from '../../../../src-main/engine/engine';
import { loadScheduleSources } from '../../../../src-main/engine/session-hooks';
import { usageSchedules, USAGE_DAILY_CRON } from '../../../../src-main/engine/usage/usage-schedule';
import { tempDir, writeFile } from '../../../support/temp-dir';

describe('usage schedule', () => {
  it('is registered, fires daily, and its run starts a scan that records a snapshot', async () => {
    expect(await loadScheduleSources()).toContain(usageSchedules);
    const cron = new Cron(USAGE_DAILY_CRON, { paused: true });
    const first = cron.nextRun(new Date('2026-11-23T00:00:00Z'))!;
    const second = cron.nextRun(first)!;
    expect(second.getTime() - first.getTime()).toBe(24 * 60 * 60 * 1000);

    const base = tempDir();
    const engine = await Engine.start({ appStateDir: path.join(base, 'state'), root: null });
    await engine.call('root:create', { path: path.join(base, 'root') });
    writeFile(path.join(base, 'root/config/settings.json'), '{}');
    const session = engine.requireSession();
    const [entry] = usageSchedules(session, engine, defaultSettings());
    const jobId = await entry!.run();
    expect(jobId).toBeTruthy();
    const job = await session.jobs.wait(jobId!);
    expect(job).toMatchObject({ kind: 'usage-scan', state: 'succeeded' });
    const history = await engine.call('usage:history', { granularity: 'day', days: 1 });
    expect(history.points).toHaveLength(1);
    await engine.close();
  });
});
