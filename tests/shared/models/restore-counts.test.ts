import { describe, expect, it } from 'vitest';
import type { RestoreReport } from '../../../src-shared/models/restore';
import {
  changedFiles,
  describeRestoreCounts,
  planCounts,
  reportCounts,
  whyNoUndo,
} from '../../../src-shared/models/restore-counts';

const totals = (t: Partial<RestoreReport['totals']>): RestoreReport['totals'] => ({
  added: 0,
  replaced: 0,
  removed: 0,
  addedBytes: 0,
  replacedBytes: 0,
  removedBytes: 0,
  unchanged: 0,
  ...t,
});

function report(overrides: Partial<RestoreReport>): RestoreReport {
  return {
    restoreId: 'r',
    backupId: 'b',
    scope: { kind: 'everything' },
    outcome: 'restored',
    undo: false,
    safetySnapshot: { id: 's', archivePath: '/x/s.tar.gz', files: 2 },
    totals: totals({}),
    checks: [],
    failedCheck: null,
    warnings: [],
    kept: { count: 0, entries: [] },
    startedAt: '2026-11-30T10:00:00Z',
    finishedAt: '2026-11-30T10:00:05Z',
    seconds: 5,
    ...overrides,
  };
}

describe('restore counts', () => {
  it('a plan and its report of one collection restore tell the same story', () => {
    // The numbers: the plan counted 27 replaced of which 25 look unchanged; the
    // restore found those 25 identical and replaced 2.
    const plan = planCounts(totals({ replaced: 27, unchanged: 25 }));
    const done = reportCounts(totals({ replaced: 2, unchanged: 25 }));
    expect(plan).toMatchObject({ replaced: 2, identical: 25, added: 0, removed: 0 });
    expect(done).toMatchObject({ replaced: 2, identical: 25, added: 0, removed: 0 });
    expect(changedFiles(plan)).toBe(changedFiles(done));
    expect(describeRestoreCounts(plan)).toBe(
      '2 files to replace; 25 files look identical and are left alone.',
    );
    expect(describeRestoreCounts(done)).toBe(
      '2 files replaced; 25 files were identical and left alone.',
    );
  });

  it.each<[Partial<RestoreReport['totals']>, 'plan' | 'report', string]>([
    [{ replaced: 1 }, 'report', '1 file replaced.'],
    [{ added: 1 }, 'plan', '1 file to bring back.'],
    [
      { replaced: 135, unchanged: 135 },
      'plan',
      'Nothing to change; 135 files look identical and are left alone.',
    ],
    [{ unchanged: 1 }, 'report', 'No file changed; 1 file was identical and left alone.'],
    [
      { replaced: 3, added: 1, removed: 2 },
      'report',
      '3 files replaced, 1 brought back, 2 removed.',
    ],
    [
      { removed: 1, unchanged: 1, replaced: 1 },
      'plan',
      '1 file to remove; 1 file looks identical and is left alone.',
    ],
  ])('%j as a %s: %s', (t, basis, text) => {
    const counts = basis === 'plan' ? planCounts(totals(t)) : reportCounts(totals(t));
    expect(describeRestoreCounts(counts)).toBe(text);
  });
});

describe('whyNoUndo', () => {
  it.each<[string, Partial<RestoreReport>, string | null]>([
    ['a restore with a snapshot can be undone', {}, null],
    [
      'a single-file restore that found the file identical',
      { safetySnapshot: null, totals: totals({ unchanged: 1 }) },
      'Every file was already identical to the backup, so nothing was changed and there is nothing to undo.',
    ],
    [
      'a restore that only brought files back',
      { safetySnapshot: null, totals: totals({ added: 2 }) },
      expect.stringContaining('delete the 2 files it brought back'),
    ],
    ['an undo', { undo: true }, expect.stringContaining('undo of an earlier restore')],
    ['a rolled-back restore', { outcome: 'rolled-back' }, expect.stringContaining('put back')],
  ])('%s', (_name, overrides, expected) => {
    expect(whyNoUndo(report(overrides))).toEqual(expected);
  });
});
