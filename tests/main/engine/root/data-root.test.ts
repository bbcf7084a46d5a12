import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkRootFolder,
  createRootFolder,
  ensureTendDir,
} from '../../../../src-main/engine/root/data-root';
import { defaultFolders } from '../../../../src-main/engine/root/layout';
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

  it('refuses a root where Tend cannot write its state', async () => {
    // Works as root too, where permission bits are not enforced: .tend is a file here.
    const root = tempDir();
    writeFile(path.join(root, '.tend'), 'in the way');
    await expect(ensureTendDir(root)).rejects.toMatchObject({ code: 'ROOT_NOT_WRITABLE' });
    expect(fs.readFileSync(path.join(root, '.tend'), 'utf8')).toBe('in the way');
  });

  it('creates the default layout in a new folder', async () => {
    const dir = tempDir();
    const root = await createRootFolder(path.join(dir, 'new-root'));
    for (const folder of defaultFolders) {
      expect(fs.statSync(path.join(root, folder)).isDirectory()).toBe(true);
    }
  });

  it('never lays its layout over somebody’s files', async () => {
    const dir = tempDir();
    writeFile(path.join(dir, 'root/notes.txt'), 'mine');
    await expect(createRootFolder(path.join(dir, 'root'))).rejects.toMatchObject({
      code: 'ROOT_NOT_EMPTY',
    });
    expect(fs.readdirSync(path.join(dir, 'root'))).toEqual(['notes.txt']);
  });
});
