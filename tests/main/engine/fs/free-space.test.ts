import fs from 'node:fs';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import {
  checkSpace,
  diskSpace,
  diskSpaceSync,
  MIN_SPACE_MARGIN_BYTES,
  spaceMargin,
} from '../../../../src-main/engine/fs/free-space';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

describe('spaceMargin: 5 %, at least 64 MiB', () => {
  it.each<[string, number, number]>([
    ['nothing', 0, 64 * MiB],
    ['a small write', 1, 64 * MiB],
    ['just under the turn (1280 MiB)', 1280 * MiB - 20, 64 * MiB],
    ['the turn: 5 % is 64 MiB', 1280 * MiB, 64 * MiB],
    ['just over the turn', 1280 * MiB + 20, 64 * MiB + 1],
    ['10 GiB', 10 * GiB, Math.ceil(10 * GiB * 0.05)],
  ])('%s', (_, bytes, margin) => {
    expect(spaceMargin(bytes)).toBe(margin);
    expect(spaceMargin(bytes)).toBeGreaterThanOrEqual(MIN_SPACE_MARGIN_BYTES);
  });
});

describe('checkSpace', () => {
  it.each<[string, number, number, boolean]>([
    ['room to spare', 100 * MiB, 1 * GiB, true],
    ['exactly the data and its margin', 100 * MiB, 164 * MiB, true],
    ['one byte short of the margin', 100 * MiB, 164 * MiB - 1, false],
    ['room for the data, not the margin', 100 * MiB, 100 * MiB, false],
    ['a full disk', 1, 0, false],
  ])('%s', (_, bytes, free, enough) => {
    const check = checkSpace(bytes, free);
    expect(check.enough).toBe(enough);
    expect(check.neededBytes).toBe(bytes + check.marginBytes);
    expect(check.freeBytes).toBe(free);
  });
});

describe('diskSpace', () => {
  it('reads the disk of a folder as statfs says, blocking or not', async () => {
    const disk = fs.statfsSync(os.tmpdir());
    const space = await diskSpace(os.tmpdir());
    expect(space.totalBytes).toBe(disk.blocks * disk.bsize);
    expect(space.freeBytes).toBeGreaterThan(0);
    expect(space.freeBytes).toBeLessThanOrEqual(space.totalBytes);
    expect(diskSpaceSync(os.tmpdir()).totalBytes).toBe(space.totalBytes);
  });

  it('is an error for a folder that is not there', async () => {
    await expect(diskSpace('/nonexistent/tend')).rejects.toThrow(/ENOENT/);
    expect(() => diskSpaceSync('/nonexistent/tend')).toThrow(/ENOENT/);
  });
});
