import { describe, expect, it } from 'vitest';
import type { BackupRecord } from '../../../src-shared/models/backups';
import { emptyProgress, type JobRecord } from '../../../src-shared/models/jobs';
import {
  backupNotification,
  backupStateAfter,
  backupStatus,
  shortAgo,
  trayBackupTarget,
} from '../../../src-main/electron/backup-tray';
import {
  trayMenuTemplate,
  trayStateAfter,
  trayStatus,
  type TrayState,
} from '../../../src-main/electron/tray-menu';
import { profileInfo } from '../../support/profile-info';

function job(patch: Partial<JobRecord>): JobRecord {
  return {
    id: 'j1',
    kind: 'backup',
    title: 'Back up (critical)',
    state: 'succeeded',
    writesRoot: true,
    progress: { ...emptyProgress },
    createdAt: '2026-11-22T10:00:00.000Z',
    startedAt: '2026-11-22T10:00:00.000Z',
    finishedAt: '2026-11-22T10:01:00.000Z',
    result: {
      id: 'tend-20261122-100000-critical',
      kind: 'critical',
      categories: ['irreplaceable', 'rebuildable'],
      state: 'completed',
      destination: '/mnt/usb',
      fileName: 'tend-20261122-100000-critical.tar.gz',
      createdAt: '2026-11-22T10:00:00.000Z',
      finishedAt: '2026-11-22T10:01:00.000Z',
      durationMs: 60_000,
      archiveBytes: 3 * 1024 ** 2,
      archiveSha256: null,
      files: 12,
      dataBytes: 4 * 1024 ** 2,
      verifyState: 'unverified',
      verifiedAt: null,
      verifyMessage: null,
      warnings: [],
      error: null,
      jobId: 'j1',
      origin: 'created',
      host: 'laptop',
    } satisfies BackupRecord,
    error: null,
    ...patch,
  };
}

const now = new Date('2026-11-22T12:05:00.000Z');

describe('backup tray status', () => {
  it.each([
    ['2026-11-22T12:04:40.000Z', 'just now'],
    ['2026-11-22T11:55:00.000Z', '10 min ago'],
    ['2026-11-22T10:01:00.000Z', '2 h ago'],
    ['2026-11-19T10:00:00.000Z', '3 days ago'],
  ])('%s is %s', (iso, text) => expect(shortAgo(iso, now)).toBe(text));

  it('says how long since the last backup, or that it failed, until the next one succeeds', () => {
    let state = { lastBackupAt: null as string | null, backupFailure: null as string | null };
    expect(backupStatus(state, now)).toBe('No backup yet');
    state = backupStateAfter(state, job({}));
    expect(backupStatus(state, now)).toBe('Last backup 2 h ago');
    state = backupStateAfter(
      state,
      job({
        state: 'failed',
        error: { code: 'NO_SPACE', message: 'The destination /mnt/usb is full.' },
      }),
    );
    expect(backupStatus(state, now)).toBe('Backup failed: The destination /mnt/usb is full.');
    // Other jobs leave it alone.
    expect(backupStateAfter(state, job({ kind: 'verify' }))).toBe(state);
    state = backupStateAfter(state, job({ finishedAt: '2026-11-22T12:00:00.000Z' }));
    expect(backupStatus(state, now)).toBe('Last backup 5 min ago');
  });

  it('shows in the tray menu with a Back up now item, off while a backup runs', () => {
    let state: TrayState = { rootPath: null, runningJob: null, lastError: null };
    state = trayStateAfter(state, 'root:changed', {
      path: '/data/assistant',
      profile: profileInfo(),
      stateDir: '/state/roots/0123456789abcdef',
      movedFrom: null,
      hasAssistantDb: true,
      hasLegacyData: false,
      disk: { freeBytes: 1, totalBytes: 2 },
      lastBackup: { id: 'b', finishedAt: '2026-11-22T10:01:00.000Z', kind: 'critical', bytes: 1 },
    });
    expect(trayStatus(state, now)).toBe('Last backup 2 h ago');
    const menu = trayMenuTemplate(state, now);
    expect(menu).toContainEqual({
      type: 'normal',
      label: 'Back up now',
      enabled: true,
      command: 'back-up-now',
    });
    state = trayStateAfter(state, 'job:progress', job({ state: 'running', finishedAt: null }));
    expect(trayMenuTemplate(state, now)).toContainEqual({
      type: 'normal',
      label: 'Back up now',
      enabled: false,
    });
    state = trayStateAfter(
      state,
      'job:finished',
      job({ state: 'failed', error: { code: 'INTERNAL', message: 'disk gone' } }),
    );
    expect(trayStatus(state, now)).toBe('Backup failed: disk gone');
  });
});

describe('backupNotification', () => {
  it.each([
    [job({}), { title: 'Backup done', body: '12 files backed up (3 MiB).' }],
    [job({ title: 'Scheduled backup (full)' }), null],
    [
      job({
        title: 'Scheduled backup (full)',
        state: 'failed',
        error: { code: 'NO_SPACE', message: 'Full.' },
      }),
      { title: 'Backup failed', body: 'Full.' },
    ],
    [
      job({ state: 'interrupted', error: null }),
      { title: 'Backup failed', body: 'The backup did not finish. Open Tend to see why.' },
    ],
    [job({ state: 'cancelled' }), { title: 'Backup cancelled', body: 'Nothing was written.' }],
    [job({ title: 'Scheduled backup (full)', state: 'cancelled' }), null],
    [job({ kind: 'verify', state: 'failed' }), null],
    [
      job({
        title: 'Back up (critical, encrypted repository)',
        result: {
          snapshotId: '3f2a9c1e'.padEnd(64, '0'),
          parent: null,
          files: { new: 2, changed: 1, unchanged: 9 },
          bytesTotal: 10,
          bytesStored: 2048,
          skipped: [],
          location: '/media/usb/tend',
        },
      }),
      {
        title: 'Backup done',
        body: 'Snapshot 3f2a9c1e: 12 files backed up, 2 KiB added to the encrypted repository.',
      },
    ],
  ])('%#', (record, expected) => {
    expect(backupNotification(record)).toEqual(expected);
  });
});

describe('the tray’s Back up now', () => {
  const repository = { destination: { kind: 'local' as const, folder: '/media/usb/tend' } };
  it.each([
    ['an archive folder is chosen: archives', '/media/usb/archives', repository, 'archives'],
    ['only the repository: the repository, as the schedules', null, repository, 'repository'],
    [
      'neither: archives (NO_DESTINATION says what to set up)',
      null,
      { destination: null },
      'archives',
    ],
    ['the status unread: archives', null, null, 'archives'],
  ] as const)('%s', (_, archiveFolder, status, target) => {
    expect(trayBackupTarget(archiveFolder, status)).toBe(target);
  });
});
