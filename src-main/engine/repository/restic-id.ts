import { hash } from 'node:crypto';

/**
 * A restic storage or blob id: 64 lower-case hex digits of a SHA-256.
 *
 * Files in the backend are named by the SHA-256 of their bytes (the ciphertext); blobs by the
 * SHA-256 of their plaintext (restic doc/design.rst, "Repository Format" and "Pack Format").
 */
export type ResticId = string;

const idPattern = /^[0-9a-f]{64}$/;

/**
 * The id of some bytes: their SHA-256, as restic writes it. One-shot `crypto.hash`: a Hash
 * object per call (createHash, update, digest) cost a third more on the 4 KiB blobs a restore
 * checks by the thousand.
 */
export function hashId(data: Uint8Array): ResticId {
  return hash('sha256', data, 'hex');
}

/** Whether a string is a well-formed id (a file name in keys/, data/, index/, snapshots/, locks/). */
export function isResticId(value: string): boolean {
  return idPattern.test(value);
}

/** An id's 32 raw bytes, as a pack header stores them. */
export function idToBytes(id: ResticId): Buffer {
  return Buffer.from(id, 'hex');
}

/** The short form restic prints (first 8 hex digits). */
export function shortId(id: ResticId): string {
  return id.slice(0, 8);
}
