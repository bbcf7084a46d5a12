/**
 * File names as the disk holds them: bytes, which on Linux need not be UTF-8 (a `résumé.txt`
 * written in Latin-1 is `r\xE9sum\xE9.txt`).
 *
 * Node hands names over as strings decoded from UTF-8, turning every byte it cannot decode
 * into U+FFFD, so such a name can neither be opened again nor told apart from another one.
 * Tend instead decodes names the way Python's "surrogateescape" does: valid UTF-8 as text,
 * each other byte 0xHH as the lone surrogate U+DCHH, which no valid text holds. The mapping
 * is exact both ways, so such a string names exactly one file; it crosses JSON as `\udcHH`
 * (manifests, journals, the contract) and comes back unchanged, and `fsPath` turns it into
 * the Buffer the system expects.
 */

// A low surrogate U+DC80–U+DCFF that is not the second half of a pair: an escaped raw byte.
const RAW_BYTE = /(?<![\uD800-\uDBFF])[\uDC80-\uDCFF]/;
const RAW_BYTES = /(?<![\uD800-\uDBFF])[\uDC80-\uDCFF]/g;

/** Whether a name or path holds bytes that are not UTF-8 (escaped as lone surrogates). */
export function hasRawBytes(name: string): boolean {
  return RAW_BYTE.test(name);
}

/** Decodes a name's bytes: UTF-8 as text, every other byte as the lone surrogate U+DC80+. */
export function decodeName(bytes: Uint8Array): string {
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes);
  const text = buffer.toString('utf8');
  // U+FFFD in the decoded text is either a byte Node could not decode or a real U+FFFD.
  if (!text.includes('\uFFFD')) return text;
  let out = '';
  let i = 0;
  while (i < buffer.length) {
    const lead = buffer[i]!;
    if (lead < 0x80) {
      out += String.fromCharCode(lead);
      i += 1;
      continue;
    }
    const decoded = decodeSequence(buffer, i);
    if (decoded) {
      out += String.fromCodePoint(decoded.codePoint);
      i += decoded.length;
    } else {
      out += String.fromCharCode(0xdc00 + lead);
      i += 1;
    }
  }
  return out;
}

/** One well-formed UTF-8 sequence of 2–4 bytes at `at`, or null. */
function decodeSequence(bytes: Buffer, at: number): { codePoint: number; length: number } | null {
  const lead = bytes[at]!;
  let need: number;
  let codePoint: number;
  let min: number;
  if (lead >= 0xc2 && lead <= 0xdf) [need, codePoint, min] = [1, lead & 0x1f, 0x80];
  else if (lead >= 0xe0 && lead <= 0xef) [need, codePoint, min] = [2, lead & 0x0f, 0x800];
  else if (lead >= 0xf0 && lead <= 0xf4) [need, codePoint, min] = [3, lead & 0x07, 0x10000];
  else return null;
  for (let k = 1; k <= need; k++) {
    const next = bytes[at + k];
    if (next === undefined || (next & 0xc0) !== 0x80) return null;
    codePoint = (codePoint << 6) | (next & 0x3f);
  }
  // Overlong forms, UTF-16 surrogates and values past U+10FFFF are not UTF-8.
  if (codePoint < min || (codePoint >= 0xd800 && codePoint <= 0xdfff) || codePoint > 0x10ffff) {
    return null;
  }
  return { codePoint, length: need + 1 };
}

/** The bytes of a name or path decoded by `decodeName`; exact for every string it returns. */
export function encodeName(name: string): Buffer {
  if (!hasRawBytes(name)) return Buffer.from(name, 'utf8');
  const parts: Buffer[] = [];
  let last = 0;
  for (const match of name.matchAll(RAW_BYTES)) {
    const at = match.index;
    if (at > last) parts.push(Buffer.from(name.slice(last, at), 'utf8'));
    parts.push(Buffer.of(name.charCodeAt(at) - 0xdc00));
    last = at + 1;
  }
  if (last < name.length) parts.push(Buffer.from(name.slice(last), 'utf8'));
  return Buffer.concat(parts);
}

/** What to hand to `fs` for a path: the string itself, or its exact bytes when it has raw ones. */
export function fsPath(name: string): string | Buffer {
  return hasRawBytes(name) ? encodeName(name) : name;
}

/** A name as a person reads it: each byte that is not UTF-8 shown as `\xHH`, as `ls -b` does. */
export function displayName(name: string): string {
  return hasRawBytes(name)
    ? name.replace(
        RAW_BYTES,
        (unit) => `\\x${(unit.charCodeAt(0) - 0xdc00).toString(16).toUpperCase().padStart(2, '0')}`,
      )
    : name;
}
