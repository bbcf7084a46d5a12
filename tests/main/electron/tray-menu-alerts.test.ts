import { describe, expect, it } from 'vitest';
import type { UsageAlert } from '../../../src-shared/models/usage';
import {
  trayMenuTemplate,
  trayStateAfter,
  trayStatus,
  type TrayState,
} from '../../../src-main/electron/tray-menu';
import { profileInfo } from '../../support/profile-info';

const alert: UsageAlert = {
  key: 'free-space',
  kind: 'free-space',
  category: null,
  title: 'Only 1 GB free on the data disk',
  message: 'Free space is under the 5 GB threshold.',
  raisedAt: '2026-11-23T10:00:00Z',
  value: 1e9,
  threshold: 5e9,
};
const idle: TrayState = { rootPath: '/data/assistant', runningJob: null, lastError: null };

describe('tray status with disk alerts', () => {
  it('shows the latest alert instead of "Watching", in the status line and the menu', () => {
    const state = trayStateAfter(idle, 'alert:raised', alert);
    expect(trayStatus(idle)).toBe('Watching assistant');
    expect(trayStatus(state)).toBe('Warning: Only 1 GB free on the data disk');
    expect(trayMenuTemplate(state)[0]).toMatchObject({ label: trayStatus(state) });
  });

  it('lets a running job and a failure speak first, and forgets the alert with the root', () => {
    const alerted = trayStateAfter(idle, 'alert:raised', alert);
    expect(trayStatus({ ...alerted, lastError: 'Backup failed' })).toBe('Failed: Backup failed');
    expect(
      trayStatus({
        ...alerted,
        runningJob: { id: 'j', kind: 'backup', title: 'Backing up', percent: 5 },
      }),
    ).toBe('Backing up — 5%');
    const reopened = trayStateAfter(alerted, 'root:changed', {
      path: '/data/other',
      profile: profileInfo(),
      stateDir: '/state/roots/0123456789abcdef',
      movedFrom: null,
      hasAssistantDb: true,
      hasLegacyData: false,
      disk: { freeBytes: 1, totalBytes: 2 },
      lastBackup: null,
    });
    expect(trayStatus(reopened)).toBe('Watching other');
  });
});
