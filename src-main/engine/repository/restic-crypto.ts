import {
  createCipheriv,
  randomBytes,
  randomFillSync,
  timingSafeEqual,
  type Cipher,
} from 'node:crypto';
import { createRequire } from 'node:module';
import { poly1305 as noblePoly1305 } from '@noble/ciphers/_poly1305.js';

/**
 * restic's authenticated encryption: AES-256-CTR, then Poly1305-AES over the ciphertext, stored
 * as IV || CIPHERTEXT || MAC (restic internal/crypto/crypto.go, Key.Seal / Key.Open; design.rst
 * "Keys, Encryption and MAC"). The 16-byte random IV is both the CTR counter block and the
 * Poly1305-AES nonce.
 *
 * Poly1305-AES (Bernstein 2005) with key (k, r) and nonce n is Poly1305 with the one-time key
 * r || AES-128_k(n). restic masks ("clamps") r with the paper's mask; @noble/ciphers' poly1305
 * clamps r the same way (RFC 8439 §2.5), so the masked and the unmasked r give the same tag.
 * Nothing here is a hand-written primitive: AES comes from node:crypto (OpenSSL), Poly1305 from
 * libsodium (sodium-native's `crypto_onetimeauth`, about eight times faster than JavaScript,
 * which made the MAC the largest cost of a first backup) or, where that native module cannot
 * load, from @noble/ciphers. Both compute the same RFC 8439 Poly1305.
 */

/** The part of sodium-native this module uses. */
interface SodiumOneTimeAuth {
  crypto_onetimeauth(output: Uint8Array, message: Uint8Array, key: Uint8Array): void;
}

function loadSodiumPoly1305(): ((message: Uint8Array, key: Uint8Array) => Uint8Array) | null {
  try {
    const sodium = createRequire(import.meta.url)('sodium-native') as Partial<SodiumOneTimeAuth>;
    const auth = sodium.crypto_onetimeauth;
    if (typeof auth !== 'function') return null;
    return (message, key) => {
      const tag = Buffer.allocUnsafe(16);
      auth(tag, message, key);
      return tag;
    };
  } catch {
    return null;
  }
}

const sodiumPoly1305 = loadSodiumPoly1305();

/** Which Poly1305 implementation is in use (for tests and diagnostics). */
export const POLY1305_IMPLEMENTATION: 'libsodium' | 'noble' = sodiumPoly1305
  ? 'libsodium'
  : 'noble';

/** Poly1305 with a 32-byte one-time key r || s. */
function poly1305(message: Uint8Array, oneTimeKey: Uint8Array): Uint8Array {
  return sodiumPoly1305 ? sodiumPoly1305(message, oneTimeKey) : noblePoly1305(message, oneTimeKey);
}

/** Poly1305 by @noble/ciphers alone (tests compare it with the native one). */
export function poly1305Noble(message: Uint8Array, oneTimeKey: Uint8Array): Uint8Array {
  return noblePoly1305(message, oneTimeKey);
}

/** Bytes a plaintext grows by when sealed: the IV and the MAC. */
export const CRYPTO_OVERHEAD = 32;
const IV_SIZE = 16;
const MAC_SIZE = 16;

/** restic's clamping mask for r (crypto.go, poly1305KeyMask). */
const POLY1305_KEY_MASK = Buffer.from([
  0xff, 0xff, 0xff, 0x0f, 0xfc, 0xff, 0xff, 0x0f, 0xfc, 0xff, 0xff, 0x0f, 0xfc, 0xff, 0xff, 0x0f,
]);

/** A repository's master key, or a key derived from a passphrase: 32 bytes for AES, k and r for the MAC. */
export interface CryptoKey {
  readonly encrypt: Buffer;
  readonly macK: Buffer;
  readonly macR: Buffer;
}

/** A master key as restic's key file holds it (crypto.go, Key JSON: base64 of each part). */
export interface MasterKeyJson {
  mac: { k: string; r: string };
  encrypt: string;
}

/** r with restic's mask applied (crypto.go, maskKey). */
export function maskR(r: Uint8Array): Buffer {
  const masked = Buffer.alloc(16);
  for (let i = 0; i < 16; i++) masked[i] = r[i]! & POLY1305_KEY_MASK[i]!;
  return masked;
}

/** A new random master key (crypto.go, NewRandomKey), r already masked as restic stores it. */
export function newRandomKey(): CryptoKey {
  return { encrypt: randomBytes(32), macK: randomBytes(16), macR: maskR(randomBytes(16)) };
}

/** The key scrypt's 64 bytes make: 32 for AES-256, then k || r for the MAC (kdf.go, KDF). */
export function keyFromScrypt(derived: Buffer): CryptoKey {
  if (derived.length !== 64) throw new Error('scrypt must give 64 bytes');
  return {
    encrypt: Buffer.from(derived.subarray(0, 32)),
    macK: Buffer.from(derived.subarray(32, 48)),
    macR: maskR(derived.subarray(48, 64)),
  };
}

/** A key as the JSON of a key file's `data` (Go writes []byte as standard base64). */
export function keyToJson(key: CryptoKey): MasterKeyJson {
  return {
    mac: { k: key.macK.toString('base64'), r: key.macR.toString('base64') },
    encrypt: key.encrypt.toString('base64'),
  };
}

/** A key from that JSON; null when the parts have the wrong lengths or are all zero. */
export function keyFromJson(json: MasterKeyJson): CryptoKey | null {
  const key = {
    encrypt: Buffer.from(json.encrypt, 'base64'),
    macK: Buffer.from(json.mac.k, 'base64'),
    macR: Buffer.from(json.mac.r, 'base64'),
  };
  if (key.encrypt.length !== 32 || key.macK.length !== 16 || key.macR.length !== 16) return null;
  // crypto.go, Key.Valid: a zero key is refused.
  if (!key.encrypt.some(Boolean) || !key.macK.some(Boolean) || !key.macR.some(Boolean)) return null;
  return key;
}

