/**
 * Issue 17 item 8: a bind mount of the data folder (or of a folder inside it) is the data
 * folder, whatever path it shows under, and no backup may go there.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  parseMountInfo,
  placeIn,
  placesOverlap,
} from '../../../../src-main/engine/backup/mount-place';
import { tempDir } from '../../../support/temp-dir';
import { backupFixture } from './backup-fixture';

const mountinfo = [
  '22 1 254:0 / / rw,relatime - ext4 /dev/vda rw',
  '30 22 254:0 /home/ann/assistant/local_data /mnt/backups rw - ext4 /dev/vda rw',
  '31 22 8:17 / /media/usb rw - vfat /dev/sdb1 rw',
  '32 22 254:0 /srv/with\\040space /mnt/spaced rw - ext4 /dev/vda rw',
].join('\n');

describe('places through mounts', () => {
  const mounts = parseMountInfo(mountinfo);
  it.each([
    ['/home/ann/assistant', { device: '254:0', path: '/home/ann/assistant' }],
    ['/mnt/backups/tend', { device: '254:0', path: '/home/ann/assistant/local_data/tend' }],
    ['/media/usb/tend', { device: '8:17', path: '/tend' }],
    ['/mnt/spaced/x', { device: '254:0', path: '/srv/with space/x' }],
  ])('%s lies at %o', (real, place) => {
    expect(placeIn(mounts, real)).toEqual(place);
  });

  it.each([
    ['/mnt/backups/tend', true],
    ['/media/usb/tend', false],
    ['/home/ann/backups', false],
    ['/home/ann', true],
  ])('a destination %s overlaps the data folder: %s', (destination, overlaps) => {
    const root = placeIn(mounts, '/home/ann/assistant')!;
    expect(placesOverlap(root, placeIn(mounts, destination)!)).toBe(overlaps);
  });
});

/** Bind-mounts `source` on `target` when this machine lets the tests do it. */
function bindMount(source: string, target: string): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  try {
    execFileSync('mount', ['--bind', source, target], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('a backup to a bind mount of the data folder', () => {
  it('is refused as inside the data folder, and nothing is written there', async (context) => {
    const { engine, root } = await backupFixture({ destination: false });
    const mountPoint = path.join(tempDir('tend-bind-'), 'mnt');
    fs.mkdirSync(mountPoint);
    const inner = path.join(root, 'local_data');
    if (!bindMount(inner, mountPoint)) {
      await engine.close();
      context.skip('bind mounts need root on Linux (and a system that allows them)');
    }
    try {
      const before = fs.readdirSync(inner).sort();
      const result = await engine.dispatch('backups:create', {
        kind: 'critical',
        destination: path.join(mountPoint, 'tend'),
      });
      expect(result).toMatchObject({ ok: false, error: { code: 'DESTINATION_INSIDE_ROOT' } });
      expect(fs.readdirSync(inner).sort()).toEqual(before);
    } finally {
      execFileSync('umount', [mountPoint]);
      await engine.close();
    }
  });
});
