import { describe, expect, it } from 'vitest';
import type { BackupRecord } from '../../../../src-shared/models/backups';
import { planRetention } from '../../../../src-main/engine/backup/retention';

function record(id: string, createdAt: string, extra: Partial<BackupRecord> = {}): BackupRecord {
  return {
    id,
    kind: 'critical',
    categories: ['irreplaceable', 'rebuildable'],
    state: 'completed',
    destination: '/backups',
    fileName: `${id}.tar.gz`,
    createdAt,
    finishedAt: createdAt,
    durationMs: 1000,
    archiveBytes: 100,
    archiveSha256: null,
    files: 1,
    dataBytes: 1,
    verifyState: 'unverified',
    verifiedAt: null,
    verifyMessage: null,
    warnings: [],
    error: null,
    jobId: null,
    origin: 'created',
    host: 'h',
    ...extra,
  };
}

/** One backup a day at 03:00 UTC for `days` days, newest first, ending 2026-11-22. */
function daily(days: number): BackupRecord[] {
  const end = Date.UTC(2026, 10, 22, 3);
  return Array.from({ length: days }, (_, i) => {
    const at = new Date(end - i * 86_400_000).toISOString();
    return record(`d${i}`, at);
  });
}

const owned = (item: BackupRecord) => item.origin === 'created';

describe('planRetention (grandfather-father-son)', () => {
  it.each([
    // [days of daily backups, policy, expected kept]
    [3, { daily: 7, weekly: 4, monthly: 12 }, 3],
    [10, { daily: 7, weekly: 0, monthly: 0 }, 7],
    // 7 newest days, plus the newest of 4 ISO weeks (3 already among the days) and of months.
    [60, { daily: 7, weekly: 4, monthly: 12 }, 7 + 3 + 2],
    // Whatever the numbers, the newest backup of a kind stays.
    [60, { daily: 0, weekly: 0, monthly: 0 }, 1],
    [400, { daily: 7, weekly: 4, monthly: 12 }, 7 + 3 + 11],
  ])('%i daily backups under %o keep %i', (days, policy, kept) => {
    const decisions = planRetention(daily(days), policy, owned);
    expect(decisions).toHaveLength(days);
    expect(decisions.filter((item) => item.action === 'keep')).toHaveLength(kept);
  });

  it('says why each backup stays or goes', () => {
    const decisions = planRetention(daily(10), { daily: 2, weekly: 1, monthly: 1 }, owned);
    expect(decisions[0]).toMatchObject({
      id: 'd0',
      action: 'keep',
      reason: 'newest critical backup (the last of each kind is always kept)',
    });
    expect(decisions[1]).toMatchObject({
      action: 'keep',
      reason: 'daily slot of critical backups: newest of 2026-11-21',
    });
    expect(decisions[2]).toMatchObject({
      action: 'delete',
      restorable: true,
      reason: 'outside the daily, weekly and monthly slots of critical backups',
    });
  });

  it('keeps the newest of several backups on one day', () => {
    const records = [
      record('late', '2026-11-22T20:00:00.000Z'),
      record('early', '2026-11-22T03:00:00.000Z'),
    ];
    const decisions = planRetention(records, { daily: 1, weekly: 0, monthly: 0 }, owned);
    expect(decisions.map((item) => [item.id, item.action])).toEqual([
      ['late', 'keep'],
      ['early', 'delete'],
    ]);
  });

  it('never deletes the newest verified backup', () => {
    const records = daily(30);
    records[20] = { ...records[20]!, verifyState: 'verified' };
    records[25] = { ...records[25]!, verifyState: 'verified' };
    const decisions = planRetention(records, { daily: 1, weekly: 0, monthly: 0 }, owned);
    expect(decisions.find((item) => item.id === 'd20')).toMatchObject({
      action: 'keep',
      reason: 'newest verified backup (always kept)',
    });
    expect(decisions.find((item) => item.id === 'd25')?.action).toBe('delete');
  });

  it('keeps what another machine wrote, and ignores failed or interrupted backups', () => {
    const records = [
      record('mine', '2026-11-22T03:00:00.000Z'),
      record('theirs', '2026-01-01T03:00:00.000Z', { origin: 'imported', host: 'other' }),
      record('broken', '2025-01-01T03:00:00.000Z', { state: 'interrupted' }),
    ];
    const decisions = planRetention(
      [record('older', '2026-11-21T03:00:00.000Z'), ...records],
      { daily: 0, weekly: 0, monthly: 0 },
      owned,
    );
    expect(decisions.map((item) => [item.id, item.action, item.reason])).toEqual([
      ['mine', 'keep', 'newest critical backup (the last of each kind is always kept)'],
      ['older', 'delete', 'outside the daily, weekly and monthly slots of critical backups'],
      ['theirs', 'keep', 'written by another machine or data folder'],
    ]);
  });

  it('keeps the two newest safety snapshots of each kind outside the rotation', () => {
    const snapshots = [1, 2, 3].map((n) =>
      record(`pre${n}`, `2026-11-2${n}T03:00:00.000Z`, { kind: 'pre-restore' }),
    );
    const decisions = planRetention(snapshots, { daily: 0, weekly: 0, monthly: 0 }, owned);
    expect(decisions.map((item) => [item.id, item.action])).toEqual([
      ['pre3', 'keep'],
      ['pre2', 'keep'],
      ['pre1', 'delete'],
    ]);
  });
});

