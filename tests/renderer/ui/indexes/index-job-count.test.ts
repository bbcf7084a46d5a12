import { describe, expect, it } from 'vitest';
import { emptyProgress, type JobRecord } from '../../../../src-shared/models/jobs';
import { indexJobCount } from '../../../../src-renderer/src/ui/indexes/indexes-page';
import { job } from '../../store/fake-client';

/** A running index job of `kind` with `progress` over the empty one. */
function jobWith(kind: JobRecord['kind'], progress: Partial<JobRecord['progress']>): JobRecord {
  return job({ id: 'job-1', kind, progress: { ...emptyProgress, ...progress } });
}

describe('indexJobCount', () => {
  it('counts in the unit the job reports, not one guessed from its kind', () => {
    expect(
      indexJobCount(jobWith('vectors-compact', { filesDone: 2, filesTotal: 5, unit: 'chunk' })),
    ).toBe('2 of 5 chunks');
    expect(
      indexJobCount(jobWith('vectors-health', { filesDone: 1, filesTotal: 1, unit: 'collection' })),
    ).toBe('1 of 1 collection');
  });

  it('falls back to the kind when the job names no unit, and to bytes when it counts none', () => {
    expect(indexJobCount(jobWith('vectors-health', { filesDone: 1, filesTotal: 3 }))).toBe(
      '1 of 3 collections',
    );
    expect(indexJobCount(jobWith('vectors-compact', { filesDone: 10, filesTotal: 40 }))).toBe(
      '10 of 40 vectors',
    );
    expect(indexJobCount(jobWith('vectors-compact', { bytesDone: 1024, bytesTotal: 2048 }))).toBe(
      '1 KiB of 2 KiB',
    );
    expect(indexJobCount(jobWith('vectors-compact', {}))).toBeNull();
  });
});
