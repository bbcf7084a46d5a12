import { describe, expect, it } from 'vitest';
import type { UnattendedStatus } from '../../../src-shared/models/unattended';
import { trayIconFor, trayStatus, type TrayState } from '../../../src-main/electron/tray-menu';
import {
  stoppedNotification,
  stoppedWhy,
  unattendedTrayState,
} from '../../../src-main/electron/unattended-tray';

const status = (
  patch: Partial<UnattendedStatus['backup']> = {},
  waiting: UnattendedStatus['waiting'] = [],
): UnattendedStatus => ({
  backup: {
    state: 'stopped',
    lastSuccessAt: '2026-11-27T03:00:00Z',
    since: '2026-11-27T03:00:00Z',
    hoursWithout: 81,
    warnAfterHours: 48,
    reason: 'destination-missing',
    disk: 'USB',
    headline: 'No backup for 3 days: the backup disk “USB” is not plugged in.',
    detail: 'Plug it in; the next scheduled backup goes there.',
    ...patch,
  },
  waiting,
  checkedAt: '2026-11-30T12:00:00Z',
});

const ok = status({ state: 'ok', reason: null, disk: null, headline: null, detail: null });

describe('the tray when backups stopped or wait', () => {
  const base: TrayState = { rootPath: '/data', runningJob: null, lastError: null };

  it('turns the icon to failed and says how long and why', () => {
    const state = { ...base, unattended: unattendedTrayState(status()) };
    expect(trayIconFor(state)).toBe('failed');
    expect(trayStatus(state)).toBe('No backup for 3 days: the backup disk “USB” is not plugged …');
    expect(trayIconFor({ ...base, unattended: unattendedTrayState(ok) })).toBe('idle');
  });

  it('says that backups wait for power, and not for a backup that is next in line', () => {
    const power = unattendedTrayState(
      status({ state: 'ok', headline: null }, [
        { id: 'backup:daily-critical', cause: 'power', reason: 'On battery at 9%' },
      ]),
    );
    expect(trayStatus({ ...base, unattended: power })).toBe('Backups wait for power (battery low)');
    expect(trayIconFor({ ...base, unattended: power })).toBe('idle');
    const queued = unattendedTrayState(
      status({ state: 'ok', headline: null }, [
        { id: 'backup:weekly-full', cause: 'backup-running', reason: 'next' },
      ]),
    );
    expect(queued.waitingForPower).toBeNull();
  });
});

describe('stoppedNotification', () => {
  const now = new Date('2026-11-30T12:00:00Z');
  it('says it when backups stop, with what to do', () => {
    expect(stoppedNotification(status(), null, now)).toEqual({
      title: 'Backups have stopped',
      body: 'No backup for 3 days: the backup disk “USB” is not plugged in. Plug it in; the next scheduled backup goes there.',
    });
    expect(stoppedNotification(ok, null, now)).toBeNull();
  });

  it('says it again after a day, or at once when the reason changes, never more', () => {
    const last = { at: '2026-11-30T08:00:00Z', why: stoppedWhy(status()) };
    expect(stoppedNotification(status({ hoursWithout: 85 }), last, now)).toBeNull();
    expect(stoppedNotification(status(), last, new Date('2026-12-01T08:00:00Z'))).not.toBeNull();
    expect(
      stoppedNotification(
        status({
          reason: 'last-error',
          disk: null,
          headline: 'No backup for 3 days: the last backup failed.',
        }),
        last,
        now,
      ),
    ).not.toBeNull();
  });
});
