import { randomBytes, scrypt } from 'node:crypto';
import os from 'node:os';
import { z } from 'zod';
import { goJson, goObject } from './go-json';
import { dateToNanos, formatGoTime } from './go-time';
import {
  AuthenticationError,
  keyFromJson,
  keyFromScrypt,
  keyToJson,
  open,
  seal,
  type CryptoKey,
} from './restic-crypto';

/**
 * A key file in `keys/`: plain JSON (not encrypted) that holds the scrypt parameters, a salt,
 * and the master key sealed with the key scrypt derives from a passphrase (restic
 * internal/repository/key.go; design.rst "Keys, Encryption and MAC"). Several key files can
 * open one repository; changing a passphrase writes a new key file and rewrites no data.
 */

/** scrypt's cost parameters, stored in each key file. */
export interface ScryptParams {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/**
 * The parameters a new key gets: N = 2^15, r = 8 as restic calibrates them on a current
 * machine (Debian's restic 0.14 chose N 32768, r 8, p 5 here for its 500 ms budget), p = 4.
 */
export const DEFAULT_SCRYPT: ScryptParams = { N: 32768, r: 8, p: 4 };

/** The salt length restic uses and requires (kdf.go, saltLength). */
const SALT_LENGTH = 64;

/** A key file as stored. */
export const KeyFileSchema = z.object({
  created: z.string(),
  username: z.string().optional().default(''),
  hostname: z.string().optional().default(''),
  kdf: z.string(),
  N: z.number().int(),
  r: z.number().int(),
  p: z.number().int(),
  salt: z.string(),
  data: z.string(),
});
export type KeyFile = z.infer<typeof KeyFileSchema>;

const MasterKeySchema = z.object({
  mac: z.object({ k: z.string(), r: z.string() }),
  encrypt: z.string(),
});

/** Whether scrypt parameters are ones restic accepts (simple-scrypt Params.Check). */
export function validScryptParams(params: ScryptParams): boolean {
  const { N, r, p } = params;
  return (
    Number.isInteger(N) &&
    N > 1 &&
    (N & (N - 1)) === 0 &&
    Number.isInteger(r) &&
    r >= 1 &&
    Number.isInteger(p) &&
    p >= 1 &&
    r * p < 2 ** 30
  );
}

/** Derives the user key from a passphrase (kdf.go, KDF: scrypt to 64 bytes). */
export function deriveUserKey(
  passphrase: string,
  salt: Buffer,
  params: ScryptParams,
): Promise<CryptoKey> {
  return new Promise((resolve, reject) => {
    scrypt(
      passphrase,
      salt,
      64,
      {
        N: params.N,
        r: params.r,
        p: params.p,
        maxmem: 256 * params.N * params.r + 64 * 1024 * 1024,
      },
      (error, derived) => (error ? reject(error) : resolve(keyFromScrypt(derived))),
    );
  });
}

/** A new key file for a master key, sealed with a passphrase; returns the bytes to store. */
export async function createKeyFile(
  master: CryptoKey,
  passphrase: string,
  params: ScryptParams = DEFAULT_SCRYPT,
  now = new Date(),
): Promise<Buffer> {
  const salt = randomBytes(SALT_LENGTH);
  const userKey = await deriveUserKey(passphrase, salt, params);
  const masterJson = keyToJson(master);
  // json.Marshal of crypto.Key: {"mac":{"k":…,"r":…},"encrypt":…}
  const plaintext = Buffer.from(
    goJson(
      goObject([
        [
          'mac',
          goObject([
            ['k', masterJson.mac.k],
            ['r', masterJson.mac.r],
          ]),
        ],
        ['encrypt', masterJson.encrypt],
      ]),
    ),
  );
  const data = seal(userKey, plaintext);
  const json = goJson(
    goObject([
      ['created', formatGoTime(dateToNanos(now))],
      ['username', safeUsername()],
      ['hostname', os.hostname()],
      ['kdf', 'scrypt'],
      ['N', params.N],
      ['r', params.r],
      ['p', params.p],
      ['salt', salt.toString('base64')],
      ['data', data.toString('base64')],
    ]),
  );
  return Buffer.from(json);
}

function safeUsername(): string {
  try {
    return os.userInfo().username;
  } catch {
    return '';
  }
}

/** Why a key file did not open. */
export type KeyOpenFailure = 'wrong-passphrase' | 'unreadable';

/**
 * Opens a key file with a passphrase: the master key, or why not. A wrong passphrase shows
 * as a MAC that does not match (key.go, OpenKey; SearchKey tries the next key then).
 */
export async function openKeyFile(
  bytes: Buffer,
  passphrase: string,
): Promise<{ ok: true; key: CryptoKey; file: KeyFile } | { ok: false; reason: KeyOpenFailure }> {
  let file: KeyFile;
  try {
    file = KeyFileSchema.parse(JSON.parse(bytes.toString('utf8')));
  } catch {
    return { ok: false, reason: 'unreadable' };
  }
  const salt = Buffer.from(file.salt, 'base64');
  const params = { N: file.N, r: file.r, p: file.p };
  if (file.kdf !== 'scrypt' || salt.length !== SALT_LENGTH || !validScryptParams(params)) {
    return { ok: false, reason: 'unreadable' };
  }
  const userKey = await deriveUserKey(passphrase, salt, params);
  let plaintext: Buffer;
  try {
    plaintext = open(userKey, Buffer.from(file.data, 'base64'));
  } catch (error) {
    if (error instanceof AuthenticationError) return { ok: false, reason: 'wrong-passphrase' };
    throw error;
  }
  const parsed = MasterKeySchema.safeParse(safeJson(plaintext));
  const key = parsed.success ? keyFromJson(parsed.data) : null;
  return key ? { ok: true, key, file } : { ok: false, reason: 'unreadable' };
}

function safeJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    return null;
  }
}
