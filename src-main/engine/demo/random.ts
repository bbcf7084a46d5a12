import crypto from 'node:crypto';

/**
 * Hashes a string into four 32-bit words (cyrb128), the seed material of {@link SeededRandom}.
 *
 * A public-domain mixing function: good avalanche for short, similar labels such as
 * `documents/1` and `documents/2`, which is what forked streams use.
 */
export function hashString128(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

/**
 * A small, seeded, deterministic random stream (sfc32) for demo data.
 *
 * Not for anything secret. Streams are named: {@link fork} derives a child from this stream's
 * name, not from how many numbers were drawn, so adding a draw in one part of the demo never
 * changes the bytes of another part.
 */
export class SeededRandom {
  readonly name: string;
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spareNormal: number | null = null;

  constructor(name: string) {
    this.name = name;
    [this.a, this.b, this.c, this.d] = hashString128(name);
    // Warm up: the first outputs of sfc32 still show the seed's structure.
    for (let i = 0; i < 12; i++) this.uint32();
  }

  /** A child stream named after this one and `label`. */
  fork(label: string | number): SeededRandom {
    return new SeededRandom(`${this.name}/${label}`);
  }

  /** A uniform 32-bit unsigned integer. */
  uint32(): number {
    this.a >>>= 0;
    this.b >>>= 0;
    this.c >>>= 0;
    this.d >>>= 0;
    let t = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    t = (t + this.d) | 0;
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A uniform number in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** A uniform integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** A uniform number in [min, max). */
  float(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element, uniformly. */
  pick<T>(items: ReadonlyArray<T>): T {
    if (items.length === 0) throw new RangeError('Cannot pick from an empty list.');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** One value, with probability proportional to its weight. */
  weighted<T>(items: ReadonlyArray<readonly [T, number]>): T {
    let total = 0;
    for (const [, weight] of items) total += weight;
    let roll = this.next() * total;
    for (const [value, weight] of items) {
      roll -= weight;
      if (roll < 0) return value;
    }
    const last = items.at(-1);
    if (!last) throw new RangeError('Cannot pick from an empty list.');
    return last[0];
  }

  /** A standard normal number (Box–Muller; the second value is kept for the next call). */
  normal(): number {
    if (this.spareNormal !== null) {
      const spare = this.spareNormal;
      this.spareNormal = null;
      return spare;
    }
    let u = this.next();
    while (u === 0) u = this.next();
    const v = this.next();
    const radius = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  }

  /** A log-normal number whose median is `median`. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** Shuffles `items` in place (Fisher–Yates) and returns it. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const swap = items[i] as T;
      items[i] = items[j] as T;
      items[j] = swap;
    }
    return items;
  }

  /** `length` lowercase hex digits. */
  hex(length: number): string {
    let out = '';
    while (out.length < length) out += this.uint32().toString(16).padStart(8, '0');
    return out.slice(0, length);
  }

  /** Fills `target` with random bytes. */
  fill(target: Uint8Array): Uint8Array {
    let i = 0;
    for (; i + 4 <= target.length; i += 4) {
      const word = this.uint32();
      target[i] = word & 0xff;
      target[i + 1] = (word >>> 8) & 0xff;
      target[i + 2] = (word >>> 16) & 0xff;
      target[i + 3] = word >>> 24;
    }
    if (i < target.length) {
      const word = this.uint32();
      for (let shift = 0; i < target.length; i++, shift += 8) target[i] = (word >>> shift) & 0xff;
    }
    return target;
  }
}

/**
 * A deterministic stream of incompressible bytes for large files (model weights).
 *
 * AES-256-CTR over zeros, keyed by a hash of `name`: several GB/s with AES-NI, where a
 * JavaScript generator would make the large demo CPU-bound. Call it with successive lengths;
 * the stream continues where the last call ended.
 */
export function createByteStream(name: string): (length: number) => Buffer {
  const key = crypto.createHash('sha256').update(`tend-demo-bytes:${name}`).digest();
  const cipher = crypto.createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
  let zeros = Buffer.alloc(0);
  return (length) => {
    if (zeros.length < length) zeros = Buffer.alloc(length);
    return cipher.update(zeros.subarray(0, length));
  };
}
