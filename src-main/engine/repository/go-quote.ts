/**
 * Node names in restic trees are passed through Go's strconv.Quote and stored without the
 * outer quotes (restic internal/restic/node.go, Node.MarshalJSON / UnmarshalJSON; design.rst
 * "Trees and Data"): printable characters stay, `"` and `\` get a backslash, anything else
 * becomes an escape. This module does both directions.
 */

const printable = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

/** Whether Go's strconv.IsPrint holds for a code point (letters, marks, numbers, punctuation, symbols, ASCII space). */
function isGoPrint(codePoint: number): boolean {
  if (codePoint === 0x20) return true;
  return printable.test(String.fromCodePoint(codePoint));
}

const shortEscapes: Readonly<Record<number, string>> = {
  0x07: '\\a',
  0x08: '\\b',
  0x0c: '\\f',
  0x0a: '\\n',
  0x0d: '\\r',
  0x09: '\\t',
  0x0b: '\\v',
};

/** `strconv.Quote(name)` without the outer quotes, as restic stores a node's name. */
export function quoteName(name: string): string {
  let out = '';
  for (const char of name) {
    const codePoint = char.codePointAt(0)!;
    if (codePoint === 0x22) out += '\\"';
    else if (codePoint === 0x5c) out += '\\\\';
    else if (codePoint < 0x80 && isGoPrint(codePoint)) out += char;
    else if (shortEscapes[codePoint] !== undefined) out += shortEscapes[codePoint];
    else if (codePoint < 0x20 || codePoint === 0x7f) {
      out += `\\x${codePoint.toString(16).padStart(2, '0')}`;
    } else if (codePoint >= 0xd800 && codePoint <= 0xdfff) {
      // A lone surrogate is not valid UTF-8; Go would see U+FFFD's bytes. Never from a real name.
      out += '\\ufffd';
    } else if (isGoPrint(codePoint)) out += char;
    else if (codePoint < 0x10000) out += `\\u${codePoint.toString(16).padStart(4, '0')}`;
    else out += `\\U${codePoint.toString(16).padStart(8, '0')}`;
  }
  return out;
}

/**
 * The raw bytes of a stored name (`strconv.Unquote`). Null when the text is not a valid
 * quoted string. The bytes need not be UTF-8: restic keeps such names with `\x` escapes.
 */
export function unquoteNameBytes(stored: string): Buffer | null {
  const parts: Buffer[] = [];
  let i = 0;
  let literalStart = 0;
  const flush = (end: number) => {
    if (end > literalStart) parts.push(Buffer.from(stored.slice(literalStart, end), 'utf8'));
  };
  while (i < stored.length) {
    if (stored[i] !== '\\') {
      if (stored[i] === '"') return null;
      i += 1;
      continue;
    }
    flush(i);
    const kind = stored[i + 1];
    let consumed = 2;
    switch (kind) {
      case 'a':
      case 'b':
      case 'f':
      case 'n':
      case 'r':
      case 't':
      case 'v':
        parts.push(Buffer.from([{ a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11 }[kind]]));
        break;
      case '\\':
      case '"':
      case "'":
        parts.push(Buffer.from(kind, 'latin1'));
        break;
      case 'x': {
        const hex = stored.slice(i + 2, i + 4);
        if (!/^[0-9a-fA-F]{2}$/.test(hex)) return null;
        parts.push(Buffer.from([parseInt(hex, 16)]));
        consumed = 4;
        break;
      }
      case 'u':
      case 'U': {
        const width = kind === 'u' ? 4 : 8;
        const hex = stored.slice(i + 2, i + 2 + width);
        if (!new RegExp(`^[0-9a-fA-F]{${width}}$`).test(hex)) return null;
        const codePoint = parseInt(hex, 16);
        if (codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) return null;
        parts.push(Buffer.from(String.fromCodePoint(codePoint), 'utf8'));
        consumed = 2 + width;
        break;
      }
      default: {
        const octal = stored.slice(i + 1, i + 4);
        if (!/^[0-7]{3}$/.test(octal) || parseInt(octal, 8) > 255) return null;
        parts.push(Buffer.from([parseInt(octal, 8)]));
        consumed = 4;
      }
    }
    i += consumed;
    literalStart = i;
  }
  flush(stored.length);
  return Buffer.concat(parts);
}

/** No backslash, no quote, no UTF-16 surrogate (so no lone one): a name that unquotes to itself. */
const plainName = /^[^\\"\uD800-\uDFFF]*$/;

/**
 * A stored name as a JavaScript string, or null when its bytes are not valid UTF-8 (a name
 * this machine could not have written through Node's string paths).
 */
export function unquoteName(stored: string): string | null {
  // Nearly every name has no escape and no surrogate: it is its own text. Checked first, as
  // going through bytes for each name was most of the cost of reading a tree.
  if (plainName.test(stored)) return stored;
  const bytes = unquoteNameBytes(stored);
  if (!bytes) return null;
  const text = bytes.toString('utf8');
  return Buffer.from(text, 'utf8').equals(bytes) ? text : null;
}
