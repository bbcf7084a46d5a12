import { randomBytes } from 'node:crypto';

/**
 * The `chunker_polynomial` of a repository's config: a random irreducible polynomial of degree
 * 53 over GF(2), which restic's Rabin chunker uses and `restic` checks when it opens the
 * config (restic internal/restic/config.go, LoadConfig: "invalid chunker polynomial"). Tend
 * cuts with FastCDC and never uses it, but restic does when it backs up into the same
 * repository, so each repository gets its own random one, as restic's would.
 *
 * Ported from github.com/restic/chunker polynomials.go (RandomPolynomial, Irreducible with
 * Ben-Or's test, qp, MulMod), with bigints for the 64-bit arithmetic. This is arithmetic on
 * polynomials, not a cryptographic primitive.
 */

/** A polynomial over GF(2), one bit a coefficient. */
export type Polynomial = bigint;

const TWO_TO_32 = 1n << 32n;

function degree(x: Polynomial): number {
  if (x === 0n) return -1;
  // 32 bits at a time, then the highest set bit of what is left: no string of every bit.
  let rest = x;
  let bits = 0;
  while (rest >= TWO_TO_32) {
    rest >>= 32n;
    bits += 32;
  }
  return bits + 31 - Math.clz32(Number(rest));
}

function mod(x: Polynomial, d: Polynomial): Polynomial {
  const dd = degree(d);
  let rest = x;
  for (let diff = degree(rest) - dd; diff >= 0; diff = degree(rest) - dd) {
    rest ^= d << BigInt(diff);
  }
  return rest;
}

function mulMod(a: Polynomial, b: Polynomial, g: Polynomial): Polynomial {
  let result = 0n;
  let shifted = a;
  for (let bits = b; bits !== 0n; bits >>= 1n) {
    if (bits & 1n) result ^= shifted;
    shifted <<= 1n;
  }
  return mod(result, g);
}

function gcd(a: Polynomial, b: Polynomial): Polynomial {
  let x = a;
  let y = b;
  while (y !== 0n) [x, y] = [y, mod(x, y)];
  return x;
}

/** x^(2^p) - x mod g (chunker's qp). */
function qp(p: number, g: Polynomial): Polynomial {
  let result: Polynomial = 2n;
  for (let i = 0; i < p; i++) result = mulMod(result, result, g);
  return mod(result ^ 2n, g);
}

/** Ben-Or's irreducibility test, as restic/chunker's Pol.Irreducible. */
export function isIrreducible(x: Polynomial): boolean {
  for (let i = 1; i <= Math.floor(degree(x) / 2); i++) {
    if (gcd(x, qp(i, x)) !== 1n) return false;
  }
  return true;
}

/** A random irreducible polynomial of degree 53 (chunker's DerivePolynomial). */
export function randomPolynomial(random: (size: number) => Buffer = randomBytes): Polynomial {
  for (let tries = 0; tries < 1_000_000; tries++) {
    let f = random(8).readBigUInt64LE(0);
    f &= (1n << 54n) - 1n;
    f |= (1n << 53n) | 1n;
    if (isIrreducible(f)) return f;
  }
  throw new Error('No irreducible polynomial found.');
}

/** The polynomial as the config stores it: hex without a prefix (Pol.MarshalJSON). */
export function polynomialToHex(x: Polynomial): string {
  return x.toString(16);
}
