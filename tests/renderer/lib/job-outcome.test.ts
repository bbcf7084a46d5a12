import { describe, expect, it } from 'vitest';
import { describeOutcome } from '../../../src-renderer/src/lib/job-outcome';
import { emptyProgress, type JobRecord } from '../../../src-shared/models/jobs';

const job = (patch: Partial<JobRecord>): JobRecord => ({
  id: 'j',
  kind: 'backup',
  title: 'Back up (critical)',
  state: 'succeeded',
  writesRoot: false,
  progress: { ...emptyProgress },
  createdAt: '2026-11-23T04:30:00.000Z',
  startedAt: '2026-11-23T04:30:00.000Z',
  finishedAt: '2026-11-23T04:30:01.500Z',
  result: null,
  error: null,
  ...patch,
});

const legacyReport = (dryRun: boolean) => ({
  id: 'm1',
  dryRun,
  moved: 15,
  copied: 1,
  droppedIdentical: 0,
  setAside: 1,
  bytes: 82_000,
  backupId: dryRun ? null : 'tend-20261123-043000-pre-migration',
  durationMs: 12,
  moves: Array.from({ length: 17 }, (_, i) => ({
    from: `data/f${i}`,
    to: `local_data/f${i}`,
    action: 'move' as const,
    bytes: 1,
    legacyModifiedAt: '2026-01-01T00:00:00Z',
    existing: null,
  })),
  leftInPlace: [],
  notPutBack: [],
  keptAside: [],
  setAsideFolder: '.tend/legacy-set-aside',
});

