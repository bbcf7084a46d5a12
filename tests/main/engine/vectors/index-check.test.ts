import fs from 'node:fs';
import path from 'node:path';
import hnswlib from 'hnswlib-node';
import { describe, expect, it } from 'vitest';
import {
  checkIndexFile,
  checkIndexFileAsync,
  HEADER_BYTES,
} from '../../../../src-main/engine/vectors/index-check';
import { tempDir } from '../../../support/temp-dir';
import { clusteredVectors, rng } from './vectors-fixtures';

const M = 8;
const DIMENSION = 12;
const COUNT = 300;

function writeIndex(file: string, count = COUNT, dimension = DIMENSION) {
  const index = new hnswlib.HierarchicalNSW('cosine', dimension);
  index.initIndex(count + 100, M, 50, 1);
  clusteredVectors(count, dimension).forEach((vector, label) => index.addPoint(vector, label + 1));
  index.writeIndexSync(file);
}

/** The layout of the test index: level-0 records of `per` bytes, then the upper levels. */
function layoutOf(bytes: Buffer) {
  const per = Number(bytes.readBigUInt64LE(24));
  const count = Number(bytes.readBigUInt64LE(16));
  const record = (element: number) => HEADER_BYTES + element * per;
  // Each element's upper-level lists: where they start and how many levels.
  const upper: Array<{ at: number; levels: number }> = [];
  let at = HEADER_BYTES + count * per;
  const perLevel = M * 4 + 4;
  for (let i = 0; i < count; i++) {
    const length = bytes.readUInt32LE(at);
    upper.push({ at: at + 4, levels: length / perLevel });
    at += 4 + length;
  }
  return { per, count, record, upper, perLevel };
}

/** Corruptions that keep the file's size, each with the reason the check must give. */
const corruptions: Array<[string, (bytes: Buffer) => void, RegExp]> = [
  [
    'random bytes in the level-0 link lists',
    (bytes) => {
      const { record, count } = layoutOf(bytes);
      const random = rng(3);
      for (let e = 0; e < count; e++) {
        for (let k = 4; k < 4 + 4 * 2 * M; k++) bytes[record(e) + k] = Math.floor(random() * 256);
      }
    },
    /links to element \d+ on level 0/,
  ],
  [
    'a link count larger than its slot',
    (bytes) => bytes.writeUInt16LE(60_000, layoutOf(bytes).record(7)),
    /Element 7 has a malformed link list on level 0/,
  ],
  [
    'a link to an element past the count (but inside the capacity)',
    (bytes) => bytes.writeUInt32LE(COUNT + 5, layoutOf(bytes).record(11) + 4),
    new RegExp(`Element 11 links to element ${COUNT + 5} on level 0`),
  ],
  [
    'an element count too high',
    (bytes) => bytes.writeBigUInt64LE(BigInt(COUNT + 40), 16),
    /truncated|malformed|links to element/,
  ],
  [
    'an element count above the capacity',
    (bytes) => bytes.writeBigUInt64LE(BigInt(COUNT + 1000), 16),
    /elements in room for/,
  ],
  [
    'a capacity far beyond the count',
    (bytes) => bytes.writeBigUInt64LE(BigInt(2 ** 30), 8),
    /asks for room for 1073741824 elements/,
  ],
  [
    'an entry point past the last element',
    (bytes) => bytes.writeUInt32LE(COUNT + 2, 52),
    /entry point \d+ is not an element/,
  ],
  [
    'a top level the entry point does not reach',
    (bytes) => bytes.writeInt32LE(bytes.readInt32LE(48) + 1, 48),
    /does not reach the top level/,
  ],
  [
    'an upper-level link to an element that does not reach that level',
    (bytes) => {
      const { upper } = layoutOf(bytes);
      const high = upper.findIndex((u) => u.levels >= 1 && bytes.readUInt16LE(u.at) > 0);
      const low = upper.findIndex((u) => u.levels === 0);
      bytes.writeUInt32LE(low, upper[high]!.at + 4);
    },
    /on level 1, which it does not reach/,
  ],
  [
    'a broken level multiplier',
    (bytes) => bytes.writeDoubleLE(1e300, 80),
    /header does not describe/,
  ],
];

describe('checking an index file before hnswlib reads it', () => {
  it('accepts a sound index and refuses truncated, padded, garbage and wrong-dimension files', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'index.hnsw');
    writeIndex(file);
    const good = checkIndexFile(file, DIMENSION);
    expect(good).toMatchObject({ ok: true, header: { count: COUNT, m: M, maxM0: 2 * M } });
    expect(await checkIndexFileAsync(file, DIMENSION)).toEqual(good);
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
      expect(checkIndexFile(broken, DIMENSION), name).toMatchObject({ ok: false, reason });
    }
    expect(checkIndexFile(path.join(dir, 'none.hnsw'), DIMENSION)).toMatchObject({
      ok: false,
      reason: /does not exist/,
    });
  });

  it('accepts an empty index and one with deleted elements', async () => {
    const dir = tempDir();
    const empty = path.join(dir, 'empty.hnsw');
    writeIndex(empty, 0);
    expect(checkIndexFile(empty, DIMENSION)).toMatchObject({ ok: true, header: { count: 0 } });
    const marked = path.join(dir, 'marked.hnsw');
    writeIndex(marked);
    const index = new hnswlib.HierarchicalNSW('cosine', DIMENSION);
    index.readIndexSync(marked);
    for (let label = 1; label <= 50; label++) index.markDelete(label);
    index.writeIndexSync(marked);
    expect(await checkIndexFileAsync(marked, DIMENSION)).toMatchObject({ ok: true });
  });

  it.each(corruptions)('refuses a correctly sized file with %s', async (_name, corrupt, reason) => {
    const dir = tempDir();
    const file = path.join(dir, 'index.hnsw');
    writeIndex(file);
    const bytes = fs.readFileSync(file);
    corrupt(bytes);
    fs.writeFileSync(file, bytes);
    expect(fs.statSync(file).size).toBe(bytes.length);
    expect(checkIndexFile(file, DIMENSION)).toMatchObject({ ok: false, reason });
    expect(await checkIndexFileAsync(file, DIMENSION)).toMatchObject({ ok: false, reason });
  });
});
