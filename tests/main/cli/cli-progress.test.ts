import { describe, expect, it } from 'vitest';
import { createCliContext, type CliIo } from '../../../src-main/cli/cli-context';
import type { Engine } from '../../../src-main/engine/engine';
import { EventBus } from '../../../src-main/engine/events';
import { emptyProgress, type JobRecord } from '../../../src-shared/models/jobs';

/** A job record at `filesDone` of 100 files. */
function jobAt(state: JobRecord['state'], filesDone: number): JobRecord {
  return {
    id: 'job-1',
    kind: 'backup',
    title: 'Back up (full)',
    state,
    writesRoot: true,
    progress: { ...emptyProgress, filesDone, filesTotal: 100 },
    createdAt: '2026-11-30T10:00:00.000Z',
    startedAt: '2026-11-30T10:00:00.000Z',
    finishedAt: state === 'running' ? null : '2026-11-30T10:00:13.000Z',
    result: null,
    error: null,
  };
}

/**
 * An engine whose one job reports progress once a second of `clock` for 13 seconds, then
 * ends: what `followJob` hears from a long backup.
 */
function engineWithJob(clock: { at: number }): Engine {
  const events = new EventBus();
  const jobs = {
    cancel: () => undefined,
    wait: async () => {
      for (let second = 0; second <= 12; second += 1) {
        clock.at = second * 1_000;
        events.emit('job:progress', jobAt('running', second * 5));
      }
      return jobAt('succeeded', 100);
    },
  };
  return { events, requireSession: () => ({ jobs }) } as unknown as Engine;
}

describe('job progress on a stderr that is not a terminal (a cron log, a pipe)', () => {
  it('writes a line at once and then one every 5 seconds, for as long as the job runs', async () => {
    const clock = { at: 0 };
    let stderr = '';
    const io: CliIo = {
      stdout: () => undefined,
      stderr: (text) => void (stderr += text),
      isTty: false,
      now: () => clock.at,
    };
    const context = createCliContext(io, {
      rendererDir: '/nowhere',
      tendScript: '/nowhere/tend.mjs',
      stopSignal: new Promise(() => undefined),
    });
    await context.followJob(engineWithJob(clock), jobAt('running', 0));
    expect(stderr.split('\n').filter(Boolean)).toEqual([
      'Back up (full)  0 of 100 files',
      'Back up (full)  25 of 100 files',
      'Back up (full)  50 of 100 files',
    ]);
  });
});
