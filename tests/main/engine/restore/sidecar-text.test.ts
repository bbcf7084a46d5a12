import { describe, expect, it } from 'vitest';
import { jsonTextOf } from '../../../../src-main/engine/restore/backup-manifest-reader';

/** What JSON.parse makes of a text: its value, or that it refuses it. */
function parsed(text: string): unknown {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return 'refused';
  }
}

const bytes = (...parts: Array<string | number[]>) =>
  Buffer.concat(
    parts.map((part) => (typeof part === 'string' ? Buffer.from(part) : Buffer.from(part))),
  );
const block = 64 * 1024;
const pad = (length: number) => 'a'.repeat(length);

const cases: ReadonlyArray<[string, Buffer]> = [
  ['ASCII only', bytes('{"a":"b","c":[1,2.5,null,true]}')],
  ['characters beyond ASCII in strings', bytes('{"consistency":"SQLite’s","name":"é/日本/😀","k€y":1}')],
  ['one at the very start and end of a string', bytes('["é","😀"]')],
  ['one straddling a block', bytes(`["${pad(block - 3)}`, '😀', `${pad(10)}"]`)],
  ['one right after a block', bytes(`["${pad(block - 2)}`, 'é"]')],
  ['bytes that are not UTF-8', bytes('["', [0x80], 'x', [0xe2, 0x82], 'y', [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xff, 0xfe], '"]')],
  ['a sequence cut short before a quote', bytes('["', [0xf0, 0x9f, 0x98], '"]')],
  ['a character outside any string', bytes('{"a":1', [0xc3, 0xa9], '}')],
  ['a character as a key, unquoted', bytes('{', [0xc3, 0xa9], ':1}')],
  ['an escape of a character beyond ASCII', bytes('["\\', [0xc3, 0xa9], '"]')],
  ['an escaped backslash before one', bytes('["\\\\', [0xc3, 0xa9], '"]')],
  ['a byte order mark', bytes([0xef, 0xbb, 0xbf], '{"a":1}')],
  ['U+2028 in a string', bytes('["a\u2028b"]')],
  ['an escape as text', bytes('["\\u00e9', [0xc3, 0xa9], '"]')],
]; // prettier-ignore

describe('jsonTextOf', () => {
  it.each(cases)('reads %s as the UTF-8 text is read', (_, given) => {
    expect(parsed(jsonTextOf(given))).toEqual(parsed(given.toString('utf8')));
  });

  it('reads random JSON with random bytes in and around its strings as the UTF-8 text', () => {
    // A fixed sequence (xorshift), so a failure can be run again.
    let seed = 0x2545f491;
    const next = (below: number) => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) % below;
    };
    const pieces = ['"', '\\', '\\\\', '\\"', 'a', ',', ':', '[', ']', '{', '}', '1', ' ', '"k":'];
    for (let round = 0; round < 2_000; round++) {
      const parts: Buffer[] = [Buffer.from('["')];
      for (let piece = next(12); piece > 0; piece--) {
        if (next(3) === 0) {
          parts.push(Buffer.from(Array.from({ length: 1 + next(4) }, () => 0x80 + next(128))));
        } else if (next(4) === 0) {
          parts.push(Buffer.from(pieces[next(pieces.length)]!));
        } else {
          parts.push(Buffer.from(['é', '’', '😀', '日', 'x'][next(5)]!));
        }
      }
      parts.push(Buffer.from('"]'));
      const given = Buffer.concat(parts);
      expect([given.toString('hex'), parsed(jsonTextOf(given))]).toEqual([
        given.toString('hex'),
        parsed(given.toString('utf8')),
      ]);
    }
  });

  it('gives one-byte text for a sidecar with a few characters beyond ASCII', () => {
    const text = jsonTextOf(bytes('{"a":"SQLite’s"}'));
    expect(text).toBe('{"a":"SQLite\\u2019s"}');
  });
});
