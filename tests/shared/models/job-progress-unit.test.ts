import { describe, expect, it } from 'vitest';
import { emptyProgress, mergeProgress } from '../../../src-shared/models/jobs';

describe('mergeProgress and the counted unit', () => {
  it('keeps the unit while the same count goes on, and a new total without one counts files', () => {
    const health = mergeProgress(emptyProgress, {
      filesDone: 0,
      filesTotal: 3,
      unit: 'collection',
    });
    expect(mergeProgress(health, { filesDone: 1 })).toMatchObject({
      filesDone: 1,
      unit: 'collection',
    });
    const next = mergeProgress(health, { filesTotal: 9 });
    expect(next.unit).toBeUndefined();
  });
});
