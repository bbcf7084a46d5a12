import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  zstdCompress,
  zstdCompressBound,
  zstdCompressInto,
  zstdDecompress,
  zstdDecompressExact,
} from '../../../../src-main/engine/repository/zstd';

describe('zstd of blobs', () => {
  const cases: ReadonlyArray<{ name: string; data: Buffer }> = [
    { name: 'a 4 KiB page of text', data: Buffer.from('page '.repeat(820).slice(0, 4096)) },
    { name: 'random bytes', data: randomBytes(5000) },
    { name: 'one byte', data: Buffer.from('x') },
    { name: 'a large block', data: Buffer.alloc(3 * 1024 * 1024, 7) },
  ];

  it.each(cases)(
    'decompresses $name with its known length as the general path does',
    ({ data }) => {
      const frame = zstdCompress(data);
      const exact = zstdDecompressExact(frame, data.length);
      expect(exact.equals(data)).toBe(true);
      expect(exact.equals(zstdDecompress(frame))).toBe(true);
    },
  );

  it.each(cases)('compresses $name into a kept buffer as into a new one', ({ data }) => {
    const target = Buffer.alloc(zstdCompressBound(data.length));
    const length = zstdCompressInto(data, target);
    expect(target.subarray(0, length).equals(zstdCompress(data))).toBe(true);
  });

  it('refuses a frame that holds more or fewer bytes than the index says', () => {
    const data = Buffer.from('restic blob '.repeat(100));
    const frame = zstdCompress(data);
    expect(() => zstdDecompressExact(frame, data.length - 1)).toThrow();
    expect(() => zstdDecompressExact(frame, data.length + 1)).toThrow(/expected/);
  });

  it('decompresses into a given buffer, leaving the bytes around it alone', () => {
    const data = Buffer.from('page '.repeat(820).slice(0, 4096));
    const into = Buffer.alloc(data.length + 8, 0xee);
    const exact = zstdDecompressExact(zstdCompress(data), data.length, into.subarray(4));
    expect(exact.buffer).toBe(into.buffer);
    expect(into.subarray(4, 4 + data.length).equals(data)).toBe(true);
    expect([...into.subarray(0, 4), ...into.subarray(4 + data.length)]).toEqual(
      Array(8).fill(0xee),
    );
    expect(() =>
      zstdDecompressExact(zstdCompress(data), data.length, into.subarray(0, 10)),
    ).toThrow(/no room/);
  });

  it('refuses bytes that are not a zstd frame', () => {
    expect(() => zstdDecompressExact(randomBytes(64), 100)).toThrow();
  });
});
