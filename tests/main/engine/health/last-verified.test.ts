import { describe, expect, it } from 'vitest';
import { verificationFigures } from '../../../../src-main/engine/health/last-verified';
import type { BackupRecord } from '../../../../src-shared/models/backups';

const NOW = new Date('2026-11-30T12:00:00.000Z');

function record(id: string, finishedAt: string, patch: Partial<BackupRecord> = {}): BackupRecord {
  return {
    id,
    kind: 'critical',
    categories: ['irreplaceable', 'rebuildable'],
    state: 'completed',
    destination: '/media/usb/tend',
    fileName: `${id}.tar.gz`,
    createdAt: finishedAt,
    finishedAt,
    durationMs: 1000,
    archiveBytes: 100,
    archiveSha256: null,
    files: 1,
    dataBytes: 100,
    verifyState: 'unverified',
    verifiedAt: null,
    verifyMessage: null,
    warnings: [],
    error: null,
    jobId: null,
    origin: 'created',
    host: 'here',
    ...patch,
  };
}

const verified = { verifyState: 'verified', verifiedAt: '2026-11-29T06:10:00.000Z' } as const;

describe('verificationFigures', () => {
  it('says none is verified, and counts every backup as waiting for a check', () => {
    const figures = verificationFigures(
      [record('a', '2026-11-28T03:00:00.000Z'), record('b', '2026-11-29T03:00:00.000Z')],
      new Map(),
      NOW,
    );
    expect(figures).toEqual({ last: null, newerUnverified: 2 });
  });

  it('takes the newest verified backup, its age in whole hours, and the newer unverified ones', () => {
    const figures = verificationFigures(
      [
        record('newest', '2026-11-30T03:00:00.000Z'),
        record('damaged', '2026-11-29T03:00:00.000Z', { verifyState: 'failed' }),
        record('checked', '2026-11-27T02:30:00.000Z', verified),
        record('older-checked', '2026-11-20T03:00:00.000Z', verified),
      ],
      new Map(),
      NOW,
    );
    expect(figures).toEqual({
      last: {
        id: 'checked',
        kind: 'critical',
        finishedAt: '2026-11-27T02:30:00.000Z',
        verifiedAt: '2026-11-29T06:10:00.000Z',
        ageHours: 81,
        problem: null,
      },
      newerUnverified: 1,
    });
  });

  it('leaves out safety snapshots and backups that did not complete, whatever their order', () => {
    const figures = verificationFigures(
      [
        record('old', '2026-11-01T03:00:00.000Z', verified),
        record('snapshot', '2026-11-30T10:00:00.000Z', { ...verified, kind: 'pre-restore' }),
        record('migration', '2026-11-30T09:00:00.000Z', { ...verified, kind: 'pre-migration' }),
        record('broken', '2026-11-30T08:00:00.000Z', { ...verified, state: 'failed' }),
        record('full', '2026-11-29T04:00:00.000Z', { ...verified, kind: 'full' }),
      ],
      new Map(),
      NOW,
    );
    expect(figures.last).toMatchObject({ id: 'full', kind: 'full', ageHours: 32 });
    expect(figures.newerUnverified).toBe(0);
  });

  it('says why the verified backup cannot be restored now', () => {
    const figures = verificationFigures(
      [record('checked', '2026-11-29T03:00:00.000Z', verified)],
      new Map([['checked', 'its archive checked.tar.gz is missing from /media/usb/tend']]),
      NOW,
    );
    expect(figures.last?.problem).toBe(
      'its archive checked.tar.gz is missing from /media/usb/tend',
    );
  });
});
