import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { moveFile } from '../../../../src-main/engine/maintenance/file-moves';
import { tempDir, writeFile } from '../../../support/temp-dir';

// /dev/shm is a tmpfs on Linux: a second filesystem beside the temp folder.
const otherFs =
  fs.existsSync('/dev/shm') && fs.statSync('/dev/shm').dev !== fs.statSync(tempDir()).dev;

describe('moveFile', () => {
  it('renames within a filesystem and never overwrites', async () => {
    const dir = tempDir();
    writeFile(path.join(dir, 'a.txt'), 'alpha');
    writeFile(path.join(dir, 'b.txt'), 'beta');
    expect(await moveFile(path.join(dir, 'a.txt'), path.join(dir, 'sub/a.txt'))).toBe('renamed');
    expect(fs.readFileSync(path.join(dir, 'sub/a.txt'), 'utf8')).toBe('alpha');
    await expect(moveFile(path.join(dir, 'b.txt'), path.join(dir, 'sub/a.txt'))).rejects.toThrow(
      /overwrite/,
    );
    expect(fs.readFileSync(path.join(dir, 'b.txt'), 'utf8')).toBe('beta');
  });

  it.skipIf(!otherFs)(
    'copies, checks and then deletes across filesystems, keeping the mtime',
    async () => {
      const source = fs.mkdtempSync('/dev/shm/tend-move-');
      try {
        const from = path.join(source, 'big.bin');
        fs.writeFileSync(from, Buffer.alloc(3 * 1024 * 1024, 9));
        fs.utimesSync(from, new Date('2025-01-02'), new Date('2025-01-02'));
        const to = path.join(tempDir(), 'moved/big.bin');
        expect(await moveFile(from, to)).toBe('copied');
        expect(fs.existsSync(from)).toBe(false);
        expect(fs.statSync(to).size).toBe(3 * 1024 * 1024);
        expect(fs.statSync(to).mtime.toISOString()).toBe('2025-01-02T00:00:00.000Z');
        expect(fs.existsSync(`${to}.tend-partial`)).toBe(false);
      } finally {
        fs.rmSync(source, { recursive: true, force: true });
      }
    },
  );
});
