import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  readSmallFile,
  SMALL_FILE_BYTES,
  type SmallRead,
} from '../../../../src-main/engine/backup/small-file';
import { tempDir } from '../../../support/temp-dir';

type Case = [string, (dir: string) => string, (read: SmallRead) => void];

const cases: ReadonlyArray<Case> = [
  [
    'a plain file: its bytes, no warning',
    (dir) => {
      fs.writeFileSync(path.join(dir, 'memory.json'), '{"kind":"fact"}');
      return 'memory.json';
    },
    (read) => {
      expect(read).toMatchObject({ warning: null });
      expect('data' in read && read.data.toString()).toBe('{"kind":"fact"}');
    },
  ],
  [
    'an empty file: no bytes',
    (dir) => {
      fs.writeFileSync(path.join(dir, 'empty'), '');
      return 'empty';
    },
    (read) => expect('data' in read && read.data.length).toBe(0),
  ],
  [
    'a link put in its place: left out, never read through',
    (dir) => {
      fs.writeFileSync(path.join(dir, 'secret'), 'not in the data folder');
      fs.symlinkSync(path.join(dir, 'secret'), path.join(dir, 'link.json'));
      return 'link.json';
    },
    (read) => expect(read).toEqual({ skipped: expect.stringContaining('ELOOP') }),
  ],
  [
    'a FIFO put in its place: left out at once, the open does not wait for a writer',
    (dir) => {
      execFileSync('mkfifo', [path.join(dir, 'pipe.json')]);
      return 'pipe.json';
    },
    (read) => expect(read).toEqual({ skipped: 'it is no longer a regular file' }),
  ],
  [
    'a file grown past the small size: streamed instead',
    (dir) => {
      fs.writeFileSync(path.join(dir, 'grown.log'), Buffer.alloc(SMALL_FILE_BYTES + 1));
      return 'grown.log';
    },
    (read) => expect(read).toEqual({ large: true }),
  ],
  [
    'a file gone since the scan: left out',
    () => 'gone.json',
    (read) => expect(read).toEqual({ skipped: expect.stringContaining('ENOENT') }),
  ],
];

describe('readSmallFile', () => {
  it.each(cases)('%s', (_, make, check) => {
    const dir = tempDir();
    const buffer = Buffer.alloc(SMALL_FILE_BYTES);
    check(readSmallFile(path.join(dir, make(dir)), buffer));
  });
});
