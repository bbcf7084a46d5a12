import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkDestination,
  destinationPresence,
  diskOfPath,
} from '../../../../src-main/engine/schedule/destination-presence';
import { tempDir } from '../../../support/temp-dir';

describe('diskOfPath', () => {
  it.each([
    ['/media/ana/BACKUP/tend', { name: 'BACKUP', mountPoint: '/media/ana/BACKUP' }],
    ['/media/usb0/tend', { name: 'usb0', mountPoint: '/media/usb0' }],
    ['/run/media/ana/My Disk/tend', { name: 'My Disk', mountPoint: '/run/media/ana/My Disk' }],
    ['/mnt/backup/tend', { name: 'backup', mountPoint: '/mnt/backup' }],
    ['/Volumes/Time Capsule/tend', { name: 'Time Capsule', mountPoint: '/Volumes/Time Capsule' }],
    ['E:\\Tend\\backups', { name: 'E:', mountPoint: 'E:\\' }],
    ['\\\\nas\\backups\\tend', { name: '\\\\nas\\backups', mountPoint: '\\\\nas\\backups' }],
    ['/home/ana/backups', null],
    ['/media', null],
  ])('%s → %j', (destination, disk) => {
    expect(diskOfPath(destination, 'ana')).toEqual(disk);
  });
});

describe('destinationPresence', () => {
  const facts = (exists: boolean, usedBefore: boolean, mountPointExists: boolean | null) => ({
    exists,
    usedBefore,
    mountPointExists,
  });
  it.each([
    ['no destination', null, facts(false, false, null), 'none', null],
    ['there', '/media/ana/USB/tend', facts(true, true, true), 'present', null],
    [
      'the disk is not plugged in',
      '/media/ana/USB/tend',
      facts(false, false, false),
      'missing',
      'USB',
    ],
    [
      'an empty mount point, backups went there before',
      '/mnt/usb/tend',
      facts(false, true, true),
      'missing',
      'usb',
    ],
    [
      'an empty mount point, never used: the first backup makes it',
      '/mnt/usb/tend',
      facts(false, false, true),
      'new',
      null,
    ],
    [
      'a plain folder that held backups and is gone',
      '/srv/backups',
      facts(false, true, null),
      'missing',
      '/srv/backups',
    ],
    ['a plain folder not made yet', '/srv/backups', facts(false, false, null), 'new', null],
  ])('%s', (_name, destination, given, state, disk) => {
    const presence = destinationPresence(destination, given, 'ana');
    expect(presence.state).toBe(state);
    if (presence.state === 'missing') {
      expect(presence.disk).toBe(disk);
      expect(presence.message).toContain(disk);
    }
  });

  it('names the disk to plug in', () => {
    const presence = destinationPresence('/media/ana/USB/tend', facts(false, false, false), 'ana');
    expect(presence.state === 'missing' && presence.message).toBe(
      'The backup disk “USB” is not plugged in (the destination /media/ana/USB/tend is missing). Plug it in; the next scheduled backup goes there.',
    );
  });
});

describe('checkDestination', () => {
  it('tells a folder that went away from one not made yet, and makes nothing', async () => {
    const base = tempDir();
    const used = path.join(base, 'used');
    const fresh = path.join(base, 'fresh');
    fs.mkdirSync(used);
    expect((await checkDestination(used, [used])).state).toBe('present');
    fs.rmdirSync(used);
    expect((await checkDestination(used, [used])).state).toBe('missing');
    expect((await checkDestination(fresh, [used])).state).toBe('new');
    expect(fs.existsSync(used) || fs.existsSync(fresh)).toBe(false);
    expect((await checkDestination(null, [])).state).toBe('none');
  });
});
