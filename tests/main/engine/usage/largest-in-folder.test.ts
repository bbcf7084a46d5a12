import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { largestInFolder } from '../../../../src-main/engine/usage/largest-in-folder';
import { scanUsage } from '../../../../src-main/engine/usage/scanner';
import { findFolder } from '../../../../src-main/engine/usage/usage-tree';
import { nativeCategoryRules } from '../../../support/native-root';
import { tempDir, writeFile } from '../../../support/temp-dir';

describe('largestInFolder', () => {
  it('is exact for a folder whose files are all smaller than the scan kept', async () => {
    const root = tempDir();
    for (let i = 1; i <= 5; i++)
      writeFile(path.join(root, `local_data/models/big-${i}.bin`), Buffer.alloc(10_000 * i));
    for (let i = 1; i <= 6; i++)
      writeFile(path.join(root, `config/small/s-${i}.json`), 'x'.repeat(i * 10));
    const scan = await scanUsage(root, { rules: nativeCategoryRules, largest: 3 });
    expect(scan.largest.map((f) => f.path)).toEqual([
      'local_data/models/big-5.bin',
      'local_data/models/big-4.bin',
      'local_data/models/big-3.bin',
    ]);
    const small = findFolder(scan.root, 'config/small')!;
    expect((await largestInFolder(scan, small, 2)).map((f) => [f.path, f.apparentBytes])).toEqual([
      ['config/small/s-6.json', 60],
      ['config/small/s-5.json', 50],
    ]);
    // Answered from the scan's list when it holds enough of the folder.
    const models = findFolder(scan.root, 'local_data/models')!;
    expect((await largestInFolder(scan, models, 2)).map((f) => f.path)).toEqual([
      'local_data/models/big-5.bin',
      'local_data/models/big-4.bin',
    ]);
    expect((await largestInFolder(scan, models, 4)).map((f) => f.apparentBytes)).toEqual([
      50_000, 40_000, 30_000, 20_000,
    ]);
  });
});
