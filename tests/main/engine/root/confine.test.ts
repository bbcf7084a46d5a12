import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { confineToRoot, isWithin } from '../../../../src-main/engine/root/confine';
import { tempDir, writeFile } from '../../../support/temp-dir';

describe('confineToRoot', () => {
  it('accepts paths inside the root, existing or not', async () => {
    const root = tempDir();
    writeFile(path.join(root, 'a/b.txt'));
    expect(await confineToRoot(root, 'a/b.txt')).toBe(path.join(root, 'a/b.txt'));
    expect(await confineToRoot(root, 'a/new/c.txt')).toBe(path.join(root, 'a/new/c.txt'));
    expect(await confineToRoot(root, path.join(root, 'a'))).toBe(path.join(root, 'a'));
  });

  it.each(['../x', '/etc/passwd', 'a/../../x'])('refuses %s', async (candidate) => {
    const root = tempDir();
    await expect(confineToRoot(root, candidate)).rejects.toMatchObject({
      code: 'PATH_OUTSIDE_ROOT',
    });
  });

  it('refuses a path that leaves through a symlinked folder', async () => {
    const root = tempDir();
    const outside = tempDir();
    fs.symlinkSync(outside, path.join(root, 'link'));
    await expect(confineToRoot(root, 'link/file')).rejects.toMatchObject({
      code: 'PATH_OUTSIDE_ROOT',
    });
    await expect(confineToRoot(root, 'link')).rejects.toMatchObject({ code: 'PATH_OUTSIDE_ROOT' });
  });

  it('tells inside from a sibling with a common prefix', () => {
    expect(isWithin('/data/root', '/data/root2/x')).toBe(false);
    expect(isWithin('/data/root', '/data/root/x')).toBe(true);
  });
});
