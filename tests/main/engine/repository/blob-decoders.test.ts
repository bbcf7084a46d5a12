import { afterEach, describe, expect, it } from 'vitest';
import {
  BlobDecodeError,
  BlobDecoders,
} from '../../../../src-main/engine/repository/blob-decoders';
import { sealBlob } from '../../../../src-main/engine/repository/blob-sealing';
import type { PackedBlob } from '../../../../src-main/engine/repository/pack-format';
import { newRandomKey } from '../../../../src-main/engine/repository/restic-crypto';
import { hashId } from '../../../../src-main/engine/repository/restic-id';

/** Plaintexts sealed side by side as in a pack, from `start` on, with their index entries. */
function packOf(plaintexts: ReadonlyArray<Buffer>, start: number) {
  const key = newRandomKey();
  const sealed: Buffer[] = [Buffer.alloc(start, 0x55)];
  const blobs: PackedBlob[] = [];
  let offset = start;
  for (const [i, plaintext] of plaintexts.entries()) {
    const blob = sealBlob(key, i % 2 === 0, plaintext);
    blobs.push({
      id: hashId(plaintext),
      type: 'data',
      offset,
      length: blob.sealed.length,
      uncompressedLength: blob.uncompressedLength,
    });
    sealed.push(blob.sealed);
    offset += blob.sealed.length;
  }
  return { key, bytes: Buffer.concat(sealed), blobs };
}

describe('BlobDecoders', () => {
  let decoders: BlobDecoders | null = null;
  afterEach(async () => {
    await decoders?.stop();
    decoders = null;
  });

  it('opens a batch in a thread into one buffer, plaintexts back to back, compressed or not', async () => {
    const plaintexts = [
      Buffer.from('page '.repeat(820).slice(0, 4096)),
      Buffer.from('a blob stored as it is'),
      Buffer.alloc(0),
      Buffer.from('x'.repeat(10_000)),
    ];
    const { key, bytes, blobs } = packOf(plaintexts, 100);
    expect(blobs.some((blob) => blob.uncompressedLength > 0)).toBe(true);
    decoders = new BlobDecoders(key, 2);
    // From a byte range read at offset 100 of the pack, as the restore reads one.
    const plain = await decoders.decode(bytes.subarray(100), 100, blobs);
    expect(plain.equals(Buffer.concat(plaintexts))).toBe(true);
    expect(decoders.waiting).toBe(0);
  });

  it('names the first blob that does not open: a changed byte, or bytes whose hash is not the id', async () => {
    const plaintexts = [Buffer.from('one'), Buffer.from('two'), Buffer.from('three')];
    const { key, bytes, blobs } = packOf(plaintexts, 0);
    decoders = new BlobDecoders(key, 1);
    const flipped = Buffer.from(bytes);
    flipped[blobs[1]!.offset + 18]! ^= 0x01;
    const changed = await decoders.decode(flipped, 0, blobs).catch((error: unknown) => error);
    expect(changed).toBeInstanceOf(BlobDecodeError);
    expect((changed as BlobDecodeError).failed).toBe(1);

    const wrongId = blobs.map((blob, i) =>
      i === 2 ? { ...blob, id: hashId(Buffer.from('x')) } : blob,
    );
    const misnamed = await decoders.decode(bytes, 0, wrongId).catch((error: unknown) => error);
    expect((misnamed as BlobDecodeError).failed).toBe(2);
  });

  it('rejects what is not answered when stopped, and everything after', async () => {
    const { key, bytes, blobs } = packOf([Buffer.from('one')], 0);
    decoders = new BlobDecoders(key, 1);
    const pending = decoders.decode(bytes, 0, blobs);
    pending.catch(() => undefined);
    await decoders.stop();
    await expect(decoders.decode(bytes, 0, blobs)).rejects.toThrow(/stopped/);
    decoders = null;
  });
});
