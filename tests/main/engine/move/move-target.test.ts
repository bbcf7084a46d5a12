import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { relateTarget, resolveTarget } from '../../../../src-main/engine/move/move-target';
import { movedPath, readKey, writeKey } from '../../../../src-main/engine/move/config-changes';
import { tempDir } from '../../../support/temp-dir';

describe('relateTarget: where a target sits against the data folder', () => {
  const cases: Array<[string, string, ReturnType<typeof relateTarget>]> = [
    ['/data/assistant', '/data/assistant', 'same'],
    ['/data/assistant', '/data/assistant/', 'same'],
    ['/data/assistant', '/data/assistant/moved', 'inside-source'],
    ['/data/assistant', '/data/assistant/a/b', 'inside-source'],
    // Jan #4988: the target holds the source (its parent, a disk's top folder).
    ['/data/assistant', '/data', 'holds-source'],
    ['/data/assistant', '/', 'holds-source'],
    ['/data/assistant', '/data/assistant-new', 'apart'],
    ['/data/assistant', '/mnt/big/assistant', 'apart'],
    ['/data/assistant-new', '/data/assistant', 'apart'],
  ];
  for (const [source, target, relation] of cases) {
    it(`${target} against ${source}: ${relation}`, () => {
      expect(relateTarget(source, target, '/')).toBe(relation);
    });
  }
});

describe('resolveTarget', () => {
  it('a loop of links is refused with MOVE_TARGET_UNUSABLE', async () => {
    const base = tempDir();
    fs.symlinkSync(path.join(base, 'b'), path.join(base, 'a'));
    fs.symlinkSync(path.join(base, 'a'), path.join(base, 'b'));
    await expect(resolveTarget(path.join(base, 'a', 'data'))).rejects.toMatchObject({
      code: 'MOVE_TARGET_UNUSABLE',
      message: expect.stringContaining('loop of links'),
    });
    await expect(resolveTarget(path.join(base, 'a'))).rejects.toMatchObject({
      code: 'MOVE_TARGET_UNUSABLE',
    });
  });

  it('a missing parent is refused, a new folder in an existing one is fine', async () => {
    const base = tempDir();
    await expect(resolveTarget(path.join(base, 'no', 'data'))).rejects.toMatchObject({
      code: 'MOVE_TARGET_UNUSABLE',
    });
    await expect(resolveTarget(path.join(base, 'data'))).resolves.toMatchObject({
      exists: false,
      real: path.join(base, 'data'),
    });
  });

  it('a link to a folder resolves to the folder (so a link into the source is caught)', async () => {
    const base = tempDir();
    fs.mkdirSync(path.join(base, 'real'));
    fs.symlinkSync(path.join(base, 'real'), path.join(base, 'link'));
    await expect(resolveTarget(path.join(base, 'link', 'data'))).resolves.toMatchObject({
      real: path.join(base, 'real', 'data'),
    });
  });
});

describe('settings values', () => {
  const moved: Array<[string, string | null]> = [
    ['/data/jan', '/mnt/jan'],
    ['/data/jan/', '/mnt/jan'],
    ['/data/jan/models', '/mnt/jan/models'],
    ['/data/jan-old', null],
    ['/elsewhere', null],
  ];
  for (const [value, expected] of moved) {
    it(`movedPath(${value}) is ${expected}`, () => {
      expect(movedPath(value, '/data/jan', '/mnt/jan')).toBe(expected);
    });
  }

  it('reads and writes a dotted key, leaving the rest', () => {
    const json = { a: { data_folder: '/x', keep: 1 }, b: true };
    expect(readKey(json, 'a.data_folder')).toBe('/x');
    expect(readKey(json, 'a.nothing')).toBeNull();
    expect(writeKey(json, 'a.data_folder', '/y')).toEqual({
      a: { data_folder: '/y', keep: 1 },
      b: true,
    });
    expect(json.a.data_folder).toBe('/x');
  });
});