describe('retention by kind, and only over restorable backups', () => {
  it('keeps a full backup made just before a critical one: a critical backup never fills a full slot', () => {
    const records = [
      record('critical', '2026-11-22T03:00:04.000Z'),
      record('full', '2026-11-22T03:00:00.000Z', { kind: 'full' }),
      record('older-full', '2026-11-21T03:00:00.000Z', { kind: 'full' }),
    ];
    const decisions = planRetention(records, { daily: 1, weekly: 0, monthly: 0 }, owned);
    expect(decisions.map((item) => [item.id, item.kind, item.action, item.reason])).toEqual([
      [
        'critical',
        'critical',
        'keep',
        'newest critical backup (the last of each kind is always kept)',
      ],
      ['full', 'full', 'keep', 'newest full backup (the last of each kind is always kept)'],
      [
        'older-full',
        'full',
        'delete',
        'outside the daily, weekly and monthly slots of full backups',
      ],
    ]);
  });

  it.each([
    // [policy, kept ids] — two backups on a disk, the newest on a drive since wiped.
    [{ daily: 1, weekly: 0, monthly: 0 }, ['wiped', 'on-disk-2']],
    [{ daily: 2, weekly: 0, monthly: 0 }, ['wiped', 'on-disk-2', 'on-disk-1']],
    [{ daily: 0, weekly: 0, monthly: 0 }, ['wiped', 'on-disk-2']],
  ])('never lets a missing archive take a slot (%o keeps %o)', (policy, kept) => {
    const records = [
      record('wiped', '2026-11-22T03:00:00.000Z'),
      record('on-disk-2', '2026-11-21T03:00:00.000Z'),
      record('on-disk-1', '2026-11-20T03:00:00.000Z'),
    ];
    const unavailable = new Map([['wiped', 'its archive is missing from /media/usb']]);
    const decisions = planRetention(records, policy, owned, unavailable);
    expect(decisions.filter((item) => item.action === 'keep').map((item) => item.id)).toEqual(kept);
    expect(decisions[0]).toMatchObject({
      restorable: false,
      reason: expect.stringMatching(/^not restorable: its archive is missing/),
    });
  });

  it('never removes the last backup of a kind, even when the only full one is old', () => {
    const records = [
      ...daily(10),
      record('the-full', '2025-06-01T04:00:00.000Z', { kind: 'full' }),
    ];
    const decisions = planRetention(records, { daily: 3, weekly: 0, monthly: 0 }, owned);
    expect(decisions.find((item) => item.id === 'the-full')).toMatchObject({ action: 'keep' });
    expect(decisions.filter((item) => item.action === 'keep')).toHaveLength(4);
  });
});
