import { seal, type CryptoKey } from './restic-crypto';
import { zstdCompress } from './zstd';

/**
 * Sealing a batch of blobs for a pack: each compressed with zstd where that saves bytes
 * (repository version 2), then encrypted and authenticated (restic-crypto.ts, seal). The same
 * function runs in the sealing workers (blob-seal-worker.ts) and, without them, on the main
 * thread; what crosses `postMessage` is plain data and one ArrayBuffer each way.
 */

/** Blobs to seal: their plaintexts back to back, and the offset where each one ends. */
export interface PlainBatch {
  readonly data: Uint8Array;
  readonly ends: ReadonlyArray<number>;
}

/** Sealed blobs back to back, where each ends, and each one's plaintext length when compressed (else 0). */
export interface SealedBatch {
  readonly data: Uint8Array;
  readonly ends: ReadonlyArray<number>;
  readonly uncompressedLengths: ReadonlyArray<number>;
}

/** What a sealing worker starts with: the master key's parts and whether blobs are compressed. */
export interface SealerSetup {
  readonly encrypt: Uint8Array;
  readonly macK: Uint8Array;
  readonly macR: Uint8Array;
  readonly compress: boolean;
}

/** A batch sent to a sealing worker, numbered so its answer finds its way back. */
export interface SealRequest {
  readonly seq: number;
  readonly data: ArrayBuffer;
  readonly ends: ReadonlyArray<number>;
}

/**
 * A sealing worker's message: that it is ready (once, first), then for each batch the sealed
 * batch (its data an ArrayBuffer) or why it failed.
 */
export type SealAnswer =
  | { readonly ready: true }
  | {
      readonly seq: number;
      readonly data: ArrayBuffer;
      readonly ends: ReadonlyArray<number>;
      readonly uncompressedLengths: ReadonlyArray<number>;
    }
  | { readonly seq: number; readonly error: string };

/** The key a setup carries, as restic-crypto's functions take it. */
export function keyOfSetup(setup: SealerSetup): CryptoKey {
  return {
    encrypt: Buffer.from(setup.encrypt),
    macK: Buffer.from(setup.macK),
    macR: Buffer.from(setup.macR),
  };
}

/**
 * Compresses (when `compress` and it saves bytes) and seals every blob of a batch, in order.
 * The result owns its memory (one ArrayBuffer of its own), so it can be transferred.
 */
export function sealBatch(key: CryptoKey, compress: boolean, batch: PlainBatch): SealedBatch {
  const parts: Buffer[] = [];
  const ends: number[] = [];
  const uncompressedLengths: number[] = [];
  let total = 0;
  let start = 0;
  for (const end of batch.ends) {
    const plaintext = batch.data.subarray(start, end);
    start = end;
    let body: Uint8Array = plaintext;
    let uncompressed = 0;
    if (compress && plaintext.length > 0) {
      const compressed = zstdCompress(plaintext);
      if (compressed.length < plaintext.length) {
        body = compressed;
        uncompressed = plaintext.length;
      }
    }
    const sealed = seal(key, body);
    parts.push(sealed);
    total += sealed.length;
    ends.push(total);
    uncompressedLengths.push(uncompressed);
  }
  const data = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    data.set(part, offset);
    offset += part.length;
  }
  return { data, ends, uncompressedLengths };
}
