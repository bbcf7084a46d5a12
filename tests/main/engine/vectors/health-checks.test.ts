import { describe, expect, it } from 'vitest';
import { evaluateHealth, worst } from '../../../../src-main/engine/vectors/health-checks';
import type { InspectReport } from '../../../../src-main/engine/vectors/index-worker-protocol';
import type { CollectionRecord } from '../../../../src-main/engine/store/assistant-db';

const collection: CollectionRecord = {
  id: 'notes',
  name: 'Notes',
  dimension: 8,
  space: 'cosine',
  m: 16,
  efConstruction: 200,
  efSearch: 50,
  createdAt: '2026-01-01T00:00:00Z',
  documentCount: 10,
  chunkCount: 2000,
};

const healthy: InspectReport = {
  loads: true,
  indexCount: 2000,
  deletedCount: 0,
  liveChunks: 2000,
  orphans: 0,
  missing: 0,
  indexDimension: 8,
  recall: 0.99,
  recallSample: 100,
};

const now = new Date('2026-11-23T00:00:00Z');
const statusOf = (report: InspectReport | null) => {
  const health = evaluateHealth(collection, report, null, now);
  return {
    status: health.status,
    checks: Object.fromEntries(health.checks.map((c) => [c.name, c.status])),
    compaction: health.compactionReason,
  };
};

describe('health verdicts', () => {
  it.each([
    ['healthy', healthy, 'ok', {}, null],
    ['empty collection', null, 'ok', {}, null],
    [
      'unreadable',
      { loads: false, reason: 'truncated', liveChunks: 5, indexDimension: null } as InspectReport,
      'bad',
      { loads: 'bad', dimension: 'warning' },
      /does not load/,
    ],
    [
      'of another dimension',
      { loads: false, reason: 'other', liveChunks: 5, indexDimension: 16 } as InspectReport,
      'bad',
      { loads: 'bad', dimension: 'bad' },
      /does not load/,
    ],
    ['15% deleted', { ...healthy, deletedCount: 300 }, 'warning', { deleted: 'warning' }, null],
    ['25% deleted', { ...healthy, deletedCount: 500 }, 'bad', { deleted: 'bad' }, /25% .* deleted/],
    [
      '25% deleted of few vectors',
      { ...healthy, indexCount: 400, liveChunks: 300, deletedCount: 100 },
      'warning',
      { deleted: 'warning' },
      null,
    ],
    [
      'recall 0.85',
      { ...healthy, recall: 0.85 },
      'warning',
      { recall: 'warning' },
      /below the target/,
    ],
    ['recall 0.5', { ...healthy, recall: 0.5 }, 'bad', { recall: 'bad' }, /below the target/],
    ['orphans', { ...healthy, orphans: 3 }, 'bad', { agreement: 'bad' }, /disagree/],
    ['missing', { ...healthy, missing: 3 }, 'bad', { agreement: 'bad' }, /disagree/],
    [
      'wrong dimension',
      { ...healthy, indexDimension: 16 },
      'bad',
      { dimension: 'bad' },
      /dimension/,
    ],
  ] as const)('%s', (_name, report, status, checks, compaction) => {
    const result = statusOf(report);
    expect(result.status).toBe(status);
    expect(result.checks).toMatchObject(checks);
    if (compaction) expect(result.compaction).toMatch(compaction);
    else expect(result.compaction).toBeNull();
  });

  it('takes the worst status', () => {
    expect(worst(['ok', 'warning', 'ok'])).toBe('warning');
    expect(worst(['ok', 'bad', 'warning'])).toBe('bad');
    expect(worst([])).toBe('ok');
  });
});
