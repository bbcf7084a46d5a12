import fs from 'node:fs';
import path from 'node:path';
import hnswlib from 'hnswlib-node';
import { describe, expect, it } from 'vitest';
import { checkIndexFile, removeLeftovers } from '../../../../src-main/engine/vectors/index-file';
import { tempDir, writeFile } from '../../../support/temp-dir';
import { clusteredVectors } from './vectors-fixtures';

function writeIndex(file: string, count: number, dimension: number) {
  const index = new hnswlib.HierarchicalNSW('cosine', dimension);
  index.initIndex(count + 10, 8, 50, 1);
  clusteredVectors(count, dimension).forEach((vector, label) => index.addPoint(vector, label + 1));
  index.writeIndexSync(file);
}

describe('index files', () => {
  it('accepts a sound index and refuses truncated, padded, garbage and wrong-dimension files', () => {
    const dir = tempDir();
    const file = path.join(dir, 'index.hnsw');
    writeIndex(file, 300, 12);
    const good = checkIndexFile(file, 12);
    expect(good).toMatchObject({ ok: true, header: { count: 300, m: 8, maxM0: 16 } });
    expect(checkIndexFile(file, 13)).toMatchObject({
      ok: false,
      reason: "The index holds 12-dimension vectors; the collection's are 13.",
      dimension: 12,
    });
    const bytes = fs.readFileSync(file);
    const cases: Array<[string, Buffer, RegExp]> = [
      ['truncated', bytes.subarray(0, bytes.length - 100), /truncated/],
      ['padded', Buffer.concat([bytes, Buffer.alloc(8)]), /8 bytes after/],
      ['tiny', bytes.subarray(0, 40), /only 40 bytes/],
      ['garbage', Buffer.alloc(bytes.length, 0xab), /header/],
    ];
    for (const [name, content, reason] of cases) {
      const broken = path.join(dir, `${name}.hnsw`);
      fs.writeFileSync(broken, content);
      expect(checkIndexFile(broken, 12), name).toMatchObject({ ok: false, reason });
    }
    expect(checkIndexFile(path.join(dir, 'none.hnsw'), 12)).toMatchObject({
      ok: false,
      reason: /does not exist/,
    });
  });

  it('removes temp files of dead writers and keeps those of a live one', () => {
    const root = tempDir();
    const store = path.join(root, 'local_data/internal_assistant/vector_store/notes');
    writeFile(path.join(store, 'index.hnsw'), 'keep');
    writeFile(path.join(store, 'index.hnsw.partial'), 'demo leftover');
    writeFile(path.join(store, 'index.hnsw.999999999-1.partial'), 'dead writer');
    writeFile(path.join(store, `index.hnsw.${process.ppid}-1.partial`), 'live writer');
    expect(removeLeftovers(root).sort()).toEqual([
      'notes/index.hnsw.999999999-1.partial',
      'notes/index.hnsw.partial',
    ]);
    expect(fs.readdirSync(store).sort()).toEqual([
      'index.hnsw',
      `index.hnsw.${process.ppid}-1.partial`,
    ]);
  });
});
