import type { UnattendedStatus } from '../../../src-shared/models/unattended';

/** A status whose backups stopped three days ago: the disk is unplugged. */
export const stoppedStatus: UnattendedStatus = {
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
  },
  waiting: [],
  checkedAt: '2026-11-30T12:00:00Z',
};
