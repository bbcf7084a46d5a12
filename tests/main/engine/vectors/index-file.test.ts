import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { removeLeftovers } from '../../../../src-main/engine/vectors/index-file';
import { tempDir, writeFile } from '../../../support/temp-dir';

describe('index files', () => {
  it('removes temp files of dead writers and keeps those of a live one', () => {
    const root = tempDir();
    const store = path.join(root, 'local_data/internal_assistant/vector_store/notes');
    writeFile(path.join(store, 'index.hnsw'), 'keep');
    writeFile(path.join(store, 'index.hnsw.partial'), 'demo leftover');
    writeFile(path.join(store, 'index.hnsw.999999999-1.partial'), 'dead writer');
    writeFile(path.join(store, `index.hnsw.${process.ppid}-1.partial`), 'live writer');
    expect(removeLeftovers(path.dirname(store)).sort()).toEqual([
      'notes/index.hnsw.999999999-1.partial',
      'notes/index.hnsw.partial',
    ]);
    expect(fs.readdirSync(store).sort()).toEqual([
      'index.hnsw',
      `index.hnsw.${process.ppid}-1.partial`,
    ]);
  });
});