describe('describeOutcome', () => {
  it.each<[string, Partial<JobRecord>, object | null]>([
    ['a running job has no outcome yet', { state: 'running', finishedAt: null }, null],
    [
      'an archival of an analytics folder says what moved and what was anonymised',
      {
        kind: 'archival',
        result: {
          dryRun: false,
          hotCutoff: '2026-09-01',
          rowsMoved: 996,
          monthsMoved: ['2026-08'],
          warmDaysDeleted: 0,
          coldFilesWritten: 2,
          coldFilesDeleted: 0,
          rowsRecovered: 0,
          bytesFreed: 0,
          durationMs: 150,
          analytics: { tables: [], rowsAnonymised: 2000, scrubCutoff: '2026-10-31', resumed: null },
        },
      },
      {
        title: 'Archived',
        detail:
          '996 rows of whole months moved out of the hot tier into the monthly tables and the archive; 2,000 rows that stay were anonymised.',
      },
    ],
    [
      'a backup into the repository names its snapshot and what it added',
      {
        title: 'Back up (critical, encrypted repository)',
        result: {
          snapshotId: '3f2a9c1e'.padEnd(64, '0'),
          parent: null,
          files: { new: 12, changed: 3, unchanged: 1459 },
          bytesTotal: 23 * 1024 * 1024,
          bytesStored: 1.5 * 1024 * 1024,
          skipped: [{ path: 'local_data/secret.key', reason: 'could not be read (EACCES)' }],
          location: '/media/usb/tend',
        },
      },
      {
        title: 'Backed up',
        detail:
          'Snapshot 3f2a9c1e: 1,474 files (23 MiB), 12 new, 3 changed, 1,459 unchanged; 1.5 MiB added to the repository. 1 file could not be read and is not in it: local_data/secret.key could not be read (EACCES).',
      },
    ],
    [
      'a quick check of the repository says what it looked at, and how to read every byte',
      {
        kind: 'verify',
        result: { mode: 'quick', ok: true, snapshots: 2, packs: 5, problems: [] },
      },
      {
        title: 'Checked',
        detail:
          '5 packs there, each with its size, for all 2 snapshots (“Check every byte” reads them all).',
      },
    ],
    [
      'a full check of the repository says every blob was read',
      {
        kind: 'verify',
        result: { mode: 'full', ok: true, snapshots: 1, packs: 1, problems: [] },
      },
      {
        title: 'Verified',
        detail:
          'Every blob of 1 pack decrypted and its hash checked: the one snapshot can be restored.',
      },
    ],
    [
      'thinning out the snapshots says what went and what stayed',
      {
        kind: 'prune',
        result: { removed: ['a', 'b'], kept: ['c'], packsRemoved: 1, packsRepacked: 2 },
      },
      {
        title: 'Thinned out',
        detail:
          '2 snapshots forgotten, 1 snapshot kept; 3 packs of their data removed or rewritten.',
      },
    ],
    [
      'a backup says what it wrote',
      {
        result: {
          id: 'tend-20261123-043000-critical',
          kind: 'critical',
          categories: ['irreplaceable'],
          state: 'completed',
          destination: '/b',
          fileName: 'tend-20261123-043000-critical.tar.gz',
          createdAt: '2026-11-23T04:30:00.000Z',
          finishedAt: '2026-11-23T04:30:01.000Z',
          durationMs: 800,
          archiveBytes: 7.9 * 1024 ** 2,
          archiveSha256: 'a'.repeat(64),
          files: 138,
          dataBytes: 17.2 * 1024 ** 2,
          verifyState: 'unverified',
          verifiedAt: null,
          verifyMessage: null,
          warnings: [],
          error: null,
          jobId: 'j',
          origin: 'created',
          host: 'h',
        },
      },
      {
        tone: 'ok',
        title: 'Backed up',
        detail:
          '138 files (17.2 MiB of data) into tend-20261123-043000-critical.tar.gz, a 7.9 MiB archive, in 0.8 s.',
      },
    ],
    [
      'a legacy dry run says nothing changed and what would',
      {
        kind: 'migration',
        title: 'Try the legacy data/ migration (dry run)',
        result: legacyReport(true),
      },
      {
        tone: 'ok',
        title: 'Dry run done: nothing was changed',
        detail:
          'The migration would move 17 files (80 KiB): 15 by rename, 1 by copy, 1 set aside for undo.',
      },
    ],
    [
      'a legacy migration names its backup and its undo',
      {
        kind: 'migration',
        title: 'Migrate legacy data/ into local_data/',
        result: legacyReport(false),
      },
      {
        title: 'Migrated',
        detail: expect.stringContaining('tend-20261123-043000-pre-migration. It can be undone.'),
      },
    ],
    [
      'a cleanup says what it freed and what it left',
      {
        kind: 'cleanup',
        result: {
          planId: 'p',
          kind: 'logs',
          done: [{ path: 'a.log', action: 'delete', freedBytes: 2048 }],
          skipped: [{ path: 'b.log', reason: 'changed' }],
          freedBytes: 2048,
        },
      },
      {
        title: 'Cleaned up',
        detail:
          '1 file cleaned, 2 KiB freed. 1 file left alone because it changed since the preview.',
      },
    ],
    [
      'a failure says the message and what to do',
      {
        kind: 'migration',
        state: 'failed',
        error: { code: 'LEGACY_CONFLICT_UNRESOLVED', message: '1 conflict waits for a choice.' },
      },
      {
        tone: 'bad',
        title: 'Failed',
        detail: '1 conflict waits for a choice.',
        advice: expect.stringContaining('Choose what happens to each conflicting file'),
      },
    ],
    ['a cancelled job', { state: 'cancelled' }, { tone: 'warning', title: 'Cancelled' }],
    [
      'an interrupted job',
      {
        state: 'interrupted',
        error: { code: 'INTERNAL', message: 'Tend stopped while this job was running.' },
      },
      { tone: 'bad', title: 'Interrupted', advice: expect.stringContaining('Start it again') },
    ],
    [
      "a result that is not its kind's shape says only Done",
      { kind: 'cleanup', result: { bytesFreed: 5 } },
      { tone: 'ok', title: 'Done', detail: null },
    ],
  ])('%s', (_name, patch, expected) => {
    const outcome = describeOutcome(job(patch));
    if (expected === null) expect(outcome).toBeNull();
    else expect(outcome).toMatchObject(expected);
  });
});
