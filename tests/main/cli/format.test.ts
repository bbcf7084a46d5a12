import { describe, expect, it } from 'vitest';
import { formatRestorePlan } from '../../../src-main/cli/commands/restore';
import { formatOverview, formatProgress } from '../../../src-main/cli/format';
import { emptyProgress } from '../../../src-shared/models/jobs';
import type { RestorePlan } from '../../../src-shared/models/restore';
import type { RootInfo } from '../../../src-shared/models/root';
import { rootInfo } from '../../support/root-info';

/** A root as `tend info` gets it, with no backup yet. */
const overviewRoot = (path = '/data/root'): RootInfo => ({
  ...rootInfo(path),
  disk: { freeBytes: 5 * 1024 ** 3, totalBytes: 20 * 1024 ** 3 },
});

const emptyUsage = {
  totalBytes: 0,
  totalFiles: 0,
  categories: [],
  measuredAt: '2026-11-30T10:00:00Z',
  durationMs: 1,
  watch: { live: false, why: null },
};

describe('the CLI speaks as the app does', () => {
  it('writes sizes in binary units, kinds and dates by their names', () => {
    const text = formatOverview(
      {
        ...overviewRoot(),
        lastBackup: {
          id: 'tend-x',
          finishedAt: new Date(2026, 10, 30, 10, 18).toISOString(),
          kind: 'critical',
          bytes: 7.9 * 1024 ** 2,
        },
      },
      {
        root: '/data/root',
        totalBytes: 17.2 * 1024 ** 2,
        totalFiles: 1,
        categories: [{ category: 'irreplaceable', bytes: 17.2 * 1024 ** 2, files: 1 }],
        measuredAt: '2026-11-30T10:00:00Z',
        durationMs: 1,
        watch: { live: false, why: null },
      },
    );
    expect(text).toContain('Profile      Local assistant (native)\n');
    expect(text).not.toContain('Moved');
    expect(text).toContain('5 GiB free of 20 GiB');
    expect(text).toContain('17.2 MiB in 1 file\n');
    expect(text).toContain('Last backup  Nov 30, 2026, 10:18 (Critical, 7.9 MiB archive)');
    expect(text).not.toMatch(/\bMB\b|\bGB\b/);
  });

  it('says when the last backup is a snapshot in the encrypted repository', () => {
    const text = formatOverview(
      {
        ...overviewRoot(),
        lastBackup: {
          id: '3f2a9c1e'.padEnd(64, '0'),
          finishedAt: new Date(2026, 10, 30, 3, 1).toISOString(),
          kind: 'critical',
          bytes: 23 * 1024 ** 2,
          encrypted: true,
        },
      },
      { ...emptyUsage, root: '/data/root' },
    );
    expect(text).toContain(
      'Last backup  Nov 30, 2026, 03:01 (Critical, encrypted snapshot 3f2a9c1e of 23 MiB)',
    );
  });

  it('says where a data folder was found moved from', () => {
    const text = formatOverview(
      {
        ...overviewRoot('/data/renamed'),
        movedFrom: { path: '/data/root', at: new Date(2026, 10, 30, 9, 5).toISOString() },
        disk: { freeBytes: 1024 ** 3, totalBytes: 2 * 1024 ** 3 },
      },
      { ...emptyUsage, root: '/data/renamed' },
    );
    expect(text).toContain(
      'Moved        from /data/root (found Nov 30, 2026, 09:05; its history came along)\n',
    );
  });

  it.each<[Partial<typeof emptyProgress>, string]>([
    [{ filesDone: 26, filesTotal: 4 }, 'Restore  26 files'],
    [{ filesDone: 0, filesTotal: 1 }, 'Restore  0 of 1 file'],
    [
      { bytesDone: 1024 ** 2, bytesTotal: 4 * 1024 ** 2, filesDone: 3, filesTotal: 9 },
      'Restore  25%  1 MiB of 4 MiB  3 of 9 files',
    ],
    // The time left in words, as the app says it, never "about 23270s left".
    [
      { filesDone: 0, filesTotal: 1, etaSeconds: 23_270 },
      'Restore  0 of 1 file  about 6 hours 28 minutes left',
    ],
    [
      { filesDone: 0, filesTotal: 1, etaSeconds: 30 },
      'Restore  0 of 1 file  less than a minute left',
    ],
    // The noun fits what is counted: a health check counts collections (their indexes).
    [{ filesDone: 1, filesTotal: 3, unit: 'collection' }, 'Restore  1 of 3 collections'],
    [{ filesDone: 2, filesTotal: 7, unit: 'pack' }, 'Restore  2 of 7 packs'],
    [{ filesDone: 10, filesTotal: 200, unit: 'vector' }, 'Restore  10 of 200 vectors'],
  ])('progress %j → %s', (progress, text) => {
    expect(formatProgress('Restore', { ...emptyProgress, ...progress })).toBe(text);
  });

  it('counts a restore plan as the app does', () => {
    const plan = {
      backup: {
        id: 'tend-20261130-101856-critical',
        kind: 'critical',
        createdAt: '2026-11-30T10:18:56Z',
        archivePath: '/b/x.tar.gz',
        tendVersion: '0.1.0',
        categories: ['irreplaceable'],
        files: 52,
        bytes: 1024,
        verified: true,
      },
      scope: { kind: 'collection', collection: 'notes' },
      totals: {
        added: 0,
        replaced: 27,
        removed: 0,
        addedBytes: 0,
        replacedBytes: 2048,
        removedBytes: 0,
        unchanged: 25,
      },
      changes: [],
      collections: [],
      space: { neededBytes: 1, freeBytes: 2 },
      assistantLocks: [],
      refusals: [],
      warnings: [],
      kept: { count: 0, entries: [] },
      plannedAt: '2026-11-30T10:20:00Z',
    } satisfies RestorePlan;
    const text = formatRestorePlan(plan);
    expect(text).toContain(
      'Files       2 files to replace; 25 files look identical and are left alone.',
    );
    expect(text).toContain('Replaces    2 files and checks 25 that look identical (2 KiB at most)');
  });
});
