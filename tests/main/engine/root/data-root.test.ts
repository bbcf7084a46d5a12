import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkRootFolder,
  createRootFolder,
  ensureStateDir,
} from '../../../../src-main/engine/root/data-root';
import { nativeNewRootFolders } from '../../../../src-main/engine/profiles/native/native-paths';
import { rootStateAt } from '../../../../src-main/engine/root/root-state';
import { tempDir, writeFile } from '../../../support/temp-dir';

describe('data root folders', () => {
  it('refuses a folder that does not exist, a file, and a relative path', async () => {
    const dir = tempDir();
    writeFile(path.join(dir, 'file'));
    await expect(checkRootFolder(path.join(dir, 'missing'))).rejects.toMatchObject({
      code: 'ROOT_NOT_FOUND',
    });
    await expect(checkRootFolder(path.join(dir, 'file'))).rejects.toMatchObject({
      code: 'ROOT_NOT_DIRECTORY',
    });
    await expect(checkRootFolder('relative/dir')).rejects.toMatchObject({ code: 'ROOT_NOT_FOUND' });
  });

  it.skipIf(process.getuid?.() === 0)('refuses a folder without write permission', async () => {
    const locked = path.join(tempDir(), 'locked');
    fs.mkdirSync(locked, { mode: 0o500 });
    await expect(checkRootFolder(locked)).rejects.toMatchObject({ code: 'ROOT_NOT_WRITABLE' });
  });

  it('refuses a state folder Tend cannot write, and says where it is', async () => {
    // Works as root too, where permission bits are not enforced: a file is in the way.
    const base = tempDir();
    writeFile(path.join(base, 'state'), 'in the way');
    await expect(ensureStateDir(rootStateAt(path.join(base, 'state')))).rejects.toMatchObject({
      code: 'STATE_UNWRITABLE',
      message: expect.stringContaining(path.join(base, 'state')),
    });
    expect(fs.readFileSync(path.join(base, 'state'), 'utf8')).toBe('in the way');
  });

  it('creates the profile’s folders in a new folder', async () => {
    const dir = tempDir();
    const root = await createRootFolder(path.join(dir, 'new-root'), nativeNewRootFolders);
    for (const folder of nativeNewRootFolders) {
      expect(fs.statSync(path.join(root, folder)).isDirectory()).toBe(true);
    }
  });

  it('never lays its layout over somebody’s files', async () => {
    const dir = tempDir();
    writeFile(path.join(dir, 'root/notes.txt'), 'mine');
    await expect(
      createRootFolder(path.join(dir, 'root'), nativeNewRootFolders),
    ).rejects.toMatchObject({
      code: 'ROOT_NOT_EMPTY',
    });
    expect(fs.readdirSync(path.join(dir, 'root'))).toEqual(['notes.txt']);
  });
});
