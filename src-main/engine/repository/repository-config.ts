import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { isIrreducible, polynomialToHex, randomPolynomial } from './chunker-polynomial';
import { goJson, goObject } from './go-json';

/**
 * The `config` file: version, a random repository id and the chunker polynomial, sealed like
 * any file but never compressed and named `config`, not by its hash (restic design.rst
 * "Repository Format"; internal/restic/config.go; repository.go SaveUnpacked/LoadUnpacked).
 */

/** The repository format Tend writes: version 2, compressed blobs (restic ≥ 0.14 reads it). */
export const REPOSITORY_VERSION = 2;

/** A repository's config. */
export interface RepositoryConfig {
  readonly version: 1 | 2;
  readonly id: string;
  readonly chunkerPolynomial: string;
}

const ConfigSchema = z.object({
  version: z.number().int(),
  id: z.string(),
  chunker_polynomial: z.string().regex(/^[0-9a-f]{1,16}$/),
});

/** A new config with a random id and polynomial (config.go, CreateConfig). */
export function newConfig(): RepositoryConfig {
  return {
    version: REPOSITORY_VERSION,
    id: randomBytes(32).toString('hex'),
    chunkerPolynomial: polynomialToHex(randomPolynomial()),
  };
}

/** The config's plaintext JSON (Go field order). */
export function encodeConfig(config: RepositoryConfig): Buffer {
  return Buffer.from(
    goJson(
      goObject([
        ['version', config.version],
        ['id', config.id],
        ['chunker_polynomial', config.chunkerPolynomial],
      ]),
    ),
  );
}

/** Reads a decrypted config; throws a plain Error naming what is wrong. */
export function decodeConfig(plaintext: Buffer): RepositoryConfig {
  const parsed = ConfigSchema.parse(JSON.parse(plaintext.toString('utf8')));
  if (parsed.version !== 1 && parsed.version !== 2) {
    throw new UnsupportedVersionError(parsed.version);
  }
  if (!isIrreducible(BigInt(`0x${parsed.chunker_polynomial}`))) {
    throw new Error('invalid chunker polynomial');
  }
  return { version: parsed.version, id: parsed.id, chunkerPolynomial: parsed.chunker_polynomial };
}

/** A config of a repository version this code does not know. */
export class UnsupportedVersionError extends Error {
  constructor(readonly version: number) {
    super(`unsupported repository version ${version}`);
    this.name = 'UnsupportedVersionError';
  }
}
