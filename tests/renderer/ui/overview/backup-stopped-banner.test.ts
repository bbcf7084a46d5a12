import { createElement } from 'react';
import { describe, expect, it } from 'vitest';
import { BackupStoppedBanner } from '../../../../src-renderer/src/ui/overview/backup-stopped-banner';
import {
  stoppedBannerText,
  waitingForPowerText,
} from '../../../../src-renderer/src/ui/overview/backup-stopped-text';
import type { UnattendedStatus } from '../../../../src-shared/models/unattended';
import { stoppedStatus } from '../../store/unattended-status';
import { renderFromStore } from '../render-from-store';

const running: UnattendedStatus = {
  ...stoppedStatus,
  backup: { ...stoppedStatus.backup, state: 'ok', reason: null, headline: null, detail: null },
};

describe('stoppedBannerText', () => {
  it.each([
    ['destination-missing', 'Open Settings', 'settings'],
    ['no-destination', 'Open Settings', 'settings'],
    ['last-error', 'Open Backups', 'backups'],
    ['not-run', 'Open Settings', 'settings'],
  ] as const)('%s → %s', (reason, label, page) => {
    const text = stoppedBannerText({
      ...stoppedStatus,
      backup: { ...stoppedStatus.backup, reason },
    });
    expect(text).toEqual({
      title: 'No backup for 3 days: the backup disk “USB” is not plugged in.',
      detail: 'Plug it in; the next scheduled backup goes there.',
      action: { label, page },
    });
  });

  it('says nothing while backups run', () => {
    expect(stoppedBannerText(running)).toBeNull();
  });

  it('says when scheduled backups wait for power', () => {
    expect(
      waitingForPowerText({
        ...running,
        waiting: [
          {
            id: 'backup:daily-critical',
            cause: 'power',
            reason: 'On battery at 9% (under 30%): scheduled backups wait for power.',
          },
        ],
      }),
    ).toBe(
      'On battery at 9% (under 30%): scheduled backups wait for power. They start once the computer is plugged in.',
    );
    expect(waitingForPowerText(running)).toBeNull();
  });
});

describe('BackupStoppedBanner', () => {
  function render(status: UnattendedStatus | null): string {
    return renderFromStore(
      createElement(BackupStoppedBanner),
      status ? { unattended: { status: 'ready', value: status } } : {},
    );
  }

  it('shows how long, why, what to do and where, as an alert', () => {
    const html = render(stoppedStatus);
    expect(html).toContain('role="alert"');
    expect(html).toContain('No backup for 3 days: the backup disk “USB” is not plugged in.');
    expect(html).toContain('Open Settings');
  });

  it('shows nothing before the status is known or while backups run', () => {
    expect(render(null)).toBe('');
    expect(render(running)).toBe('');
  });
});
