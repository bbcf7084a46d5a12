import { describe, expect, it } from 'vitest';
import { dateToNanos } from '../../../../src-main/engine/repository/go-time';
import {
  planSnapshotRetention,
  snapshotKind,
} from '../../../../src-main/engine/repository/snapshot-retention';
import type { SnapshotEntry } from '../../../../src-main/engine/repository/snapshot-reader';

function snapshot(id: string, iso: string, tags: string[]): SnapshotEntry {
  return { id, time: dateToNanos(new Date(iso)), tree: 'f'.repeat(64), paths: ['/root'], tags };
}

describe('snapshotKind', () => {
  it.each([
    [['tend', 'kind:critical'], 'critical'],
    [['tend', 'kind:full'], 'full'],
    [['tend', 'kind:nonsense'], 'full'],
    [[], 'full'],
  ])('%j is %s', (tags, kind) => {
    expect(snapshotKind({ tags })).toBe(kind);
  });
});

describe('planSnapshotRetention', () => {
  it('keeps the newest of each day, week and month, and never what Tend did not write', () => {
    const snapshots = [
      snapshot('a1', '2026-11-30T12:00:00Z', ['tend', 'kind:full']),
      snapshot('a2', '2026-11-30T08:00:00Z', ['tend', 'kind:full']), // same day as a1
      snapshot('a3', '2026-11-29T08:00:00Z', ['tend', 'kind:full']),
      snapshot('r1', '2026-11-30T07:00:00Z', []), // restic's own
    ];
    const plan = planSnapshotRetention(snapshots, { daily: 7, weekly: 4, monthly: 12 });
    const action = Object.fromEntries(plan.map((decision) => [decision.id, decision.action]));
    expect(action).toEqual({ a1: 'keep', a2: 'delete', a3: 'keep', r1: 'keep' });
    expect(plan.find((decision) => decision.id === 'r1')!.reason).toMatch(/another/);
  });

  it('with a policy of one day, keeps only the newest of each kind', () => {
    const snapshots = [
      snapshot('c1', '2026-11-30T12:00:00Z', ['tend', 'kind:critical']),
      snapshot('c2', '2026-11-20T12:00:00Z', ['tend', 'kind:critical']),
      snapshot('f1', '2026-11-10T12:00:00Z', ['tend', 'kind:full']),
    ];
    const plan = planSnapshotRetention(snapshots, { daily: 1, weekly: 0, monthly: 0 });
    expect(plan.filter((decision) => decision.action === 'keep').map((d) => d.id)).toEqual([
      'c1',
      'f1',
    ]);
  });
});
