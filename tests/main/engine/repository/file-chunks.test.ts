/**
 * Reading a small file whole for a backup (file-chunks.ts, readWholeFile): every byte, whatever
 * the size lstat gave before the read, into the walk's kept buffer or a buffer of its own.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ReadBuffer, readWholeFile } from '../../../../src-main/engine/repository/file-chunks';
import { tempDir } from '../../../support/temp-dir';
import { noise } from './repository-fixtures';

describe('reading a small file whole', () => {
  it.each([
    ['the size lstat gave', 5000, 0],
    ['an empty file', 0, 0],
    ['a file that grew after its lstat', 5000, -4000],
    ['a file that grew by one byte', 5000, -1],
    ['a file that shrank after its lstat', 5000, 3000],
    ['an empty file that was not empty at its lstat', 0, 100],
  ])('%s: every byte', (_, length, sizeOffBy) => {
    const file = path.join(tempDir(), 'f');
    const bytes = noise(length, 9);
    fs.writeFileSync(file, bytes);
    const size = length + sizeOffBy;
    expect(readWholeFile(file, size)).toEqual(bytes);
    expect(readWholeFile(file, size, new ReadBuffer())).toEqual(bytes);
  });

  it('reads file after file into one kept buffer, each read whole', () => {
    const dir = tempDir();
    const reuse = new ReadBuffer();
    for (const length of [9000, 10, 0, 70_000, 5]) {
      const file = path.join(dir, `f${length}`);
      const bytes = noise(length, length + 1);
      fs.writeFileSync(file, bytes);
      expect(Buffer.from(readWholeFile(file, length, reuse))).toEqual(bytes);
    }
  });
});
