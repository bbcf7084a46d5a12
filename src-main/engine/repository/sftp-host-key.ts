import { createHash } from 'node:crypto';

/**
 * SSH host keys, pinned on first use (trust on first use, as OpenSSH's known_hosts): the
 * first connection records the server's key fingerprint, every later one must present the
 * same key or Tend refuses before it authenticates or sends anything.
 */

/** OpenSSH's fingerprint of a host key blob: `SHA256:` and unpadded base64 of its SHA-256. */
export function hostKeyFingerprint(keyBlob: Uint8Array): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** What to do with the key a server presented. */
export type HostKeyVerdict = 'pin' | 'match' | 'changed';

/** Compares a presented fingerprint with the pinned one (null: nothing pinned yet). */
export function judgeHostKey(pinned: string | null | undefined, seen: string): HostKeyVerdict {
  if (!pinned) return 'pin';
  return pinned.trim() === seen ? 'match' : 'changed';
}
