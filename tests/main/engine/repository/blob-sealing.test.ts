/**
 * Sealing a blob for a pack (blob-sealing.ts): compressed only where that saves bytes, and
 * opened back to the same bytes.
 */
import { describe, expect, it } from 'vitest';
import {
  sealBlob,
  sealBlobInto,
  sealedRoom,
} from '../../../../src-main/engine/repository/blob-sealing';
import { newRandomKey, open } from '../../../../src-main/engine/repository/restic-crypto';
import { zstdDecompress } from '../../../../src-main/engine/repository/zstd';
import { noise } from './repository-fixtures';

describe('sealing a blob', () => {
  const key = newRandomKey();

  it.each([
    ['compressible text, compressed', Buffer.from('tend '.repeat(2000)), true, 10_000],
    ['random bytes, kept as they are', noise(5000, 3), true, 0],
    ['an empty blob', Buffer.alloc(0), true, 0],
    [
      'text in a version 1 repository, never compressed',
      Buffer.from('tend '.repeat(2000)),
      false,
      0,
    ],
  ])('%s', (_, plaintext, compress, uncompressedLength) => {
    const blob = sealBlob(key, compress, plaintext);
    expect(blob.uncompressedLength).toBe(uncompressedLength);
    const body = open(key, blob.sealed);
    expect(uncompressedLength ? zstdDecompress(body) : body).toEqual(plaintext);
    if (uncompressedLength) expect(blob.sealed.length).toBeLessThan(plaintext.length);
  });

  it('seals into a buffer at an offset, leaving the bytes around it as they were', () => {
    const plaintext = Buffer.from('page '.repeat(800));
    const target = Buffer.alloc(100 + sealedRoom(plaintext.length) + 100, 0xee);
    const place = sealBlobInto(key, true, plaintext, target, 100);
    expect(place.uncompressedLength).toBe(plaintext.length);
    expect(target.subarray(0, 100).every((byte) => byte === 0xee)).toBe(true);
    expect(target.subarray(100 + place.length).every((byte) => byte === 0xee)).toBe(true);
    const body = open(key, target.subarray(100, 100 + place.length));
    expect(zstdDecompress(body)).toEqual(plaintext);
  });

  it('refuses a buffer without room for the sealed blob', () => {
    const plaintext = noise(1000, 5);
    expect(() => sealBlobInto(key, true, plaintext, Buffer.alloc(1000), 0)).toThrow(RangeError);
  });
});
