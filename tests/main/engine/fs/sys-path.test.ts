import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeFsError } from '../../../../src-main/engine/fs/fs-error';
import { decodeName } from '../../../../src-main/engine/fs/raw-name';
import {
  lstatEntry,
  makeFolders,
  openFileSync,
  readFolder,
  removeTree,
  renameEntry,
} from '../../../../src-main/engine/fs/sys-fs';
import { tempDir } from '../../../support/temp-dir';

describe('fs calls for any name and any length', () => {
  it('makes, writes, lists, renames and removes a tree deeper than PATH_MAX', () => {
    const base = tempDir();
    const deep = path.join(
      base,
      ...Array.from({ length: 25 }, (_, i) => String(i % 10).repeat(200)),
    );
    expect(Buffer.byteLength(deep)).toBeGreaterThan(4096);
    expect(() => fs.mkdirSync(deep, { recursive: true })).toThrow(/ENAMETOOLONG/);
    makeFolders(deep);
    const fd = openFileSync(path.join(deep, 'file.txt'), 'wx');
    fs.writeSync(fd, 'deep');
    fs.closeSync(fd);
    expect(lstatEntry(path.join(deep, 'file.txt'))?.size).toBe(4);
    renameEntry(path.join(deep, 'file.txt'), path.join(base, 'up.txt'));
    expect(fs.readFileSync(path.join(base, 'up.txt'), 'utf8')).toBe('deep');
    expect(lstatEntry(path.join(deep, 'file.txt'))).toBeUndefined();
    removeTree(path.join(base, '0'.repeat(200)));
    expect(fs.readdirSync(base)).toEqual(['up.txt']);
  });

  it('lists a name that is not UTF-8 exactly, where Node alone gives U+FFFD', () => {
    const base = tempDir();
    fs.writeFileSync(Buffer.from(`${base}/r\xe9sum\xe9.txt`, 'latin1'), 'cv');
    expect(fs.readdirSync(base)).toEqual(['r\uFFFDsum\uFFFD.txt']);
    const [entry] = readFolder(base);
    expect(entry).toEqual({
      name: decodeName(Buffer.from('r\xe9sum\xe9.txt', 'latin1')),
      kind: 'file',
    });
    expect(lstatEntry(path.join(base, entry!.name))?.size).toBe(2);
  });

  it.each([
    [
      Object.assign(new Error("EACCES: permission denied, open '/x/y'"), { code: 'EACCES' }),
      'permission denied (EACCES)',
    ],
    [
      Object.assign(new Error("ENAMETOOLONG: name too long, lstat '/a'"), { code: 'ENAMETOOLONG' }),
      'name too long (ENAMETOOLONG)',
    ],
    [Object.assign(new Error('EACCES'), { code: 'EACCES' }), 'EACCES'],
    [new Error('plain'), 'plain'],
  ])('describes %s once, without the path', (error, words) => {
    expect(describeFsError(error)).toBe(words);
  });
});
