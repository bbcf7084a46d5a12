import type { PackedBlob } from './pack-format';
import { AuthenticationError, CRYPTO_OVERHEAD, open, type CryptoKey } from './restic-crypto';
import { hashId, type ResticId } from './restic-id';
import { zstdDecompressExact } from './zstd';

/**
 * Opening one blob read from a pack (restic repository.go, LoadBlob): MAC checked and decrypted
 * (restic-crypto.ts), decompressed when the index says so (zstd.ts), and its plaintext's
 * SHA-256 checked against its id. The one home of those steps, for the repository on its own
 * thread and for the restore's decode workers (blob-decode-worker.ts).
 */

/** Plaintext length of a blob as the index tells it. */
export function plainLength(blob: Pick<PackedBlob, 'length' | 'uncompressedLength'>): number {
  return blob.uncompressedLength || blob.length - CRYPTO_OVERHEAD;
}

/**
 * Opens one sealed blob; throws AuthenticationError when its MAC, length or hash does not match.
 * With `into` (room for the plaintext), the plaintext is written there and a view of it returned.
 */
export function openBlob(
  key: CryptoKey,
  sealed: Uint8Array,
  expected: { readonly id: ResticId; readonly uncompressedLength: number },
  into?: Buffer,
): Buffer {
  let plaintext = open(key, sealed);
  if (expected.uncompressedLength) {
    plaintext = zstdDecompressExact(plaintext, expected.uncompressedLength, into);
  } else if (into) {
    if (into.length < plaintext.length) throw new AuthenticationError();
    plaintext = into.subarray(0, plaintext.copy(into));
  }
  if (hashId(plaintext) !== expected.id) throw new AuthenticationError();
  return plaintext;
}