/**
 * AES-128 in ECB mode under the MAC key k, one per key and kept: ECB enciphers each 16-byte
 * block on its own, so one cipher serves every nonce, and making one per blob cost as much as
 * the MAC itself.
 */
const nonceCiphers = new WeakMap<Buffer, Cipher>();

function nonceCipher(macK: Buffer): Cipher {
  let cipher = nonceCiphers.get(macK);
  if (!cipher) {
    cipher = createCipheriv('aes-128-ecb', macK, null).setAutoPadding(false);
    nonceCiphers.set(macK, cipher);
  }
  return cipher;
}

/** The one-time key r || AES_k(n) of the MAC being computed (filled and used at once). */
const oneTimeKey = Buffer.alloc(32);

/** Poly1305-AES of a message under (k, r) and a nonce (exported for restic's test vectors). */
export function poly1305Aes(
  key: Pick<CryptoKey, 'macK' | 'macR'>,
  nonce: Uint8Array,
  message: Uint8Array,
): Uint8Array {
  // r || AES_k(n) in one kept buffer, read at once and then wiped (neither Poly1305 keeps a
  // reference to it), where a Buffer.concat per blob was garbage by the thousand.
  oneTimeKey.set(key.macR, 0);
  oneTimeKey.set(nonceCipher(key.macK).update(nonce), 16);
  try {
    return poly1305(message, oneTimeKey);
  } finally {
    oneTimeKey.fill(0);
  }
}

function aesCtr(key: CryptoKey, iv: Uint8Array, data: Uint8Array): Buffer {
  const cipher = createCipheriv('aes-256-ctr', key.encrypt, iv);
  const out = cipher.update(data);
  // CTR is a stream: update() gives every byte and final() nothing, so final() (a call and a
  // buffer per blob a restore opens) is only asked for if update() ever came up short.
  if (out.length === data.length) return out;
  return Buffer.concat([out, cipher.final()]);
}

/**
 * IVs are cut from a pool of random bytes filled 256 at a time: one call into the system's
 * random source per blob cost as much as sealing a small blob. Each IV is used once.
 */
const ivPool = Buffer.allocUnsafe(IV_SIZE * 256);
let ivPoolUsed = ivPool.length;

function freshIv(): Buffer {
  if (ivPoolUsed === ivPool.length) {
    randomFillSync(ivPool);
    ivPoolUsed = 0;
  }
  const iv = ivPool.subarray(ivPoolUsed, ivPoolUsed + IV_SIZE);
  ivPoolUsed += IV_SIZE;
  return iv;
}

/** Encrypts and authenticates: IV || AES-256-CTR(plaintext) || Poly1305-AES(ciphertext). */
export function seal(key: CryptoKey, plaintext: Uint8Array): Buffer {
  const sealed = Buffer.allocUnsafe(plaintext.length + CRYPTO_OVERHEAD);
  sealInto(key, plaintext, sealed, 0);
  return sealed;
}

/**
 * Seals as `seal` does into `target` at `offset` (which must have room for the plaintext and
 * CRYPTO_OVERHEAD) and returns the sealed length: a pack is built in one buffer, with no
 * sealed copy per blob to gather afterwards.
 */
export function sealInto(
  key: CryptoKey,
  plaintext: Uint8Array,
  target: Buffer,
  offset: number,
): number {
  const length = plaintext.length + CRYPTO_OVERHEAD;
  if (offset < 0 || offset + length > target.length) {
    throw new RangeError(`no room for ${length} sealed bytes at ${offset} of ${target.length}`);
  }
  let iv = freshIv();
  // crypto.go, validNonce: restic refuses an all-zero nonce; a fresh one is drawn instead.
  while (!iv.some(Boolean)) iv = freshIv();
  iv.copy(target, offset);
  const cipher = createCipheriv('aes-256-ctr', key.encrypt, iv);
  const encrypted = cipher.update(plaintext);
  const at = offset + IV_SIZE;
  target.set(encrypted, at);
  // CTR gives every byte from update(): final() (a call and a buffer per blob) only if not.
  if (encrypted.length !== plaintext.length) cipher.final().copy(target, at + encrypted.length);
  const ciphertext = target.subarray(at, at + plaintext.length);
  target.set(poly1305Aes(key, iv, ciphertext), at + plaintext.length);
  return length;
}

/** Raised when a MAC does not match: a wrong key, or bytes that changed. */
export class AuthenticationError extends Error {
  constructor() {
    super('ciphertext verification failed');
    this.name = 'AuthenticationError';
  }
}

/** Checks the MAC and decrypts IV || CIPHERTEXT || MAC; throws AuthenticationError if it does not match. */
export function open(key: CryptoKey, sealed: Uint8Array): Buffer {
  if (sealed.length < CRYPTO_OVERHEAD) throw new AuthenticationError();
  const iv = sealed.subarray(0, IV_SIZE);
  const ciphertext = sealed.subarray(IV_SIZE, sealed.length - MAC_SIZE);
  const mac = sealed.subarray(sealed.length - MAC_SIZE);
  if (!iv.some(Boolean)) throw new AuthenticationError();
  const expected = poly1305Aes(key, iv, ciphertext);
  if (!timingSafeEqual(expected, mac)) throw new AuthenticationError();
  return aesCtr(key, iv, ciphertext);
}
