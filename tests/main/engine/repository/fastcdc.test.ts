import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { chunkBuffer } from '../../../../src-main/engine/repository/fastcdc';

const fixture = fs.readFileSync(
  path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'SekienAkashita.jpg'),
);

describe('FastCDC (ronomon variant) against fastcdc-rs’s test vectors', () => {
  it.each([
    {
      limits: { min: 8192, avg: 16384, max: 32768 },
      expected: [
        [1527472128, 0, 22366],
        [1174757376, 22366, 8282],
        [2687197184, 30648, 16303],
        [1210105856, 46951, 18696],
        [2984739645, 65647, 32768],
        [1121740051, 98415, 11051],
      ],
    },
    {
      limits: { min: 16384, avg: 32768, max: 65536 },
      expected: [
        [2772598784, 0, 32857],
        [1651589120, 32857, 16408],
        [1121740051, 49265, 60201],
      ],
    },
  ])('cuts SekienAkashita.jpg at $limits.avg as fastcdc-rs does', ({ limits, expected }) => {
    const chunks = chunkBuffer(fixture, limits).map((c) => [c.hash, c.offset, c.length]);
    expect(chunks.slice(0, expected.length)).toEqual(expected);
  });

  it('cuts all-zero input at the maximum size (fastcdc-rs test_all_zeros)', () => {
    const chunks = chunkBuffer(Buffer.alloc(10240), { min: 64, avg: 256, max: 1024 });
    expect(chunks).toHaveLength(10);
    for (const chunk of chunks) expect([chunk.hash, chunk.length]).toEqual([3106636015, 1024]);
  });

  it('keeps cut points after an insertion', () => {
    const data = fixture;
    const before = chunkBuffer(data, { min: 2048, avg: 8192, max: 16384 });
    const edited = Buffer.concat([
      data.subarray(0, 100),
      Buffer.from('inserted bytes'),
      data.subarray(100),
    ]);
    const after = chunkBuffer(edited, { min: 2048, avg: 8192, max: 16384 });
    const tail = (chunks: typeof before, shift: number) =>
      new Set(chunks.map((c) => `${c.offset - shift}:${c.length}`));
    const same = [...tail(after, 14)].filter((c) => tail(before, 0).has(c));
    expect(same.length).toBeGreaterThanOrEqual(before.length - 2);
  });
});
