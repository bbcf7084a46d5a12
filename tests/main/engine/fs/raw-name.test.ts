import { describe, expect, it } from 'vitest';
import {
  decodeName,
  displayName,
  encodeName,
  fsPath,
  hasRawBytes,
} from '../../../../src-main/engine/fs/raw-name';

const bytes = (...values: number[]) => Buffer.from(values);

describe('names as exact bytes', () => {
  it.each([
    ['plain ASCII', Buffer.from('notes.md'), 'notes.md', false],
    ['UTF-8 text', Buffer.from('résumé.txt'), 'résumé.txt', false],
    ['an emoji (a surrogate pair, not an escape)', Buffer.from('💀.txt'), '💀.txt', false],
    ['a real U+FFFD', Buffer.from('a\uFFFDb'), 'a\uFFFDb', false],
    ['Latin-1 résumé', Buffer.from('r\xe9sum\xe9.txt', 'latin1'), 'r\udce9sum\udce9.txt', true],
    ['a lone continuation byte', bytes(0x61, 0x80, 0x62), 'a\udc80b', true],
    ['an overlong slash', bytes(0xc0, 0xaf), '\udcc0\udcaf', true],
    ['UTF-8 of a surrogate', bytes(0xed, 0xa0, 0x80), '\udced\udca0\udc80', true],
    ['a cut sequence at the end', bytes(0x61, 0xe2, 0x82), 'a\udce2\udc82', true],
    ['past U+10FFFF', bytes(0xf4, 0x90, 0x80, 0x80), '\udcf4\udc90\udc80\udc80', true],
  ])('%s decodes to its escape and encodes back to the same bytes', (_what, raw, text, escaped) => {
    expect(decodeName(raw)).toBe(text);
    expect(encodeName(text).equals(raw)).toBe(true);
    expect(hasRawBytes(text)).toBe(escaped);
    expect(fsPath(text)).toEqual(escaped ? raw : text);
  });

  it('shows a raw byte as ls -b does, and leaves text alone', () => {
    expect(displayName('r\udce9sum\udce9.txt')).toBe('r\\xE9sum\\xE9.txt');
    expect(displayName('💀 résumé')).toBe('💀 résumé');
  });

  it('crosses JSON unchanged', () => {
    const name = decodeName(Buffer.from('r\xe9sum\xe9.txt', 'latin1'));
    const json = JSON.stringify({ path: name });
    expect(json).toBe('{"path":"r\\udce9sum\\udce9.txt"}');
    expect((JSON.parse(json) as { path: string }).path).toBe(name);
  });
});
