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

/** Ben-Or's irreducibility test, as restic/chunker's Pol.Irreducible, on bigints (the reference). */
export function isIrreducibleBigint(x: Polynomial): boolean {
  for (let i = 1; i <= Math.floor(degree(x) / 2); i++) {
    if (gcd(x, qp(i, x)) !== 1n) return false;
  }
  return true;
}

/*
 * The same test on pairs of 32-bit words (high, low), for polynomials below degree 63: every
 * repository's opening checks its polynomial, and on bigints that was the largest cost of
 * opening (about 30 ms of an unchanged backup's 100). A product is reduced bit by bit as it
 * is built (shift, then subtract g when the degree reaches g's), so nothing passes 64 bits.
 */

/** A polynomial as two unsigned 32-bit words: coefficients 32–63 and 0–31. */
type Words = [high: number, low: number];

function wordsDegree(high: number, low: number): number {
  if (high !== 0) return 63 - Math.clz32(high);
  return low === 0 ? -1 : 31 - Math.clz32(low);
}

/** x mod d, d ≠ 0. */
function wordsMod(x: Words, d: Words): Words {
  const dd = wordsDegree(d[0], d[1]);
  let [high, low] = x;
  for (let diff = wordsDegree(high, low) - dd; diff >= 0; diff = wordsDegree(high, low) - dd) {
    // d shifted left by diff (its degree plus diff is at most 63).
    if (diff >= 32) {
      high ^= d[1] << (diff - 32);
    } else if (diff > 0) {
      high ^= (d[0] << diff) | (d[1] >>> (32 - diff));
      low ^= d[1] << diff;
    } else {
      high ^= d[0];
      low ^= d[1];
    }
    high >>>= 0;
    low >>>= 0;
  }
  return [high, low];
}

/** a · b mod g, a already reduced mod g, g of degree `dg` (1 to 62). */
function wordsMulMod(a: Words, b: Words, g: Words, dg: number): Words {
  let high = 0;
  let low = 0;
  const topHigh = dg >= 32 ? 2 ** (dg - 32) : 0;
  const topLow = dg >= 32 ? 0 : 2 ** dg;
  for (let bit = wordsDegree(b[0], b[1]); bit >= 0; bit--) {
    high = ((high << 1) | (low >>> 31)) >>> 0;
    low = (low << 1) >>> 0;
    if ((high & topHigh) !== 0 || (low & topLow) !== 0) {
      high = (high ^ g[0]) >>> 0;
      low = (low ^ g[1]) >>> 0;
    }
    const set = bit >= 32 ? (b[0] >>> (bit - 32)) & 1 : (b[1] >>> bit) & 1;
    if (set) {
      high = (high ^ a[0]) >>> 0;
      low = (low ^ a[1]) >>> 0;
    }
  }
  return [high, low];
}

function wordsGcd(a: Words, b: Words): Words {
  let x = a;
  let y = b;
  while (y[0] !== 0 || y[1] !== 0) [x, y] = [y, wordsMod(x, y)];
  return x;
}

/** The distinct prime factors of n ≥ 2. */
function primeFactors(n: number): number[] {
  const factors: number[] = [];
  let rest = n;
  for (let p = 2; p * p <= rest; p++) {
    if (rest % p !== 0) continue;
    factors.push(p);
    while (rest % p === 0) rest /= p;
  }
  if (rest > 1) factors.push(rest);
  return factors;
}

/**
 * Whether g is irreducible, as restic/chunker's Pol.Irreducible answers with Ben-Or's test,
 * here by Rabin's: g of degree n is irreducible over GF(2) if and only if X^(2^n) = X mod g,
 * and X^(2^(n/p)) - X is prime to g for every prime p dividing n. Both tests are exact, so
 * they agree on every polynomial (the tests compare this with the bigint Ben-Or). Rabin's
 * makes n squarings and one gcd per prime factor (53 and one for restic's degree 53), where
 * Ben-Or as restic writes it makes 351 and 26, and every repository's opening checks its
 * polynomial.
 */
export function isIrreducible(x: Polynomial): boolean {
  const dx = degree(x);
  if (dx > 62 || dx < 2) return isIrreducibleBigint(x);
  const g: Words = [Number(x >> 32n), Number(x & 0xffffffffn)];
  const checkAt = new Set(primeFactors(dx).map((p) => dx / p));
  // power is x^(2^i) mod g, squared once a round.
  let power: Words = [0, 2];
  for (let i = 1; i <= dx; i++) {
    power = wordsMulMod(power, power, g, dx);
    if (!checkAt.has(i)) continue;
    const common = wordsGcd(g, wordsMod([power[0], (power[1] ^ 2) >>> 0], g));
    if (common[0] !== 0 || common[1] !== 1) return false;
  }
  return power[0] === 0 && power[1] === 2;
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
