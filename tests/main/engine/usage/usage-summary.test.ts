import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { summarizeUsage } from '../../../../src-main/engine/usage/usage-summary';
import { nativeCategoryRules } from '../../../support/native-root';
import { tempDir, writeFile } from '../../../support/temp-dir';

describe('summarizeUsage', () => {
  it('sums files by category, hard links once, links as links, without .tend', async () => {
    const root = tempDir();
    const outside = tempDir();
    writeFile(path.join(outside, 'huge.bin'), Buffer.alloc(50_000));
    writeFile(path.join(root, 'local_data/internal_assistant/assistant.db'), Buffer.alloc(1000));
    writeFile(
      path.join(root, 'local_data/internal_assistant/vector_store/c/index.hnsw'),
      Buffer.alloc(300),
    );
    writeFile(path.join(root, 'local_data/models/m/model.safetensors'), Buffer.alloc(5000));
    writeFile(path.join(root, 'local_data/logs/app.log'), Buffer.alloc(70));
    writeFile(path.join(root, '.tend/catalog.db'), Buffer.alloc(9999));
    fs.linkSync(
      path.join(root, 'local_data/models/m/model.safetensors'),
      path.join(root, 'local_data/models/m/model-copy.safetensors'),
    );
    const link = path.join(root, 'config/outside-link');
    fs.mkdirSync(path.dirname(link), { recursive: true });
    fs.symlinkSync(path.join(outside, 'huge.bin'), link);
    const linkSize = fs.lstatSync(link).size;

    const summary = await summarizeUsage(root, nativeCategoryRules);
    const byCategory = Object.fromEntries(summary.categories.map((c) => [c.category, c]));
    // Folders count their own entries, as du does; files are what the test wrote.
    const folders = (relative: string) => fs.lstatSync(path.join(root, relative)).size;
    expect(byCategory.irreplaceable).toMatchObject({ files: 2 });
    expect(byCategory.irreplaceable!.bytes).toBeGreaterThanOrEqual(1000 + linkSize);
    expect(byCategory.rebuildable).toEqual({
      category: 'rebuildable',
      bytes:
        300 +
        folders('local_data/internal_assistant/vector_store') +
        folders('local_data/internal_assistant/vector_store/c'),
      files: 1,
    });
    expect(byCategory.redownloadable).toEqual({
      category: 'redownloadable',
      bytes: 5000 + folders('local_data/models') + folders('local_data/models/m'),
      files: 1,
    });
    expect(byCategory.disposable).toEqual({
      category: 'disposable',
      bytes: 70 + folders('local_data/logs'),
      files: 1,
    });
    const du = (target: string) =>
      Number(execFileSync('du', ['-sb', target], { encoding: 'utf8' }).split('\t')[0]);
    expect(summary.totalBytes).toBe(du(root) - du(path.join(root, '.tend')));
    expect(summary.totalFiles).toBe(5);
  });
});
