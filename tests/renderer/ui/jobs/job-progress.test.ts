import { describe, expect, it } from 'vitest';
import { emptyProgress, type JobRecord } from '../../../../src-shared/models/jobs';
import { describeProgress } from '../../../../src-renderer/src/ui/jobs/job-progress';

/** A running job with `progress` over the empty one. */
function jobWith(progress: Partial<JobRecord['progress']>): JobRecord {
  return {
    id: 'job-1',
    kind: 'vectors-health',
    title: 'Index health',
    state: 'running',
    writesRoot: false,
    progress: { ...emptyProgress, ...progress },
    createdAt: '2026-11-30T00:00:00Z',
    startedAt: '2026-11-30T00:00:00Z',
    finishedAt: null,
    result: null,
    error: null,
  };
}

describe('describeProgress', () => {
  it.each([
    [{ filesDone: 1, filesTotal: 3, unit: 'collection' as const }, '1 of 3 collections'],
    [{ filesDone: 4, filesTotal: 9, unit: 'pack' as const }, '4 of 9 packs'],
    [{ filesDone: 1, filesTotal: 3 }, '1 of 3 files'],
  ])('%j reads "%s"', (progress, text) => {
    expect(describeProgress(jobWith(progress))).toBe(text);
  });
});
