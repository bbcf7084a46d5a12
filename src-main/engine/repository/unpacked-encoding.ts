import { zstdCompress, zstdDecompress } from './zstd';

/**
 * The plaintext of index, snapshot and lock files (restic design.rst "Unpacked Data Format";
 * repository.go compressUnpacked / decompressUnpacked): in repository version 2 a version
 * byte 2 and a zstd frame of the JSON; a plaintext that starts with `[` or `{` is plain JSON
 * (version 1, or files written before compression).
 */

/** The plaintext to seal for a JSON document. */
export function encodeUnpacked(json: Buffer, repositoryVersion: number): Buffer {
  if (repositoryVersion < 2) return json;
  return Buffer.concat([Buffer.from([2]), zstdCompress(json)]);
}

/** The JSON inside a decrypted unpacked file. */
export function decodeUnpacked(plaintext: Buffer, repositoryVersion: number): Buffer {
  if (repositoryVersion < 2 || plaintext.length === 0) return plaintext;
  const first = plaintext[0];
  if (first === 0x5b || first === 0x7b) return plaintext;
  if (first !== 2) throw new Error(`unsupported encoding format ${first}`);
  return zstdDecompress(plaintext.subarray(1));
}
