import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveDestination } from '../../../../src-main/engine/backup/destination';
import { tempDir } from '../../../support/temp-dir';

function rootAndBase(): { base: string; root: string } {
  const base = tempDir();
  const root = path.join(base, 'root');
  fs.mkdirSync(root);
  return { base, root };
}

describe('resolveDestination', () => {
  it('makes the destination folder itself inside a folder that exists', async () => {
    const { base, root } = rootAndBase();
    const chosen = path.join(base, 'backups');
    expect(
      await resolveDestination(root, chosen, 'critical', path.join(root, '..', 'snapshots')),
    ).toBe(fs.realpathSync(chosen));
    expect(fs.statSync(chosen).isDirectory()).toBe(true);
  });

  it('never makes the path to it: a missing parent is a missing disk, and nothing is made', async () => {
    const { base, root } = rootAndBase();
    const chosen = path.join(base, 'usb-stick', 'tend', 'backups');
    await expect(
      resolveDestination(root, chosen, 'full', path.join(root, '..', 'snapshots')),
    ).rejects.toMatchObject({
      code: 'DESTINATION_UNAVAILABLE',
      message: expect.stringContaining('is missing. Is its disk plugged in?'),
    });
    expect(fs.existsSync(path.join(base, 'usb-stick'))).toBe(false);
  });

  it('names the disk when the mount point of a removable disk is gone', async () => {
    const { root } = rootAndBase();
    const label = `tend-absent-${process.pid}-${Date.now()}`;
    const chosen = `/mnt/${label}/backups`;
    await expect(
      resolveDestination(root, chosen, 'critical', path.join(root, '..', 'snapshots')),
    ).rejects.toMatchObject({
      code: 'DESTINATION_UNAVAILABLE',
      message: expect.stringContaining(`The backup disk “${label}” is not plugged in`),
      details: { disk: label },
    });
    expect(fs.existsSync(`/mnt/${label}`)).toBe(false);
  });
});
